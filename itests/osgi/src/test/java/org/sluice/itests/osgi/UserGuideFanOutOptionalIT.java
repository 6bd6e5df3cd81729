package org.sluice.itests.osgi;

import java.util.List;

/**
 * The User Guide's "Fan out flow" with optional channels: selector.optional.CA = mem-channel-1 file-channel-2.
 * mem-channel-1 is also CA's required channel, so it stays required; file-channel-2 is optional for CA, and
 * "once all required channels have consumed the events, then the selector will attempt to write to the optional
 * channels": CA's events reach the next agent too. AZ, NY and the default are as in the first example.
 */
public class UserGuideFanOutOptionalIT extends UserGuideFanOutIT {

    @Override
    protected String exampleFile() {
        return "fan-out-multiplexing-optional.properties";
    }

    @Override
    protected List<String> statesToTheNextHop() {
        return List.of("CA", "AZ", "NY");
    }
}

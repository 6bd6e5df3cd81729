package org.sluice.source.netcat;

import java.net.InetSocketAddress;

import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.ComponentContext;

/** The listening address both netcat sources share the rules of. */
final class Ports {
    private Ports() {
    }

    static void check(ComponentContext context, int port) throws ConfigurationException {
        if (port < 0 || port > 65535) {
            throw context.configurationError("port", "must be between 0 and 65535, was " + port);
        }
    }

    /** The address to listen on; an empty host means every interface. */
    static InetSocketAddress address(String host, int port) {
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }
}

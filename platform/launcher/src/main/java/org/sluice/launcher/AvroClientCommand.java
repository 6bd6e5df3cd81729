package org.sluice.launcher;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code sluice avro-client} ({@code flume-ng avro-client}): starts a one-off kernel with the plugins of deploy/
 * and has the platform send the lines of a file, of standard input or of a spooling directory to an avro source
 * through the installed {@code avro} sink, as Flume's client does. The exit status is the platform's: 0 every event
 * delivered, 1 a delivery failed (the events not acknowledged are named in the message), 2 a wrong command line, 3
 * the platform did not answer. Flume's client exits with 0 whatever happened.
 */
final class AvroClientCommand {
    static final String TIMEOUT_PROPERTY = "sluice.client.timeout";

    private AvroClientCommand() {
    }

    static int run(Invocation invocation, Layout layout, Properties system) throws Exception {
        AvroClientOptions options = invocation.avroClient().orElseThrow();
        long timeoutSeconds = PropertyValues.positiveLong(system, TIMEOUT_PROPERTY, 30);
        Map<String, Object> properties = FrameworkProperties.forCommand(layout, invocation, List.of(), system,
                FrameworkProperties.MODE_AVRO_CLIENT);
        properties.putAll(options.frameworkProperties());
        return OneShotKernel.call(layout, properties, "avro-client", timeoutSeconds, TIMEOUT_PROPERTY,
                status -> status, System.err);
    }
}

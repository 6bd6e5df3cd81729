package org.sluice.source.syslog;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.IncludeKeys;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;
import org.sluice.support.config.ConfigValues;

/** Flume's {@code multiport_syslogtcp} source: syslog messages over TCP on several ports, with a charset per port. */
@Component(service = SourceFactory.class)
@SluiceType({"multiport_syslogtcp", "org.apache.flume.source.MultiportSyslogTCPSource"})
public class MultiportSyslogTcpSourceFactory implements SourceFactory {
    /** Flume's logger name, so existing log configurations keep working. */
    static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.source.MultiportSyslogTCPSource");
    private static final String PORT_CHARSET_PREFIX = "charset.port.";

    /** Flume 1.11's keys of its own; the rest it shares with {@code syslogtcp}. */
    @IncludeKeys(SyslogTcpKeys.Shared.class)
    public @interface Config {
        /** TCP ports to listen on, separated by spaces. */
        String ports();

        /** Header that receives the port a message came in on; empty: none. */
        String portHeader() default "";

        /** The charset of messages on ports without a {@code charset.port.<port>}; others are Invalid. */
        String charset_default() default "UTF-8";

        /** Events per channel transaction, at most. */
        @Range(min = 1)
        int batchSize() default 100;

        /** Flume's Mina read buffer: accepted, and unused (Netty sizes its reads itself). */
        int readBufferSize() default 1024;

        /**
         * I/O threads; 0 (not set): twice the cores, as Flume's Mina. Negative is refused, as Flume's Mina refuses
         * it when the source starts.
         */
        @Range(min = 0)
        int numProcessors() default 0;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Set<String> openKeyPrefixes() {
        return Set.of(PORT_CHARSET_PREFIX);
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        List<Integer> ports = new ArrayList<>();
        for (String port : config.ports().trim().split("[\\s,]+")) {
            if (!port.isEmpty()) {
                ports.add(SyslogKeys.port(context, "ports", port));
            }
        }
        if (ports.isEmpty()) {
            throw context.configurationError("ports", "names no port");
        }
        int batchSize = config.batchSize();
        Charset charset = ConfigValues.charset(context, "charset.default", config.charset_default());
        Map<Integer, Charset> portCharsets = new HashMap<>();
        for (Map.Entry<String, String> entry : context.subProperties(PORT_CHARSET_PREFIX).entrySet()) {
            String key = PORT_CHARSET_PREFIX + entry.getKey();
            portCharsets.put(SyslogKeys.port(context, key, entry.getKey()),
                    ConfigValues.charset(context, key, entry.getValue()));
        }
        return SyslogTcpKeys.source(context, new SyslogTcpKeys.Own("Multiport syslog TCP source", ports,
                config.numProcessors(), Dialect.MULTIPORT, charset, portCharsets, config.portHeader(), batchSize, LOG));
    }
}

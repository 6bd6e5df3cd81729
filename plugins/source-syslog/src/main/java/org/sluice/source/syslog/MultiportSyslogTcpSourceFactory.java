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
import org.sluice.api.component.SluiceType;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;
import org.sluice.support.config.ConfigValues;
import org.sluice.support.tls.Tls;
import org.sluice.support.tls.TlsConfig;

/** Flume's {@code multiport_syslogtcp} source: syslog messages over TCP on several ports, with a charset per port. */
@Component(service = SourceFactory.class)
@SluiceType({"multiport_syslogtcp", "org.apache.flume.source.MultiportSyslogTCPSource"})
public class MultiportSyslogTcpSourceFactory implements SourceFactory {
    /** Flume's logger name, so existing log configurations keep working. */
    static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.source.MultiportSyslogTCPSource");
    private static final String PORT_CHARSET_PREFIX = "charset.port.";

    /** Flume 1.11's keys and defaults. */
    @IncludeKeys(TlsConfig.ServerAuthenticatingClients.class)
    public @interface Config {
        /** Host name or address to listen on; empty: every interface. */
        String host() default "";

        /** TCP ports to listen on, separated by spaces. */
        String ports();

        /** Messages of this many bytes or more are cut here and marked Incomplete. */
        int eventSize() default 2500;

        /** {@code none}, {@code all}, or any of {@code priority version timestamp hostname}. */
        String keepFields() default "none";

        /** Header that receives the port a message came in on; empty: none. */
        String portHeader() default "";

        /** Header that receives the client's IP address; empty: none. */
        String clientIPHeader() default "";

        /** Header that receives the client's host name (a reverse lookup per connection); empty: none. */
        String clientHostnameHeader() default "";

        /** The charset of messages on ports without a {@code charset.port.<port>}; others are Invalid. */
        String charset_default() default "UTF-8";

        /** Events per channel transaction, at most. */
        int batchSize() default 100;

        /** Flume's Mina read buffer: accepted, and unused (Netty sizes its reads itself). */
        int readBufferSize() default 1024;

        /** I/O threads; 0 (not set): twice the cores, as Flume's Mina. */
        int numProcessors() default 0;

        /**
         * Sluice's: connections open at once; one more closes the connection idle the longest, so idle sockets cannot
         * lock senders out.
         */
        int max$_$connections() default 10_000;

        /**
         * Sluice's: seconds a connection may send nothing before it is closed; 0 (the default) for never: syslog
         * senders keep quiet connections open for hours, and a sender may lose the message it writes into a
         * connection closed under it. The connection bound alone keeps idle sockets from locking senders out.
         */
        long idle$_$timeout() default 0;
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
        int eventSize = ConfigValues.atLeast(context, "eventSize", config.eventSize(), 1);
        int batchSize = ConfigValues.atLeast(context, "batchSize", config.batchSize(), 1);
        if (config.numProcessors() < 0) {
            throw context.configurationError("numProcessors", "must be at least 1, was " + config.numProcessors());
        }
        Charset charset = ConfigValues.charset(context, "charset.default", config.charset_default());
        Map<Integer, Charset> portCharsets = new HashMap<>();
        for (Map.Entry<String, String> entry : context.subProperties(PORT_CHARSET_PREFIX).entrySet()) {
            String key = PORT_CHARSET_PREFIX + entry.getKey();
            portCharsets.put(SyslogKeys.port(context, key, entry.getKey()),
                    ConfigValues.charset(context, key, entry.getValue()));
        }
        SyslogStreamHandler.Settings settings = SyslogKeys.settings(context, Dialect.MULTIPORT, config.keepFields(),
                charset, portCharsets, config.portHeader(), config.clientIPHeader(), config.clientHostnameHeader(),
                batchSize, LOG);
        return new SyslogTcpSource("Multiport syslog TCP source " + context.componentName(), config.host().trim(),
                ports, config.numProcessors(), eventSize, settings,
                Tls.enabled(context) ? Tls.serverAuthenticatingClients(context) : null,
                SyslogKeys.connectionBounds(context, config.max$_$connections(), config.idle$_$timeout()));
    }
}

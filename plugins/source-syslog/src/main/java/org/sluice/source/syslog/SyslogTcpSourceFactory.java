package org.sluice.source.syslog;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

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

/** Flume's {@code syslogtcp} source: syslog messages over TCP on one port. */
@Component(service = SourceFactory.class)
@SluiceType({"syslogtcp", "org.apache.flume.source.SyslogTcpSource"})
public class SyslogTcpSourceFactory implements SourceFactory {
    /** Flume's logger name, so existing log configurations keep working. */
    static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.source.SyslogTcpSource");

    /** Flume 1.11's keys and defaults. */
    @IncludeKeys(TlsConfig.ServerAuthenticatingClients.class)
    public @interface Config {
        /** Host name or address to listen on; empty: every interface. */
        String host() default "";

        /** TCP port to listen on. */
        String port();

        /** Messages of this many bytes or more are cut here and marked Incomplete. */
        int eventSize() default 2500;

        /** {@code none}, {@code all}, or any of {@code priority version timestamp hostname}. */
        String keepFields() default "none";

        /** Header that receives the client's IP address; empty: none. */
        String clientIPHeader() default "";

        /** Header that receives the client's host name (a reverse lookup per connection); empty: none. */
        String clientHostnameHeader() default "";

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
    public Source create(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        int port = SyslogKeys.port(context, "port", config.port());
        int eventSize = ConfigValues.atLeast(context, "eventSize", config.eventSize(), 1);
        SyslogStreamHandler.Settings settings = SyslogKeys.settings(context, Dialect.SINGLE_PORT, config.keepFields(),
                StandardCharsets.UTF_8, Map.of(), "", config.clientIPHeader(), config.clientHostnameHeader(),
                SyslogKeys.DEFAULT_BATCH_SIZE, LOG);
        return new SyslogTcpSource("Syslog TCP source " + context.componentName(), config.host().trim(),
                List.of(port), 0, eventSize, settings,
                Tls.enabled(context) ? Tls.serverAuthenticatingClients(context) : null,
                SyslogKeys.connectionBounds(context, config.max$_$connections(), config.idle$_$timeout()));
    }
}

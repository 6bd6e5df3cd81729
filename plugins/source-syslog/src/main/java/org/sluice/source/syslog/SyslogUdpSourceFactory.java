package org.sluice.source.syslog;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;

/** Flume's {@code syslogudp} source: one syslog message per UDP datagram. */
@Component(service = SourceFactory.class)
@SluiceType({"syslogudp", "org.apache.flume.source.SyslogUDPSource"})
public class SyslogUdpSourceFactory implements SourceFactory {
    /** Flume's logger name, so existing log configurations keep working. */
    static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.source.SyslogUDPSource");

    /** Flume 1.11's keys and defaults. */
    public @interface Config {
        /** Host name or address to listen on; empty: every interface. */
        String host() default "";

        /** UDP port to listen on. */
        String port();

        /** {@code none}, {@code all}, or any of {@code priority version timestamp hostname}. */
        String keepFields() default "none";

        /** Header that receives the sender's IP address; empty: none. */
        String clientIPHeader() default "";

        /** Header that receives the sender's host name (a reverse lookup); empty: none. */
        String clientHostnameHeader() default "";
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        int port = SyslogKeys.port(context, "port", config.port());
        SyslogStreamHandler.Settings settings = SyslogKeys.settings(context, Dialect.SINGLE_PORT, config.keepFields(),
                StandardCharsets.UTF_8, Map.of(), "", config.clientIPHeader(), config.clientHostnameHeader(),
                SyslogKeys.DEFAULT_BATCH_SIZE, LOG);
        return new SyslogUdpSource("Syslog UDP source " + context.componentName(), config.host().trim(), port,
                settings);
    }
}

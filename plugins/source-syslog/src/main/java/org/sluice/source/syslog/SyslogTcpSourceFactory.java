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

/** Flume's {@code syslogtcp} source: syslog messages over TCP on one port. */
@Component(service = SourceFactory.class)
@SluiceType({"syslogtcp", "org.apache.flume.source.SyslogTcpSource"})
public class SyslogTcpSourceFactory implements SourceFactory {
    /** Flume's logger name, so existing log configurations keep working. */
    static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.source.SyslogTcpSource");

    /** Flume 1.11's key of its own; the rest it shares with {@code multiport_syslogtcp}. */
    @IncludeKeys(SyslogTcpKeys.Shared.class)
    public @interface Config {
        /** TCP port to listen on. */
        String port();
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        int port = SyslogKeys.port(context, "port", config.port());
        return SyslogTcpKeys.source(context, new SyslogTcpKeys.Own("Syslog TCP source", List.of(port), 0,
                Dialect.SINGLE_PORT, StandardCharsets.UTF_8, Map.of(), "", SyslogKeys.DEFAULT_BATCH_SIZE, LOG));
    }
}

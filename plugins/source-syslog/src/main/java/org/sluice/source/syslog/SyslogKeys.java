package org.sluice.source.syslog;

import java.nio.charset.Charset;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.source.SourceContext;
import org.sluice.support.config.ConfigValues;
import org.sluice.support.guard.RateLimitedLog;

/** The checks and conversions the three syslog factories share. */
final class SyslogKeys {
    /** Events per channel transaction where Flume has no batchSize key (syslogtcp, syslogudp). */
    static final int DEFAULT_BATCH_SIZE = 100;

    private SyslogKeys() {
    }

    /** A port number given as text (one of a list). */
    static int port(ComponentContext context, String key, String value) throws ConfigurationException {
        int port;
        try {
            port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw context.configurationError(key, "'" + value + "' is not a port number");
        }
        return ConfigValues.between(context, key, port, 0, 65535);
    }

    /** The bounds on a TCP source's connections: how many at once, and how long one may be idle (0: for ever). */
    record ConnectionBounds(int maxConnections, long idleTimeoutMillis) {
    }

    static ConnectionBounds connectionBounds(ComponentContext context, int maxConnections, long idleTimeoutSeconds)
            throws ConfigurationException {
        ConfigValues.atLeast(context, "max-connections", maxConnections, 1);
        ConfigValues.atLeast(context, "idle-timeout", idleTimeoutSeconds, 0L);
        return new ConnectionBounds(maxConnections, java.util.concurrent.TimeUnit.SECONDS.toMillis(idleTimeoutSeconds));
    }

    /** An optional header name: null when the key is not set or empty. */
    static String header(String value) {
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }

    static SyslogStreamHandler.Settings settings(SourceContext context, Dialect dialect, String keepFields,
            Charset charset, Map<Integer, Charset> portCharsets, String portHeader, String clientIpHeader,
            String clientHostnameHeader, int batchSize, Logger log) {
        BatchDelivery.Target target = new BatchDelivery.Target(context.componentName(), context.channelProcessor(),
                context.counter(), batchSize, log, new RateLimitedLog(log), new AtomicLong());
        return new SyslogStreamHandler.Settings(dialect, KeepFields.parse(keepFields), charset, portCharsets,
                header(portHeader), header(clientIpHeader), header(clientHostnameHeader), Clock.systemDefaultZone(),
                log, target);
    }
}

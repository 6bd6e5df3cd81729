package org.sluice.source.syslog;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.source.SourceContext;

/** The checks and conversions the three syslog factories share. */
final class SyslogKeys {
    /** Events per channel transaction where Flume has no batchSize key (syslogtcp, syslogudp). */
    static final int DEFAULT_BATCH_SIZE = 100;

    private SyslogKeys() {
    }

    static int port(ComponentContext context, String key, String value) throws ConfigurationException {
        int port;
        try {
            port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw context.configurationError(key, "'" + value + "' is not a port number");
        }
        if (port < 0 || port > 65535) {
            throw context.configurationError(key, "must be between 0 and 65535, was " + port);
        }
        return port;
    }

    static int atLeastOne(ComponentContext context, String key, int value) throws ConfigurationException {
        if (value < 1) {
            throw context.configurationError(key, "must be at least 1, was " + value);
        }
        return value;
    }

    static Charset charset(ComponentContext context, String key, String name) throws ConfigurationException {
        try {
            return Charset.forName(name.trim());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw context.configurationError(key, "'" + name + "' is not a charset this JVM knows");
        }
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
                context.counter(), batchSize, log, new AtomicLong());
        return new SyslogStreamHandler.Settings(dialect, KeepFields.parse(keepFields), charset, portCharsets,
                header(portHeader), header(clientIpHeader), header(clientHostnameHeader), Clock.systemDefaultZone(),
                log, target);
    }
}

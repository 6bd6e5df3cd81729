package org.sluice.rpc.avro;

import java.util.List;

import io.netty.handler.ipfilter.IpFilterRule;
import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.DefaultWhenUnparsable;
import org.sluice.api.component.IncludeKeys;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;
import org.sluice.support.guard.DecodeBudget;
import org.sluice.support.tls.Tls;
import org.sluice.support.tls.TlsConfig;

/** Flume's {@code avro} source: receives Flume's Avro RPC (append, appendBatch) from Flume clients and sinks. */
@Component(service = SourceFactory.class)
@SluiceType({"avro", "org.apache.flume.source.AvroSource"})
public class AvroSourceFactory implements SourceFactory {

    /** Flume 1.11's keys and defaults, and {@code max-frame-size}, Sluice's bound on one request. */
    @IncludeKeys(TlsConfig.ServerAuthenticatingClients.class)
    public @interface Config {
        /** Host name or address to listen on; 0.0.0.0 for every interface. */
        String bind();

        /** TCP port to listen on. */
        @Range(min = 0, max = 65535)
        int port();

        /**
         * Netty I/O threads, which also answer the calls: at most this many calls are answered at once. 0 (Flume's
         * default: not set) is Netty's default, twice the cores, as in Flume; so is a value that is not a number.
         */
        @DefaultWhenUnparsable
        @Range(min = 0)
        int threads() default 0;

        /** {@code none} or {@code deflate}; must match the client's. */
        String compression$_$type() default "none";

        /** Deflate level of the answers, 0 to 9. */
        @Range(min = 0, max = 9)
        int compression$_$level() default 6;

        boolean ipFilter() default false;

        /** {@code allow|deny:ip|name:pattern}, comma-separated; the first rule that matches decides. */
        String ipFilterRules() default "";

        /**
         * Sluice's: the largest request accepted, in bytes (64 MiB). A larger one, or one that declares more
         * than it holds, closes that client's connection. Flume has no bound.
         */
        @Range(min = 64)
        long max$_$frame$_$size() default 64L * 1024 * 1024;

        /**
         * Sluice's: the most events one request may carry. A request with more, or one that would decode to more
         * than four times its size plus 16 MiB of heap, is refused (the client is told why; EventReadFail counts
         * it). Flume has no bound; its sinks send 100 events a request by default.
         */
        @Range(min = 1)
        int max$_$events$_$per$_$request() default DecodeBudget.DEFAULT_MAX_EVENTS;

        /** Sluice's: connections open at once; one more closes the connection idle the longest. */
        @Range(min = 1)
        int max$_$connections() default 10_000;

        /**
         * Sluice's: seconds a connection may neither send nor receive before it is closed; 0 for never. A Flume
         * client notices and connects again before its next batch.
         */
        @Range(min = 0)
        long idle$_$timeout() default 600;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        boolean deflate = Compression.deflate(context, config.compression$_$type());
        Tls tls = Tls.enabled(context) ? Tls.serverAuthenticatingClients(context) : null;
        List<IpFilterRule> rules = null;
        if (config.ipFilter()) {
            if (config.ipFilterRules().isBlank()) {
                throw context.configurationError("ipFilterRules", "ipFilter is true but no rules are defined");
            }
            try {
                rules = IpFilterRules.parse(config.ipFilterRules());
            } catch (IllegalArgumentException e) {
                throw context.configurationError("ipFilterRules", e.getMessage());
            }
        }
        String bind = config.bind().trim();
        return new AvroSource(context, new AvroSource.Settings(bind, config.port(), config.threads(), deflate,
                config.compression$_$level(), tls, rules, config.max$_$frame$_$size(),
                config.max$_$events$_$per$_$request(), config.max$_$connections(),
                java.util.concurrent.TimeUnit.SECONDS.toMillis(config.idle$_$timeout())));
    }
}

package org.sluice.rpc.avro;

import java.util.List;
import java.util.Locale;

import io.netty.handler.ipfilter.IpFilterRule;
import io.netty.handler.ssl.SslContext;
import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.DefaultWhenUnparsable;
import org.sluice.api.component.SluiceType;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;
import org.sluice.support.guard.DecodeBudget;

/** Flume's {@code avro} source: receives Flume's Avro RPC (append, appendBatch) from Flume clients and sinks. */
@Component(service = SourceFactory.class)
@SluiceType({"avro", "org.apache.flume.source.AvroSource"})
public class AvroSourceFactory implements SourceFactory {

    /** Flume 1.11's keys and defaults, and {@code max-frame-size}, Sluice's bound on one request. */
    public @interface Config {
        /** Host name or address to listen on; 0.0.0.0 for every interface. */
        String bind();

        /** TCP port to listen on. */
        int port();

        /**
         * Netty I/O threads, which also answer the calls: at most this many calls are answered at once. 0 (Flume's
         * default: not set) is Netty's default, twice the cores, as in Flume; so is a value that is not a number.
         */
        @DefaultWhenUnparsable
        int threads() default 0;

        /** {@code none} or {@code deflate}; must match the client's. */
        String compression$_$type() default "none";

        /** Deflate level of the answers, 0 to 9. */
        int compression$_$level() default 6;

        boolean ssl() default false;

        /** Key store file; when not set, the JVM's {@code javax.net.ssl.keyStore} (Flume's global default). */
        String keystore() default "";

        String keystore$_$password() default "";

        String keystore$_$type() default "JKS";

        /** Protocols not to use, separated by spaces. */
        String exclude$_$protocols() default "SSLv3";

        String include$_$protocols() default "";

        String exclude$_$cipher$_$suites() default "";

        String include$_$cipher$_$suites() default "";

        /**
         * Sluice's: {@code none} (Flume's behaviour), {@code optional} or {@code required}: whether a TLS client
         * must present a certificate signed by an authority of {@code truststore}.
         */
        String ssl$_$client$_$auth() default "none";

        /** Sluice's: with ssl-client-auth, the authorities whose client certificates are accepted. */
        String truststore() default "";

        String truststore$_$password() default "";

        String truststore$_$type() default "JKS";

        boolean ipFilter() default false;

        /** {@code allow|deny:ip|name:pattern}, comma-separated; the first rule that matches decides. */
        String ipFilterRules() default "";

        /**
         * Sluice's: the largest request accepted, in bytes (64 MiB). A larger one, or one that declares more
         * than it holds, closes that client's connection. Flume has no bound.
         */
        long max$_$frame$_$size() default 64L * 1024 * 1024;

        /**
         * Sluice's: the most events one request may carry. A request with more, or one that would decode to more
         * than four times its size plus 16 MiB of heap, is refused (the client is told why; EventReadFail counts
         * it). Flume has no bound; its sinks send 100 events a request by default.
         */
        int max$_$events$_$per$_$request() default DecodeBudget.DEFAULT_MAX_EVENTS;

        /** Sluice's: connections open at once; one more closes the connection idle the longest. */
        int max$_$connections() default 10_000;

        /**
         * Sluice's: seconds a connection may neither send nor receive before it is closed; 0 for never. A Flume
         * client notices and connects again before its next batch.
         */
        long idle$_$timeout() default 600;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        if (config.port() < 0 || config.port() > 65535) {
            throw context.configurationError("port", "must be between 0 and 65535, was " + config.port());
        }
        if (config.threads() < 0) {
            throw context.configurationError("threads", "must be at least 1 (or 0 for twice the cores), was "
                    + config.threads());
        }
        boolean deflate = Compression.deflate(context, config.compression$_$type());
        Compression.checkLevel(context, config.compression$_$level());
        if (config.max$_$frame$_$size() < 64) {
            throw context.configurationError("max-frame-size", "must be at least 64 bytes, was "
                    + config.max$_$frame$_$size());
        }
        if (config.max$_$events$_$per$_$request() < 1) {
            throw context.configurationError("max-events-per-request", "must be at least 1, was "
                    + config.max$_$events$_$per$_$request());
        }
        if (config.max$_$connections() < 1) {
            throw context.configurationError("max-connections", "must be at least 1, was "
                    + config.max$_$connections());
        }
        if (config.idle$_$timeout() < 0) {
            throw context.configurationError("idle-timeout", "must be 0 (never) or a number of seconds, was "
                    + config.idle$_$timeout());
        }
        SslContext ssl = null;
        if (config.ssl()) {
            ssl = serverTls(context, config);
        }
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
                config.compression$_$level(), ssl, rules, config.max$_$frame$_$size(),
                config.max$_$events$_$per$_$request(), config.max$_$connections(),
                java.util.concurrent.TimeUnit.SECONDS.toMillis(config.idle$_$timeout())));
    }

    private static SslContext serverTls(SourceContext context, Config config) throws ConfigurationException {
        String keystore = config.keystore().isBlank() ? System.getProperty("javax.net.ssl.keyStore", "")
                : config.keystore().trim();
        if (keystore.isEmpty()) {
            throw context.configurationError("keystore", "ssl is true but no key store is configured "
                    + "(keystore, or the JVM's javax.net.ssl.keyStore)");
        }
        String password = config.keystore().isBlank()
                ? System.getProperty("javax.net.ssl.keyStorePassword", config.keystore$_$password())
                : config.keystore$_$password();
        String type = config.keystore().isBlank()
                ? System.getProperty("javax.net.ssl.keyStoreType", config.keystore$_$type())
                : config.keystore$_$type();
        try {
            List<String> protocols = Tls.protocols(config.include$_$protocols(), config.exclude$_$protocols());
            if (protocols.isEmpty()) {
                throw context.configurationError("exclude-protocols", "no TLS protocol is left to use");
            }
            return Tls.server(keystore, password, type.trim().toUpperCase(Locale.ROOT), protocols,
                    Tls.ciphers(config.include$_$cipher$_$suites(), config.exclude$_$cipher$_$suites()),
                    clientCertificates(context, config));
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw context.configurationError("keystore", "cannot use key store '" + keystore + "' or trust store '"
                    + config.truststore() + "': " + e);
        }
    }

    private static Tls.ClientCertificates clientCertificates(SourceContext context, Config config)
            throws ConfigurationException {
        io.netty.handler.ssl.ClientAuth mode = switch (config.ssl$_$client$_$auth().trim().toLowerCase(Locale.ROOT)) {
            case "none" -> io.netty.handler.ssl.ClientAuth.NONE;
            case "optional" -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
            case "required" -> io.netty.handler.ssl.ClientAuth.REQUIRE;
            default -> throw context.configurationError("ssl-client-auth", "'" + config.ssl$_$client$_$auth()
                    + "' is not one of none, optional, required");
        };
        if (mode == io.netty.handler.ssl.ClientAuth.NONE) {
            return Tls.ClientCertificates.NONE;
        }
        if (config.truststore().isBlank()) {
            throw context.configurationError("truststore", "ssl-client-auth = " + config.ssl$_$client$_$auth().trim()
                    + " needs the trust store of the authorities whose client certificates are accepted");
        }
        return new Tls.ClientCertificates(mode, config.truststore().trim(), config.truststore$_$password(),
                config.truststore$_$type().trim().toUpperCase(Locale.ROOT));
    }
}

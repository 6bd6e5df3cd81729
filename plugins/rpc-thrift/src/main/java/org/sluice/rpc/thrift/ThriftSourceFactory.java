package org.sluice.rpc.thrift;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;
import org.sluice.support.config.ConfigValues;
import org.sluice.support.tls.Tls;

/** Flume's {@code thrift} source: events from Flume's Thrift clients and Thrift sinks of other agents. */
@Component(service = SourceFactory.class)
@SluiceType({"thrift", "org.apache.flume.source.ThriftSource", "org.sluice.rpc.thrift.ThriftSource"})
public class ThriftSourceFactory implements SourceFactory {

    /** Flume's keys and defaults. */
    public @interface Config {
        /** Host name or address to listen on. */
        String bind();

        /** TCP port to listen on. */
        int port();

        /**
         * Threads that handle requests. Flume starts a thread per request when this is unset and can run out
         * of threads under load; Sluice bounds it at 16 unless told otherwise.
         */
        int threads() default ThriftSource.DEFAULT_THREADS;

        /** {@code compact} (Flume's default) or {@code binary}; the clients must use the same. */
        String protocol() default "compact";

        /**
         * TLS; the keys after it are read as configured by {@link Tls}, so one left out falls back to the
         * agent-wide javax.net.ssl.* setting (or its FLUME_SSL_* variable), as in Flume.
         */
        boolean ssl() default false;

        String keystore() default "";

        String keystore$_$password() default "";

        String keystore$_$type() default "JKS";

        String exclude$_$protocols() default "SSLv3";

        String include$_$protocols() default "";

        String exclude$_$cipher$_$suites() default "";

        String include$_$cipher$_$suites() default "";

        boolean kerberos() default false;

        String agent$_$principal() default "";

        String agent$_$keytab() default "";
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        ConfigValues.between(context, "port", config.port(), 0, 65535);
        ConfigValues.atLeast(context, "threads", config.threads(), 1);
        if (config.kerberos()) {
            throw context.configurationError("kerberos", "Kerberos authentication of the Thrift source is not "
                    + "supported by Sluice yet; use ssl, or a Flume agent for this hop");
        }
        WireProtocol protocol = WireProtocol.named(context, "protocol", config.protocol());
        Tls tls = null;
        if (config.ssl()) {
            tls = Tls.server(context);
        }
        return new ThriftSource(context, config.bind().trim(), config.port(), config.threads(), protocol, tls);
    }
}

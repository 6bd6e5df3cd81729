package org.sluice.rpc.thrift;

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

/** Flume's {@code thrift} source: events from Flume's Thrift clients and Thrift sinks of other agents. */
@Component(service = SourceFactory.class)
@SluiceType({"thrift", "org.apache.flume.source.ThriftSource", "org.sluice.rpc.thrift.ThriftSource"})
public class ThriftSourceFactory implements SourceFactory {

    /** Flume's keys and defaults. */
    @IncludeKeys(TlsConfig.Server.class)
    public @interface Config {
        /** Host name or address to listen on. */
        String bind();

        /** TCP port to listen on. */
        @Range(min = 0, max = 65535)
        int port();

        /**
         * Threads that handle requests. Flume starts a thread per request when this is unset and can run out
         * of threads under load; Sluice bounds it at 16 unless told otherwise. A value that is not a number is the
         * default, as Flume ignores it.
         */
        @DefaultWhenUnparsable
        @Range(min = 1)
        int threads() default ThriftSource.DEFAULT_THREADS;

        /** {@code compact} (Flume's default) or {@code binary}; the clients must use the same. */
        String protocol() default "compact";

        /**
         * Kerberos (SASL GSSAPI, as Flume): clients must authenticate; the source logs in as {@code agent-principal}
         * ({@code service/host@REALM}, {@code _HOST} standing for this machine's name) from {@code agent-keytab}.
         */
        boolean kerberos() default false;

        String agent$_$principal() default "";

        String agent$_$keytab() default "";

        /**
         * Sluice's: the most events one request may carry. A request with more, or one that would decode to more
         * than four times its size plus 16 MiB of heap, is answered with an exception naming the reason
         * (EventReadFail counts it). Flume has no bound.
         */
        @Range(min = 1)
        int max$_$events$_$per$_$request() default DecodeBudget.DEFAULT_MAX_EVENTS;

        /** Sluice's: connections open at once; one more closes the connection idle the longest. */
        @Range(min = 1)
        int max$_$connections() default 1000;

        /** Sluice's: seconds a connection may neither send nor receive before it is closed; 0 for never. */
        int idle$_$timeout() default 600;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        KerberosSettings kerberos = null;
        if (config.kerberos()) {
            kerberos = KerberosSettings.of(context, "agent-principal", config.agent$_$principal(), "agent-keytab",
                    config.agent$_$keytab());
        }
        if (config.idle$_$timeout() < 0 || config.idle$_$timeout() > Integer.MAX_VALUE / 1000) {
            throw context.configurationError("idle-timeout", "must be 0 (never) or a number of seconds, was "
                    + config.idle$_$timeout());
        }
        WireProtocol protocol = WireProtocol.named(context, "protocol", config.protocol());
        Tls tls = null;
        if (Tls.enabled(context)) {
            tls = Tls.server(context);
        }
        return new ThriftSource(context, config.bind().trim(), config.port(), config.threads(), protocol, tls,
                kerberos, config.max$_$events$_$per$_$request(), config.max$_$connections(), config.idle$_$timeout() * 1000);
    }
}

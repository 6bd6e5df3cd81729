package org.sluice.rpc.thrift;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.IncludeKeys;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.sink.SinkFactory;
import org.sluice.support.tls.Tls;
import org.sluice.support.tls.TlsConfig;

/** Flume's {@code thrift} sink: batches to a Thrift source of another agent (Flume's or Sluice's). */
@Component(service = SinkFactory.class)
@SluiceType({"thrift", "org.apache.flume.sink.ThriftSink", "org.sluice.rpc.thrift.ThriftSink"})
public class ThriftSinkFactory implements SinkFactory {

    /** Flume's keys and defaults. */
    @IncludeKeys(TlsConfig.Client.class)
    public @interface Config {
        String hostname();

        @Range(min = 1, max = 65535)
        int port();

        /** Events per appendBatch call, and per take transaction. */
        @Range(min = 1)
        int batch$_$size() default 100;

        /** Milliseconds allowed for connecting; Flume refuses less than a second. */
        @Range(min = 1000)
        int connect$_$timeout() default 20_000;

        /** Milliseconds allowed for the answer to a call; Flume refuses less than a second. */
        @Range(min = 1000)
        int request$_$timeout() default 20_000;

        /** Seconds after which the connection is closed and opened again (0: never), for load balancers. */
        int connection$_$reset$_$interval() default 0;

        /** {@code compact} (Flume's default) or {@code binary}; the source must use the same. */
        String protocol() default "compact";

        boolean kerberos() default false;

        String client$_$principal() default "";

        String client$_$keytab() default "";

        String server$_$principal() default "";
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Sink create(SinkContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        if (config.kerberos()) {
            throw context.configurationError("kerberos", "Kerberos authentication of the Thrift sink is not "
                    + "supported by Sluice yet; use ssl, or a Flume agent for this hop");
        }
        WireProtocol protocol = WireProtocol.named(context, "protocol", config.protocol());
        Tls tls = null;
        if (Tls.enabled(context)) {
            tls = Tls.client(context);
        }
        ThriftConnection.Settings settings = new ThriftConnection.Settings(config.hostname().trim(), config.port(),
                config.connect$_$timeout(), config.request$_$timeout(), protocol, tls);
        return new ThriftSink(context, settings, config.batch$_$size(), config.connection$_$reset$_$interval());
    }
}

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

        /**
         * Kerberos (SASL GSSAPI, as Flume): the sink logs in as {@code client-principal} from {@code client-keytab} and
         * authenticates to the source whose principal is {@code server-principal} ({@code _HOST} in either stands for
         * this machine's name, as in Flume).
         */
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
        KerberosSettings kerberos = null;
        String serverPrincipal = null;
        if (config.kerberos()) {
            kerberos = KerberosSettings.of(context, "client-principal", config.client$_$principal(), "client-keytab",
                    config.client$_$keytab());
            try {
                serverPrincipal = KerberosLogin.resolve(config.server$_$principal().trim());
            } catch (java.net.UnknownHostException e) {
                throw context.configurationError("server-principal", "_HOST: this machine's name cannot be resolved: "
                        + e.getMessage());
            }
            if (KerberosLogin.serviceAndHost(serverPrincipal) == null) {
                throw context.configurationError("server-principal", serverPrincipal.isEmpty()
                        ? "kerberos = true needs the source's principal"
                        : "'" + serverPrincipal + "' is not of the form service/host@REALM");
            }
        }
        WireProtocol protocol = WireProtocol.named(context, "protocol", config.protocol());
        Tls tls = null;
        if (Tls.enabled(context)) {
            tls = Tls.client(context);
        }
        ThriftConnection.Settings settings = new ThriftConnection.Settings(config.hostname().trim(), config.port(),
                config.connect$_$timeout(), config.request$_$timeout(), protocol, tls, kerberos, serverPrincipal);
        return new ThriftSink(context, settings, config.batch$_$size(), config.connection$_$reset$_$interval());
    }
}

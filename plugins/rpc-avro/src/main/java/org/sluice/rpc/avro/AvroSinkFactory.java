package org.sluice.rpc.avro;

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

/** Flume's {@code avro} sink: sends events to an avro source (Flume's or Sluice's) with Avro RPC appendBatch. */
@Component(service = SinkFactory.class)
@SluiceType({"avro", "org.apache.flume.sink.AvroSink"})
public class AvroSinkFactory implements SinkFactory {

    /** Flume 1.11's keys and defaults. */
    @IncludeKeys(TlsConfig.ClientPresentingCertificate.class)
    public @interface Config {
        /** Host name or address of the peer's avro source. */
        String hostname();

        @Range(min = 1, max = 65535)
        int port();

        /** Events per transaction and per appendBatch. */
        @Range(min = 1)
        int batch$_$size() default 100;

        /** Milliseconds to wait for the connection (Flume's minimum, 1000, applies). */
        long connect$_$timeout() default 20000;

        /** Milliseconds to wait for the peer's answer to a batch (Flume's minimum, 1000, applies). */
        long request$_$timeout() default 20000;

        /** Seconds after which the connection is closed and opened again; 0 (not set) never. */
        @Range(min = 0)
        long reset$_$connection$_$interval() default 0;

        /** {@code none} or {@code deflate}; must match the peer's. */
        String compression$_$type() default "none";

        @Range(min = 0, max = 9)
        int compression$_$level() default 6;

        /**
         * I/O threads of the connection; 0 (not set) is Flume's default, twice the cores. Accepted for
         * compatibility: the sink holds one connection, which Netty serves with one I/O thread.
         */
        @Range(min = 0)
        int maxIoWorkers() default 0;
    }

    /** Flume's NettyAvroRpcClient raises smaller timeouts to this. */
    static final long MIN_TIMEOUT_MILLIS = 1000;

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Sink create(SinkContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        String hostname = config.hostname().trim();
        if (hostname.isEmpty()) {
            throw context.configurationError("hostname", "must name the peer's host");
        }
        boolean deflate = Compression.deflate(context, config.compression$_$type());
        Tls tls = Tls.enabled(context) ? Tls.clientPresentingCertificate(context) : null;
        return new AvroSink(context, new AvroSink.Settings(hostname, config.port(), config.batch$_$size(),
                Math.max(MIN_TIMEOUT_MILLIS, config.connect$_$timeout()),
                Math.max(MIN_TIMEOUT_MILLIS, config.request$_$timeout()),
                config.reset$_$connection$_$interval() * 1000, deflate, config.compression$_$level(), tls));
    }
}

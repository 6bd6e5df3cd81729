package org.sluice.sink.logger;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.sink.SinkFactory;

/** Flume's {@code logger} sink: logs each event at INFO, for testing and debugging a flow. */
@Component(service = SinkFactory.class)
@SluiceType({"logger", "org.apache.flume.sink.LoggerSink", "org.sluice.sink.logger.LoggerSink"})
public class LoggerSinkFactory implements SinkFactory {

    /** Flume's keys and defaults. */
    public @interface Config {
        /** How many bytes of each body the hex dump shows. */
        @Range(min = 0)
        int maxBytesToLog() default EventDump.DEFAULT_MAX_BYTES;

        /**
         * Events taken per transaction. Not a Flume key: Flume's logger sink takes one event per
         * transaction, so the default is 1, which also fits a channel of any transactionCapacity.
         */
        @Range(min = 1)
        int batchSize() default 1;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Sink create(SinkContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        return new LoggerSink(context, new EventDump(config.maxBytesToLog()), config.batchSize());
    }
}

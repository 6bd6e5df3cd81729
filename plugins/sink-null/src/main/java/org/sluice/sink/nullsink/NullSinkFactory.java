package org.sluice.sink.nullsink;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.sink.SinkFactory;

/** Flume's {@code null} sink: takes events in batches and discards them. */
@Component(service = SinkFactory.class)
@SluiceType({"null", "org.apache.flume.sink.NullSink", "org.sluice.sink.nullsink.NullSink"})
public class NullSinkFactory implements SinkFactory {

    /** Flume's keys and defaults. */
    public @interface Config {
        /** Events taken per transaction. */
        @Range(min = 1)
        int batchSize() default 100;

        /** Log the running total every this many events. */
        @Range(min = 1)
        int logEveryNEvents() default 10000;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Sink create(SinkContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        return new NullSink(context, config.batchSize(), config.logEveryNEvents());
    }
}

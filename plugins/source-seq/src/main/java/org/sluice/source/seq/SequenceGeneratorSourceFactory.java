package org.sluice.source.seq;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;

/** Flume's {@code seq} source. */
@Component(service = SourceFactory.class)
@SluiceType({"seq", "org.apache.flume.source.SequenceGeneratorSource",
        "org.sluice.source.seq.SequenceGeneratorSource"})
public class SequenceGeneratorSourceFactory implements SourceFactory {

    /** Flume's keys and defaults, including those every Flume pollable source reads. */
    public @interface Config {
        /** Events per process() call, handed to the channels in one batch. */
        int batchSize() default 1;

        /** How many numbers to generate, 0 to totalEvents - 1. */
        long totalEvents() default Long.MAX_VALUE;

        /** Milliseconds the runner's pause grows by after each consecutive BACKOFF. */
        long backoffSleepIncrement() default 1000L;

        /** The runner's longest pause, in milliseconds. */
        long maxBackoffSleep() default 5000L;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        if (config.batchSize() < 1) {
            throw context.configurationError("batchSize", "must be at least 1, was " + config.batchSize());
        }
        if (config.totalEvents() < 0) {
            throw context.configurationError("totalEvents", "must not be negative, was " + config.totalEvents());
        }
        if (config.backoffSleepIncrement() < 0) {
            throw context.configurationError("backoffSleepIncrement",
                    "must not be negative, was " + config.backoffSleepIncrement());
        }
        if (config.maxBackoffSleep() < 0) {
            throw context.configurationError("maxBackoffSleep",
                    "must not be negative, was " + config.maxBackoffSleep());
        }
        return new SequenceGeneratorSource(context, config.batchSize(), config.totalEvents(),
                config.backoffSleepIncrement(), config.maxBackoffSleep());
    }
}

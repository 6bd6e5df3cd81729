package org.sluice.source.seq;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.Range;
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
        /** Events per process() call, handed to the channels in one batch; below 1 fails, as in Flume. */
        @Range(min = 1)
        int batchSize() default 1;

        /** How many numbers to generate, 0 to totalEvents - 1; a negative value generates none, as in Flume. */
        long totalEvents() default Long.MAX_VALUE;

        /**
         * Milliseconds the runner's pause grows by after each consecutive BACKOFF. Flume reads a negative value and
         * its runner then fails at each pause; Sluice refuses it.
         */
        @Range(min = 0)
        long backoffSleepIncrement() default 1000L;

        /** The runner's longest pause, in milliseconds; negative is refused (see backoffSleepIncrement). */
        @Range(min = 0)
        long maxBackoffSleep() default 5000L;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        // Flume compares its count with totalEvents, so a negative value sends nothing rather than failing.
        return new SequenceGeneratorSource(context, config.batchSize(), Math.max(config.totalEvents(), 0),
                config.backoffSleepIncrement(), config.maxBackoffSleep());
    }
}

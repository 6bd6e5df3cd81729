package org.sluice.sinkprocessor.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.DefaultWhenUnparsable;
import org.sluice.api.component.SluiceType;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkProcessor;
import org.sluice.api.sink.SinkProcessorContext;
import org.sluice.api.sink.SinkProcessorFactory;

/**
 * Flume's {@code failover} sink processor. {@code priority.<sink>} ranks the group's sinks (higher goes
 * first); {@code maxpenalty} caps how long a failed sink is left alone before it is tried again.
 */
@Component(service = SinkProcessorFactory.class)
@SluiceType({"failover", "org.apache.flume.sink.FailoverSinkProcessor",
        "org.sluice.sinkprocessor.failover.FailoverSinkProcessor"})
public class FailoverSinkProcessorFactory implements SinkProcessorFactory {

    static final String PRIORITY_PREFIX = "priority.";

    /** Where penalties are measured; tests drive their own. */
    private final LongSupplier nanoClock;

    public FailoverSinkProcessorFactory() {
        this(System::nanoTime);
    }

    FailoverSinkProcessorFactory(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Flume's keys (without the group's {@code processor.} prefix) and defaults; see also the open prefix. */
    public @interface Config {
        /**
         * The longest a failed sink is left alone, in milliseconds. Not a number: the default, with a warning; 0 or
         * less: a failed sink is tried again at once. Both as in Flume.
         */
        @DefaultWhenUnparsable
        long maxpenalty() default 30_000L;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    /** {@code priority.<sink>}: one per sink of the group. */
    @Override
    public Set<String> openKeyPrefixes() {
        return Set.of(PRIORITY_PREFIX);
    }

    @Override
    public SinkProcessor create(SinkProcessorContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        Map<String, Sink> sinks = context.sinksByName();
        for (String named : context.subProperties(PRIORITY_PREFIX).keySet()) {
            if (!sinks.containsKey(named)) {
                throw context.configurationError(PRIORITY_PREFIX + named, "names no sink of the group, whose sinks "
                        + "are " + sinks.keySet());
            }
        }
        List<RankedSink> ranked = new ArrayList<>();
        int position = 0;
        for (Map.Entry<String, Sink> sink : sinks.entrySet()) {
            String key = PRIORITY_PREFIX + sink.getKey();
            String value = context.properties().get(key);
            int priority;
            if (value == null || value.isBlank()) {
                // As Flume does: unranked sinks come after the ranked ones (with non-negative priorities), in
                // the order the group lists them.
                priority = -1 - position;
            } else {
                try {
                    priority = Integer.parseInt(value.trim());
                } catch (NumberFormatException e) {
                    throw context.configurationError(key, "'" + value + "' is not a whole number");
                }
            }
            ranked.add(new RankedSink(sink.getKey(), sink.getValue(), priority, position++));
        }
        return new FailoverSinkProcessor(context.componentName(), ranked, Math.max(config.maxpenalty(), 0), nanoClock);
    }
}

package org.sluice.sinkprocessor.loadbalance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkProcessor;
import org.sluice.api.sink.SinkProcessorContext;
import org.sluice.api.sink.SinkProcessorFactory;

/**
 * Flume's {@code load_balance} sink processor: {@code selector} ({@code round_robin} or {@code random})
 * chooses the order in which the group's sinks are offered each batch; with {@code backoff} a sink that
 * failed is skipped for a time that doubles with each consecutive failure, at most
 * {@code selector.maxTimeOut} milliseconds.
 */
@Component(service = SinkProcessorFactory.class)
@SluiceType({"load_balance", "org.apache.flume.sink.LoadBalancingSinkProcessor",
        "org.sluice.sinkprocessor.loadbalance.LoadBalancingSinkProcessor"})
public class LoadBalancingSinkProcessorFactory implements SinkProcessorFactory {

    /** Flume's keys (without the group's {@code processor.} prefix) and defaults. */
    public @interface Config {
        /** {@code round_robin} or {@code random}. */
        String selector() default "round_robin";

        /** Whether a failed sink is left out for a while. */
        boolean backoff() default false;

        /** The longest a failed sink is left out, in milliseconds (key {@code selector.maxTimeOut}). */
        long selector_maxTimeOut() default 30_000L;
    }

    private final LongSupplier nanoClock;
    private final SinkOrder.RandomSource random;

    public LoadBalancingSinkProcessorFactory() {
        this(System::nanoTime, bound -> java.util.concurrent.ThreadLocalRandom.current().nextInt(bound));
    }

    /** With the clock and the randomness the tests drive. */
    LoadBalancingSinkProcessorFactory(LongSupplier nanoClock, SinkOrder.RandomSource random) {
        this.nanoClock = nanoClock;
        this.random = random;
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public SinkProcessor create(SinkProcessorContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        if (config.selector_maxTimeOut() <= 0) {
            throw context.configurationError("selector.maxTimeOut", "must be a positive number of milliseconds, "
                    + "was " + config.selector_maxTimeOut());
        }
        SinkOrder order = switch (config.selector().trim().toLowerCase(Locale.ROOT)) {
            case "round_robin" -> SinkOrder.roundRobin();
            case "random" -> SinkOrder.random(random);
            default -> throw context.configurationError("selector", "'" + config.selector() + "' is not a "
                    + "selector Sluice provides: use round_robin or random (custom selector classes are not "
                    + "supported yet)");
        };
        List<BalancedSink> sinks = new ArrayList<>();
        for (Map.Entry<String, Sink> sink : context.sinksByName().entrySet()) {
            sinks.add(new BalancedSink(sink.getKey(), sink.getValue()));
        }
        if (sinks.isEmpty()) {
            throw context.configurationError("sinks", "a load_balance group needs at least one sink");
        }
        return new LoadBalancingSinkProcessor(context.componentName(), sinks, order, config.backoff(),
                config.selector_maxTimeOut(), nanoClock);
    }
}

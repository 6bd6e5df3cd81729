package org.sluice.sinkprocessor.loadbalance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkProcessor;
import org.sluice.api.sink.SinkProcessorContext;
import org.sluice.api.sink.SinkProcessorFactory;
import org.sluice.api.sink.SinkSelector;

/**
 * Flume's {@code load_balance} sink processor: {@code selector} chooses the order in which the group's sinks
 * are offered each batch. {@code round_robin} and {@code random} (in any case, as Flume reads them) are built
 * in; with {@code backoff} a sink that failed is skipped for a time that doubles with each consecutive
 * failure, at most {@code selector.maxTimeOut} milliseconds. Any other value names a custom selector, a
 * {@link org.sluice.api.sink.SinkSelectorFactory} service whose type names include it (a Flume configuration
 * gives its class name): the platform waits for its bundle, creates it from the {@code selector.*} keys and
 * hands it over in the context. As in Flume, {@code backoff} is then the selector's business.
 */
@Component(service = SinkProcessorFactory.class)
@SluiceType({"load_balance", "org.apache.flume.sink.LoadBalancingSinkProcessor",
        "org.sluice.sinkprocessor.loadbalance.LoadBalancingSinkProcessor"})
public class LoadBalancingSinkProcessorFactory implements SinkProcessorFactory {
    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancingSinkProcessorFactory.class);

    /** The key naming the selector, and the prefix of the selector's own keys. */
    static final String SELECTOR_KEY = "selector";
    private static final String ROUND_ROBIN = "round_robin";
    private static final String RANDOM = "random";

    /** Flume's keys (without the group's {@code processor.} prefix) and defaults. */
    public @interface Config {
        /** {@code round_robin}, {@code random}, or the name of a custom selector from the registry. */
        String selector() default ROUND_ROBIN;

        /** Whether a failed sink is left out for a while (built-in selectors only, as in Flume). */
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
    public String sinkSelectorKey(Map<String, String> properties) {
        String selector = properties.get(SELECTOR_KEY);
        return selector == null || builtIn(selector) ? null : SELECTOR_KEY;
    }

    private static boolean builtIn(String selector) {
        String name = selector.trim().toLowerCase(Locale.ROOT);
        return name.equals(ROUND_ROBIN) || name.equals(RANDOM);
    }

    @Override
    public SinkProcessor create(SinkProcessorContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        Map<String, Sink> sinks = context.sinksByName();
        if (sinks.isEmpty()) {
            throw context.configurationError("sinks", "a load_balance group needs at least one sink");
        }
        String selectorName = config.selector().trim();
        if (!builtIn(selectorName)) {
            SinkSelector custom = context.sinkSelector().orElseThrow(() -> context.configurationError(SELECTOR_KEY,
                    "'" + selectorName + "' is not a built-in selector (round_robin, random) and the platform "
                    + "handed over no sink selector of that name from the registry"));
            if (config.backoff()) {
                LOG.info("Agent {}, {}: backoff is left to the custom selector '{}', as in Flume",
                        context.agentName(), context.componentName(), selectorName);
            }
            return LoadBalancingSinkProcessor.custom(context.componentName(), sinks, custom, selectorName);
        }
        if (config.selector_maxTimeOut() <= 0) {
            throw context.configurationError("selector.maxTimeOut", "must be a positive number of milliseconds, "
                    + "was " + config.selector_maxTimeOut());
        }
        SinkOrder order = selectorName.equalsIgnoreCase(ROUND_ROBIN) ? SinkOrder.roundRobin()
                : SinkOrder.random(random);
        List<BalancedSink> balanced = new ArrayList<>();
        sinks.forEach((name, sink) -> balanced.add(new BalancedSink(name, sink)));
        BuiltInSinkSelector selector = new BuiltInSinkSelector(balanced, order, config.backoff(),
                config.selector_maxTimeOut(), nanoClock);
        return LoadBalancingSinkProcessor.builtIn(context.componentName(), sinks, selector,
                selectorName.toLowerCase(Locale.ROOT));
    }
}

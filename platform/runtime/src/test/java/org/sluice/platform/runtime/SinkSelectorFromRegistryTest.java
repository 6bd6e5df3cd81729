package org.sluice.platform.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.platform.runtime.TestPlugins.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.sink.SinkFactory;
import org.sluice.api.sink.SinkProcessor;
import org.sluice.api.sink.SinkProcessorContext;
import org.sluice.api.sink.SinkProcessorFactory;
import org.sluice.api.sink.SinkSelector;
import org.sluice.api.sink.SinkSelectorContext;
import org.sluice.api.sink.SinkSelectorFactory;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/**
 * A sink group whose processor names a sink selector from the registry: the group waits for the selector's
 * provider and says so, runs with it, and stops and waits again when it goes, the events staying in the channel.
 */
class SinkSelectorFromRegistryTest {
    @TempDir
    Path data;

    private RuntimeEngine engine;
    private final TestPlugins.QueueChannelFactory channels = new TestPlugins.QueueChannelFactory();
    /** "k1:17": sink k1 delivered event 17. */
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final ReverseSelectorFactory selectors = new ReverseSelectorFactory();

    @BeforeEach
    void setUp() {
        TestPlugins.NEXT_NUMBER.set(0);
        engine = new RuntimeEngine(new TestPlugins.MapMetrics(), data, 5_000L, 10L, 50L);
        engine.providerAdded(ComponentKind.CHANNEL, TestPlugins.provider(channels, "queue"));
        engine.providerAdded(ComponentKind.SOURCE, TestPlugins.provider(new TestPlugins.NumberSourceFactory(),
                "numbers"));
        engine.providerAdded(ComponentKind.CHANNEL_SELECTOR,
                TestPlugins.provider(new TestPlugins.ReplicatingFactory(), "replicating"));
        engine.providerAdded(ComponentKind.SINK, TestPlugins.provider(new NamedSinkFactory(), "named"));
        engine.providerAdded(ComponentKind.SINK_PROCESSOR, TestPlugins.provider(new PickFactory(), "pick"));
    }

    @AfterEach
    void tearDown() {
        engine.shutdown();
    }

    @Test
    void theGroupWaitsForItsSelectorRunsWithItAndWaitsAgainWhenItGoesWithoutLosingEvents() throws Exception {
        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "10000");
        configure(ComponentKind.SINK, "k1", "type", "named", "channel", "c1");
        configure(ComponentKind.SINK, "k2", "type", "named", "channel", "c1");
        configure(ComponentKind.SINKGROUP, "g1", "sinks", "k1 k2", "processor.type", "pick",
                "processor.selector", "com.example.Reverse", "processor.selector.mark", "x");
        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", "100");

        await("g1 waiting for its selector", () -> status("g1") != null
                && status("g1").state() == ComponentState.WAITING && status("g1").reason().contains("selector"));
        ComponentStatus waiting = status("g1");
        assertTrue(waiting.reason().contains("sink selector type 'com.example.Reverse'"), waiting.reason());
        assertTrue(waiting.reason().contains("key 'processor.selector'"), waiting.reason());
        await("100 events queued", () -> !channels.created.isEmpty() && channels.created.get(0).size() == 100);
        assertEquals(List.of(), delivered, "a group without its selector delivered");

        TestPlugins.QueueChannel channel = channels.created.get(0);
        Provider selector = TestPlugins.provider(selectors, "reverse", "com.example.Reverse");
        engine.providerAdded(ComponentKind.SINK_SELECTOR, selector);
        await("g1 running", () -> status("g1").state() == ComponentState.RUNNING);
        await("100 delivered", () -> delivered.size() == 100);
        assertTrue(delivered.stream().allMatch(d -> d.startsWith("k2:")), "reverse puts k2 first: " + delivered);
        assertEquals(Map.of("mark", "x"), selectors.properties.get(0), "the selector's own keys, without prefix");
        assertEquals("g1.processor.selector", selectors.names.get(0));
        assertEquals(1, selectors.started.get());

        engine.providerRemoved(ComponentKind.SINK_SELECTOR, selector.serviceId());
        assertEquals(1, selectors.stopped.get(), "the selector is stopped before its provider's removal returns");
        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", "150");
        await("50 more queued", () -> channel.size() == 50);
        await("g1 waiting again", () -> status("g1").state() == ComponentState.WAITING);
        assertEquals(100, delivered.size(), "a group whose selector went away delivered");

        engine.providerAdded(ComponentKind.SINK_SELECTOR, TestPlugins.provider(selectors, "reverse",
                "com.example.Reverse"));
        await("150 delivered", () -> delivered.size() == 150);
        assertEquals(0, channel.size());
    }

    @Test
    void aBadSelectorValueFailsTheGroupNamingTheSelectorAndItsKey() throws Exception {
        engine.providerAdded(ComponentKind.SINK_SELECTOR, TestPlugins.provider(selectors, "reverse"));
        configure(ComponentKind.CHANNEL, "c1", "type", "queue");
        configure(ComponentKind.SINK, "k1", "type", "named", "channel", "c1");
        configure(ComponentKind.SINKGROUP, "g1", "sinks", "k1", "processor.type", "pick",
                "processor.selector", "REVERSE", "processor.selector.weight", "heavy");

        await("g1 failed", () -> status("g1") != null && status("g1").state() == ComponentState.FAILED);
        String reason = status("g1").reason();
        assertTrue(reason.contains("agent 'a1'") && reason.contains("component 'g1.processor.selector'")
                && reason.contains("key 'weight'"), reason);
        assertEquals(List.of(), selectors.names, "a selector was created from a bad configuration");
    }

    @Test
    void aSelectorKeyTheProcessorDoesNotNameIsNotLookedUp() throws Exception {
        configure(ComponentKind.CHANNEL, "c1", "type", "queue");
        configure(ComponentKind.SINK, "k1", "type", "named", "channel", "c1");
        configure(ComponentKind.SINK, "k2", "type", "named", "channel", "c1");
        configure(ComponentKind.SINKGROUP, "g1", "sinks", "k1 k2", "processor.type", "pick",
                "processor.selector", "builtin");
        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", "20");

        await("g1 running", () -> status("g1") != null && status("g1").state() == ComponentState.RUNNING);
        await("20 delivered", () -> delivered.size() == 20);
        assertTrue(delivered.stream().allMatch(d -> d.startsWith("k1:")), "group order without a selector");
    }

    private void configure(ComponentKind kind, String name, String... keyValues) {
        TestPlugins.configure(engine, "a1", kind, name, keyValues);
    }

    private ComponentStatus status(String name) {
        return TestPlugins.status(engine, "a1", name);
    }

    /** Takes up to 10 events per call and records them under the sink's name. */
    private final class NamedSinkFactory implements SinkFactory {
        @Override
        public Sink create(SinkContext context) {
            return TestPlugins.takingSink(context, 10,
                    event -> context.componentName() + ":" + new String(event.getBody(), StandardCharsets.UTF_8),
                    delivered);
        }
    }

    /**
     * A processor that names its selector by the key {@code selector} unless the value is {@code builtin}, and
     * then calls the sinks in the selector's order (or the group's), as load_balance does.
     */
    private static final class PickFactory implements SinkProcessorFactory {
        @Override
        public String sinkSelectorKey(Map<String, String> properties) {
            return "builtin".equals(properties.get("selector")) ? null : "selector";
        }

        @Override
        public SinkProcessor create(SinkProcessorContext context) {
            return () -> {
                Iterator<Sink> order = context.sinkSelector().map(SinkSelector::createSinkIterator)
                        .orElse(context.sinks().iterator());
                EventDeliveryException failure = new EventDeliveryException("every sink failed");
                while (order.hasNext()) {
                    Sink sink = order.next();
                    try {
                        return sink.process();
                    } catch (EventDeliveryException e) {
                        context.sinkSelector().ifPresent(s -> s.informSinkFailed(sink));
                        failure.addSuppressed(e);
                    }
                }
                throw failure;
            };
        }
    }

    /** Offers the sinks last to first; records how it was created and its lifecycle. */
    private static final class ReverseSelectorFactory implements SinkSelectorFactory {
        @interface Config {
            int weight() default 1;
        }

        final List<Map<String, String>> properties = new CopyOnWriteArrayList<>();
        final List<String> names = new CopyOnWriteArrayList<>();
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger stopped = new AtomicInteger();

        @Override
        public Class<?> configurationType() {
            return Config.class;
        }

        @Override
        public SinkSelector create(SinkSelectorContext context) {
            properties.add(context.properties());
            names.add(context.componentName());
            List<Sink> reversed = new ArrayList<>(context.sinks());
            Collections.reverse(reversed);
            return new SinkSelector() {
                @Override
                public void start() {
                    started.incrementAndGet();
                }

                @Override
                public void stop() {
                    stopped.incrementAndGet();
                }

                @Override
                public Iterator<Sink> createSinkIterator() {
                    return reversed.iterator();
                }

                @Override
                public void informSinkFailed(Sink failedSink) {
                }
            };
        }
    }
}

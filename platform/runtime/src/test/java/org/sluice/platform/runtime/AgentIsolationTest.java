package org.sluice.platform.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.platform.runtime.TestPlugins.await;
import static org.sluice.platform.runtime.TestPlugins.isIn;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.sink.SinkFactory;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.metrics.ComponentCounters;

/**
 * Agents do not wait for each other: while agent a1 waits (for as long as its drain timeout allows) for a sink
 * to empty a channel removed from its configuration, agent b1 loses a sink provider and gets a new channel,
 * at once. The provider's removal even stops a1's own draining sink, without waiting for the drain.
 */
class AgentIsolationTest {
    /** Far longer than the test may take: a1's drain ends only when the test opens the gate. */
    private static final long DRAIN_TIMEOUT_MILLIS = 120_000L;
    private static final long PROMPTLY_SECONDS = 5L;

    @TempDir
    Path data;

    private RuntimeEngine engine;
    private final TestPlugins.MapMetrics metrics = new TestPlugins.MapMetrics();
    /** a1's channels; b1's come from another factory. */
    private final TestPlugins.QueueChannelFactory channels = new TestPlugins.QueueChannelFactory();
    private final TestPlugins.CollectingSinkFactory collected = new TestPlugins.CollectingSinkFactory();
    private final GatedSinkFactory gated = new GatedSinkFactory(collected);
    private Provider gatedProvider;
    private Provider collectProvider;

    @BeforeEach
    void setUp() {
        TestPlugins.NEXT_NUMBER.set(0);
        engine = new RuntimeEngine(metrics, data, DRAIN_TIMEOUT_MILLIS, 10L, 50L);
        gatedProvider = TestPlugins.provider(gated, "gated");
        collectProvider = TestPlugins.provider(new TestPlugins.CollectingSinkFactory(), "collect");
        engine.providerAdded(ComponentKind.CHANNEL, TestPlugins.provider(channels, "queue"));
        engine.providerAdded(ComponentKind.CHANNEL, TestPlugins.provider(new TestPlugins.QueueChannelFactory(),
                "other-queue"));
        engine.providerAdded(ComponentKind.SOURCE, TestPlugins.provider(new TestPlugins.NumberSourceFactory(),
                "numbers"));
        engine.providerAdded(ComponentKind.CHANNEL_SELECTOR,
                TestPlugins.provider(new TestPlugins.ReplicatingFactory(), "replicating"));
        engine.providerAdded(ComponentKind.SINK, gatedProvider);
        engine.providerAdded(ComponentKind.SINK, collectProvider);
    }

    @AfterEach
    void tearDown() {
        gated.open.countDown();
        engine.shutdown();
    }

    /** a1: r1 -> c1 (100 events) -> k1, whose sink is held at the gate; b1: c1 -> k1 (collect). a1's c1 removed. */
    private TestPlugins.QueueChannel a1DrainingItsRemovedChannel() throws InterruptedException {
        TestPlugins.configure(engine, "a1", ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "1000");
        TestPlugins.configure(engine, "a1", ComponentKind.SINK, "k1", "type", "gated", "channel", "c1");
        TestPlugins.configure(engine, "a1", ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1",
                "total", "100");
        TestPlugins.configure(engine, "b1", ComponentKind.CHANNEL, "c1", "type", "other-queue");
        TestPlugins.configure(engine, "b1", ComponentKind.SINK, "k1", "type", "collect", "channel", "c1");
        await("a1's 100 events queued behind the gate", () -> !channels.created.isEmpty()
                && channels.created.get(0).size() == 100 && gated.waiting.getCount() == 0);
        await("b1 running", () -> isIn(engine, "b1", "k1", ComponentState.RUNNING));
        TestPlugins.QueueChannel a1Channel = channels.created.get(0);

        engine.unconfigure(TestPlugins.pid("a1", ComponentKind.CHANNEL, "c1"));
        // r1 is stopped just before the drain begins; then a1's pass waits for k1 to empty c1.
        ComponentCounters r1 = metrics.counters("a1", ComponentKind.SOURCE, "r1");
        await("a1's source stopped for the drain", () -> r1.get(ComponentCounters.STOP_TIME) > 0);
        return a1Channel;
    }

    @Test
    void anotherAgentsProviderRemovalAndReconcileDoNotWaitForADrain() throws Exception {
        TestPlugins.QueueChannel a1Channel = a1DrainingItsRemovedChannel();

        removeSinkProvider(collectProvider, "b1");

        TestPlugins.configure(engine, "b1", ComponentKind.CHANNEL, "c2", "type", "other-queue");
        await("b1's new channel running", () -> isIn(engine, "b1", "c2", ComponentState.RUNNING));
        await("b1's sink waiting for its provider", () -> isIn(engine, "b1", "k1", ComponentState.WAITING));

        assertEquals(100, a1Channel.size(), "a1's drain was still under way");
        assertFalse(a1Channel.stopped);
        assertTrue(isIn(engine, "a1", "c1", ComponentState.RUNNING), "a1's channel is still draining");

        gated.open.countDown();
        await("a1's channel drained, then stopped", () -> a1Channel.stopped);
        assertEquals(100, collected.delivered.size(), "every event of the removed channel went through its sink");
        assertEquals(0, a1Channel.size());
    }

    @Test
    void theProviderOfADrainingSinkGoesAtOnceAndTheChannelsEventsAreHandedOver() throws Exception {
        TestPlugins.QueueChannel a1Channel = a1DrainingItsRemovedChannel();

        removeSinkProvider(gatedProvider, "a1");

        // Without a sink the drain ends; c1 stops and, being a memory channel, hands its events over.
        await("a1's channel stopped", () -> a1Channel.stopped);
        assertEquals(Map.of("c1", 100), engine.heldEvents("a1"));
        assertEquals(0, collected.delivered.size());
    }

    /**
     * Removes a sink provider as its bundle's stop would, and checks that this did not wait for a1's drain and
     * that the agent's sink k1 was stopped by the time it returned (or already waits for a new provider).
     */
    private void removeSinkProvider(Provider provider, String agent) throws Exception {
        try {
            CompletableFuture.runAsync(() -> engine.providerRemoved(ComponentKind.SINK, provider.serviceId()))
                    .get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the removal of " + provider.types() + " did not return within "
                    + PROMPTLY_SECONDS + " s: it waits for a1's drain", e);
        }
        assertTrue(isIn(engine, agent, "k1", ComponentState.STOPPING) || isIn(engine, agent, "k1",
                ComponentState.WAITING), agent + "'s sink runs after the removal returned: "
                + TestPlugins.status(engine, agent, "k1"));
    }

    /**
     * A sink that takes nothing until the gate opens (it backs off instead, so stopping it is quick), then takes
     * like {@link TestPlugins.CollectingSinkFactory}.
     */
    private static final class GatedSinkFactory implements SinkFactory {
        final CountDownLatch open = new CountDownLatch(1);
        final CountDownLatch waiting = new CountDownLatch(1);
        final TestPlugins.CollectingSinkFactory delegate;

        GatedSinkFactory(TestPlugins.CollectingSinkFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public Sink create(SinkContext context) {
            Sink inner = delegate.create(context);
            return () -> {
                waiting.countDown();
                try {
                    if (!open.await(20, TimeUnit.MILLISECONDS)) {
                        return Sink.Status.BACKOFF;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EventDeliveryException("interrupted at the gate", e);
                }
                return inner.process();
            };
        }
    }
}

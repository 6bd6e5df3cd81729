package org.sluice.platform.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.platform.runtime.TestPlugins.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ComponentKind;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.tap.Tap;
import org.sluice.platform.tap.TapSample;

/** What an operator does from the shell: stop and start one component, tap one. */
class OperatorControlTest {
    @TempDir
    Path data;

    private RuntimeEngine engine;
    private final TestPlugins.MapMetrics metrics = new TestPlugins.MapMetrics();
    private final TestPlugins.QueueChannelFactory channels = new TestPlugins.QueueChannelFactory();
    private final TestPlugins.CollectingSinkFactory sinks = new TestPlugins.CollectingSinkFactory();

    @BeforeEach
    void setUp() {
        TestPlugins.NEXT_NUMBER.set(0);
        engine = new RuntimeEngine(metrics, data, 5_000L, 10L, 50L);
        engine.providerAdded(ComponentKind.CHANNEL, TestPlugins.provider(channels, "queue"));
        engine.providerAdded(ComponentKind.SOURCE, TestPlugins.provider(new TestPlugins.NumberSourceFactory(),
                "numbers"));
        engine.providerAdded(ComponentKind.SINK, TestPlugins.provider(sinks, "collect"));
        engine.providerAdded(ComponentKind.CHANNEL_SELECTOR,
                TestPlugins.provider(new TestPlugins.ReplicatingFactory(), "replicating"));
    }

    @AfterEach
    void tearDown() {
        engine.shutdown();
    }

    private void configure(ComponentKind kind, String name, String... keyValues) {
        TestPlugins.configure(engine, "a1", kind, name, keyValues);
    }

    private void agentOf(long total) {
        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", Long.toString(total));
        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "100000");
        configure(ComponentKind.SINK, "k1", "type", "collect", "channel", "c1");
    }

    private boolean in(String name, ComponentState state) {
        return TestPlugins.isIn(engine, "a1", name, state);
    }

    private void assertEachDeliveredOnce(long total) {
        Set<Long> seen = new TreeSet<>();
        sinks.delivered.forEach(body -> assertTrue(seen.add(Long.parseLong(body)), "event " + body + " twice"));
        assertEquals(total, seen.size(), "events lost");
    }

    private static List<String> bodies(Tap tap, int count) throws InterruptedException {
        List<String> bodies = new ArrayList<>();
        while (bodies.size() < count) {
            TapSample sample = tap.next(10, TimeUnit.SECONDS);
            assertNotNull(sample, "the tap saw " + bodies.size() + " of " + count + " events");
            bodies.add(new String(sample.bodyPreview(), StandardCharsets.UTF_8));
        }
        return bodies;
    }

    @Test
    void tapsSeeEventsAtEveryPointAndDeliveryIsUnchanged() throws Exception {
        try (Tap source = engine.tap("a1", ComponentKind.SOURCE, "r1", 5);
                Tap channel = engine.tap("a1", ComponentKind.CHANNEL, "c1", 5);
                Tap sink = engine.tap("a1", ComponentKind.SINK, "k1", 5)) {
            agentOf(2_000);
            await("2000 delivered", () -> sinks.delivered.size() >= 2_000);

            assertEquals(List.of("0", "1", "2", "3", "4"), bodies(source, 5));
            List<String> atChannel = bodies(channel, 5);
            assertTrue(atChannel.stream().allMatch(body -> Long.parseLong(body) < 2_000), atChannel.toString());
            assertEquals(5, bodies(sink, 5).size());
            await("every event seen by the sink's tap", () -> sink.seen() == 2_000);
            assertEquals(2_000, source.seen());
            assertEquals(4_000, channel.seen(), "each event put and taken once");
        }
        assertEachDeliveredOnce(2_000);
    }

    @Test
    void componentsRemovedFromTheConfigurationTakeTheirTapPointsWithThem() throws Exception {
        agentOf(100);
        await("100 delivered", () -> sinks.delivered.size() >= 100);
        assertEquals(3, engine.tapPoints(), "a point for each of source, channel and sink");

        engine.unconfigure(TestPlugins.pid("a1", ComponentKind.SOURCE, "r1"));
        engine.unconfigure(TestPlugins.pid("a1", ComponentKind.SINK, "k1"));
        engine.unconfigure(TestPlugins.pid("a1", ComponentKind.CHANNEL, "c1"));
        await("every point gone", () -> engine.tapPoints() == 0);
        assertEachDeliveredOnce(100);
    }

    @Test
    void aStoppedChannelStopsWhatDependsOnItAndKeepsItsEvents() throws Exception {
        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "100000");
        configure(ComponentKind.SINK, "k1", "type", "collect", "channel", "c1");
        await("sink running", () -> in("k1", ComponentState.RUNNING));

        assertTrue(engine.stop("a1", ComponentKind.CHANNEL, "c1"));
        assertTrue(in("c1", ComponentState.STOPPED), engine.components("a1").toString());
        assertTrue(in("k1", ComponentState.WAITING), "its sink waits for it");
        assertEquals(StatusBoard.STOPPED_REASON, TestPlugins.status(engine, "a1", "c1").reason());

        // The source comes while the channel is stopped: it waits too, and nothing is lost.
        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", "300");
        engine.reconcileNow();
        assertTrue(in("r1", ComponentState.WAITING));
        // The periodic retry does not start it either.
        engine.reconcileNow();
        assertTrue(in("c1", ComponentState.STOPPED));

        assertTrue(engine.start("a1", ComponentKind.CHANNEL, "c1"));
        await("all running", () -> in("c1", ComponentState.RUNNING) && in("k1", ComponentState.RUNNING)
                && in("r1", ComponentState.RUNNING));
        await("300 delivered", () -> sinks.delivered.size() >= 300);
        assertEachDeliveredOnce(300);
    }

    @Test
    void aStoppedSinkLeavesItsEventsInTheChannelUntilItStartsAgain() throws Exception {
        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "100000");
        configure(ComponentKind.SINK, "k1", "type", "collect", "channel", "c1");
        await("sink running", () -> in("k1", ComponentState.RUNNING));
        assertTrue(engine.stop("a1", ComponentKind.SINK, "k1"));
        assertTrue(in("k1", ComponentState.STOPPED));
        assertTrue(in("c1", ComponentState.RUNNING), "the channel is not touched");

        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", "200");
        await("200 queued", () -> !channels.created.isEmpty() && channels.created.get(0).size() == 200);
        assertTrue(sinks.delivered.isEmpty());
        // A configuration change of the stopped sink does not start it.
        configure(ComponentKind.SINK, "k1", "type", "collect", "channel", "c1", "batch", "5");
        engine.reconcileNow();
        assertTrue(in("k1", ComponentState.STOPPED));

        assertTrue(engine.start("a1", ComponentKind.SINK, "k1"));
        await("200 delivered", () -> sinks.delivered.size() >= 200);
        assertEachDeliveredOnce(200);
        assertEquals(1, channels.created.size(), "the channel ran all along");
    }

    @Test
    void onlyConfiguredComponentsStopAndOnlyStoppedOnesStart() throws Exception {
        agentOf(10);
        await("running", () -> in("k1", ComponentState.RUNNING));
        assertFalse(engine.stop("a1", ComponentKind.SINK, "nope"));
        assertFalse(engine.stop("nope", ComponentKind.SINK, "k1"));
        assertFalse(engine.start("a1", ComponentKind.SINK, "k1"), "running, not stopped by an operator");
    }
}

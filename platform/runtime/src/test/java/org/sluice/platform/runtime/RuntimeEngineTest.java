package org.sluice.platform.runtime;

import org.sluice.platform.management.ComponentStatus;
import org.sluice.platform.management.ComponentState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.platform.runtime.TestPlugins.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ComponentKind;
import org.sluice.platform.runtime.TestPlugins.CollectingSinkFactory;
import org.sluice.platform.runtime.TestPlugins.NumberSourceFactory;
import org.sluice.platform.runtime.TestPlugins.QueueChannelFactory;

class RuntimeEngineTest {
    @TempDir
    Path data;

    private RuntimeEngine engine;
    private final TestPlugins.MapMetrics metrics = new TestPlugins.MapMetrics();
    private final QueueChannelFactory channels = new QueueChannelFactory();
    private final NumberSourceFactory sources = new NumberSourceFactory();
    private final CollectingSinkFactory sinks = new CollectingSinkFactory();
    private Provider channelProvider;
    private Provider sinkProvider;

    @BeforeEach
    void setUp() {
        TestPlugins.NEXT_NUMBER.set(0);
        engine = new RuntimeEngine(metrics, data, 5_000L, 10L, 50L);
        channelProvider = TestPlugins.provider(channels, "queue");
        sinkProvider = TestPlugins.provider(sinks, "collect");
        engine.providerAdded(ComponentKind.CHANNEL, channelProvider);
        engine.providerAdded(ComponentKind.SOURCE, TestPlugins.provider(sources, "numbers"));
        engine.providerAdded(ComponentKind.SINK, sinkProvider);
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

    private void remove(ComponentKind kind, String name) {
        engine.unconfigure(TestPlugins.pid("a1", kind, name));
    }

    private ComponentStatus status(String name) {
        return TestPlugins.status(engine, "a1", name);
    }

    private void assertAllDelivered(long total) {
        Set<Long> seen = new TreeSet<>();
        sinks.delivered.forEach(body -> seen.add(Long.parseLong(body)));
        for (long n = 0; n < total; n++) {
            assertTrue(seen.contains(n), "event " + n + " was lost");
        }
    }

    @Test
    void configurationBecomesARunningGraphAndEventsFlow() throws Exception {
        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", "500");
        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "1000");
        configure(ComponentKind.SINK, "k1", "type", "collect", "channel", "c1");
        await("500 events delivered", () -> sinks.delivered.size() >= 500);
        assertAllDelivered(500);
        assertEquals(500, sinks.delivered.size(), "no duplicates without failures");
        for (ComponentStatus s : engine.components("a1")) {
            assertEquals(ComponentState.RUNNING, s.state(), s.toString());
            assertEquals("test.bundle", s.providerBundle());
        }
        var channelCounters = metrics.counters("a1", ComponentKind.CHANNEL, "c1");
        assertEquals(500, channelCounters.get("EventPutSuccessCount"));
        await("takes counted", () -> channelCounters.get("EventTakeSuccessCount") == 500);
    }

    @Test
    void editingOneComponentLeavesAnUntouchedChannelAndItsEventsInPlace() throws Exception {
        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", "50");
        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "1000");
        await("50 events queued", () -> !channels.created.isEmpty() && channels.created.get(0).size() == 50);
        TestPlugins.QueueChannel channel = channels.created.get(0);

        // A sink that is not there yet, then a changed source: the channel must not restart.
        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", "80");
        await("source restarted", () -> sources.created.get() == 2);
        await("80 queued", () -> channel.size() == 80);
        assertEquals(1, channels.created.size(), "channel was restarted");
        assertFalse(channel.stopped);

        configure(ComponentKind.SINK, "k1", "type", "collect", "channel", "c1");
        await("80 delivered", () -> sinks.delivered.size() >= 80);
        assertSame(channel, channels.created.get(0));
        assertAllDelivered(80);
    }

    @Test
    void aChangedMemoryChannelHandsItsEventsToItsSuccessor() throws Exception {
        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", "60");
        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "1000");
        await("60 queued", () -> !channels.created.isEmpty() && channels.created.get(0).size() == 60);

        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "2000");
        await("new channel instance", () -> channels.created.size() == 2);
        await("events handed over", () -> channels.created.get(1).size() == 60);
        assertTrue(channels.created.get(0).stopped);

        configure(ComponentKind.SINK, "k1", "type", "collect", "channel", "c1");
        await("60 delivered", () -> sinks.delivered.size() >= 60);
        assertAllDelivered(60);
    }

    @Test
    void anAgentIsToldRunningOnceWhenEveryComponentRunsNotWhileOneWaitsForItsPlugin() throws Exception {
        List<String> told = new CopyOnWriteArrayList<>();
        engine.onFirstRunning(told::add);
        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "1000");
        configure(ComponentKind.SINK, "k1", "type", "collect", "channel", "c1");
        configure(ComponentKind.SOURCE, "r1", "type", "later", "channels", "c1", "total", "10");
        await("the source waits for its type", () -> status("r1") != null
                && status("r1").state() == ComponentState.WAITING && status("k1") != null
                && status("k1").state() == ComponentState.RUNNING);
        engine.reconcileNow();
        assertEquals(List.of(), told, "told while the source waited for its plugin");

        engine.providerAdded(ComponentKind.SOURCE, TestPlugins.provider(new NumberSourceFactory(), "later"));
        await("told that a1 runs", () -> told.equals(List.of("a1")));

        // A later change that stops and starts a component again is not a first start.
        configure(ComponentKind.SINK, "k1", "type", "collect", "channel", "c1", "batchSize", "7");
        engine.awaitSettled();
        engine.reconcileNow();
        assertEquals(List.of("a1"), told);
    }

    @Test
    void aSinkWhoseBundleGoesAwayWaitsAndResumesWithoutLoss() throws Exception {
        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "100000");
        configure(ComponentKind.SINK, "k1", "type", "collect", "channel", "c1");
        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", "20000", "batch", "5");
        await("some delivered", () -> sinks.delivered.size() > 100);

        engine.providerRemoved(ComponentKind.SINK, sinkProvider.serviceId());
        engine.awaitSettled();
        engine.reconcileNow();
        ComponentStatus waiting = status("k1");
        assertEquals(ComponentState.WAITING, waiting.state());
        assertTrue(waiting.reason().contains("'collect'"), waiting.reason());
        int deliveredWhileAway = sinks.delivered.size();
        TestPlugins.holdsFor("a removed sink delivering nothing", Duration.ofMillis(100),
                () -> sinks.delivered.size() == deliveredWhileAway);

        // The source goes on while the sink is away: what it produces waits in the channel.
        await("the rest queued", () -> channels.created.get(0).size() + deliveredWhileAway >= 20000);
        assertTrue(channels.created.get(0).size() > 0, "nothing was left in the channel for the returning sink");

        sinkProvider = TestPlugins.provider(sinks, "collect");
        engine.providerAdded(ComponentKind.SINK, sinkProvider);
        await("sink running again", () -> status("k1").state() == ComponentState.RUNNING);
        await("all 20000 delivered", () -> new TreeSet<>(sinks.delivered).size() >= 20000);
        assertAllDelivered(20000);
    }

    @Test
    void aChannelWhoseBundleIsUpdatedKeepsEveryEvent() throws Exception {
        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "100000");
        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", "2000", "batch", "5");
        await("some queued", () -> !channels.created.isEmpty() && channels.created.get(0).size() > 200);

        // An update: the old registration goes, a new one comes.
        engine.providerRemoved(ComponentKind.CHANNEL, channelProvider.serviceId());
        assertEquals(ComponentState.STOPPING, status("c1").state());
        engine.providerAdded(ComponentKind.CHANNEL, TestPlugins.provider(channels, "queue"));
        configure(ComponentKind.SINK, "k1", "type", "collect", "channel", "c1");
        await("all 2000 delivered", () -> new TreeSet<>(sinks.delivered).size() >= 2000);
        assertAllDelivered(2000);
    }

    @Test
    void typeAliasesMatchInAnyCaseAsInFlume() throws Exception {
        configure(ComponentKind.CHANNEL, "c1", "type", "QUEUE");
        engine.awaitSettled();
        engine.reconcileNow();
        assertEquals(ComponentState.RUNNING, status("c1").state());
    }

    @Test
    void unknownTypeWaitsNamingTheTypeAndTheRestRuns() throws Exception {
        configure(ComponentKind.CHANNEL, "c1", "type", "queue");
        configure(ComponentKind.CHANNEL, "c2", "type", "nosuch");
        engine.awaitSettled();
        engine.reconcileNow();
        assertEquals(ComponentState.RUNNING, status("c1").state());
        ComponentStatus c2 = status("c2");
        assertEquals(ComponentState.WAITING, c2.state());
        assertTrue(c2.reason().contains("channel type 'nosuch'"), c2.reason());
    }

    @Test
    void badValueFailsNamingAgentComponentAndKey() throws Exception {
        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "lots");
        engine.awaitSettled();
        ComponentStatus c1 = status("c1");
        assertEquals(ComponentState.FAILED, c1.state());
        assertTrue(c1.reason().contains("agent 'a1'") && c1.reason().contains("'c1'")
                && c1.reason().contains("key 'capacity'"), c1.reason());
        assertTrue(channels.created.isEmpty(), "a channel was created from a bad configuration");
    }

    @Test
    void sinkWithoutChannelFailsNamingTheKey() throws Exception {
        configure(ComponentKind.SINK, "k1", "type", "collect");
        engine.awaitSettled();
        ComponentStatus k1 = status("k1");
        assertEquals(ComponentState.FAILED, k1.state());
        assertTrue(k1.reason().contains("key 'channel'"), k1.reason());
    }

    @Test
    void aProviderThatAppearsLaterStartsTheWaitingComponent() throws Exception {
        configure(ComponentKind.CHANNEL, "c1", "type", "later");
        engine.awaitSettled();
        assertEquals(ComponentState.WAITING, status("c1").state());
        engine.providerAdded(ComponentKind.CHANNEL, TestPlugins.provider(channels, "later"));
        await("running", () -> status("c1").state() == ComponentState.RUNNING);
    }

    @Test
    void removingAChannelDrainsItThroughItsSinkFirst() throws Exception {
        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "100000");
        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", "400");
        await("400 queued", () -> !channels.created.isEmpty() && channels.created.get(0).size() == 400);
        remove(ComponentKind.SOURCE, "r1");
        configure(ComponentKind.SINK, "k1", "type", "collect", "channel", "c1");
        engine.awaitSettled();
        remove(ComponentKind.CHANNEL, "c1");
        remove(ComponentKind.SINK, "k1");
        engine.awaitSettled();
        await("channel stopped", () -> channels.created.get(0).stopped);
        assertAllDelivered(400);
        assertTrue(engine.components("a1").isEmpty());
    }

    @Test
    void shutdownDrainsMemoryChannels() throws Exception {
        configure(ComponentKind.CHANNEL, "c1", "type", "queue", "capacity", "100000");
        configure(ComponentKind.SOURCE, "r1", "type", "numbers", "channels", "c1", "total", "300");
        await("300 queued", () -> !channels.created.isEmpty() && channels.created.get(0).size() == 300);
        configure(ComponentKind.SINK, "k1", "type", "collect", "channel", "c1");
        engine.awaitSettled();
        engine.shutdown();
        assertAllDelivered(300);
        assertNotNull(List.of());
    }
}

package org.sluice.platform.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sluice.platform.runtime.ReconcilePlan.ChannelView;
import org.sluice.platform.runtime.ReconcilePlan.RunnerView;
import org.sluice.platform.runtime.ReconcilePlan.SinkView;
import org.sluice.platform.runtime.ReconcilePlan.Snapshot;
import org.sluice.platform.runtime.ReconcilePlan.SourceView;

/** The reconcile rules on data alone: what stops, what drains, what starts, and in which order. */
class ReconcilePlanTest {
    private static final long MEMORY = 1;
    private static final long FILE = 2;
    private static final long LOGGER = 3;
    private static final long NETCAT = 4;
    private static final long REPLICATING = 5;
    private static final long HOST_INTERCEPTOR = 6;
    private static final long FAILOVER = 7;
    private static final long CUSTOM_SELECTOR = 8;

    private static final Map<String, String> MEMORY_CHANNEL = Map.of("type", "memory", "capacity", "100");
    private static final Map<String, String> FILE_CHANNEL = Map.of("type", "file");
    private static final Map<String, String> SOURCE_R1 = Map.of("type", "netcat", "channels", "c1", "port", "4141");
    private static final Map<String, String> SINK_ON_C1 = Map.of("type", "logger", "channel", "c1");
    private static final Map<String, String> SINK_ON_C2 = Map.of("type", "logger", "channel", "c2");
    private static final Map<String, String> GROUP_K1_K2 = Map.of("sinks", "k1 k2", "processor.type", "failover");

    private final Map<ComponentKey, Map<String, String>> desired = new LinkedHashMap<>();
    private final Map<String, ChannelView> channels = new LinkedHashMap<>();
    private final Map<String, SinkView> sinks = new LinkedHashMap<>();
    private final Map<RunnerKey, RunnerView> runners = new LinkedHashMap<>();
    private final Map<String, SourceView> sources = new LinkedHashMap<>();

    /** a1: r1 (netcat, host interceptor) -> c1 (memory) -> k1 (logger, lone runner); c2 (file) -> k2 (lone). */
    private void runningAsConfigured() {
        desired.put(ComponentKey.channel("c1"), MEMORY_CHANNEL);
        desired.put(ComponentKey.channel("c2"), FILE_CHANNEL);
        desired.put(ComponentKey.sink("k1"), SINK_ON_C1);
        desired.put(ComponentKey.sink("k2"), SINK_ON_C2);
        desired.put(ComponentKey.source("r1"), SOURCE_R1);
        channels.put("c1", new ChannelView(MEMORY_CHANNEL, MEMORY, false));
        channels.put("c2", new ChannelView(FILE_CHANNEL, FILE, true));
        sinks.put("k1", new SinkView(SINK_ON_C1, "c1", LOGGER));
        sinks.put("k2", new SinkView(SINK_ON_C2, "c2", LOGGER));
        runners.put(lone("k1"), new RunnerView(null, List.of("k1"), Set.of()));
        runners.put(lone("k2"), new RunnerView(null, List.of("k2"), Set.of()));
        sources.put("r1", new SourceView(SOURCE_R1, List.of("c1"), Set.of(NETCAT, REPLICATING, HOST_INTERCEPTOR)));
    }

    private Snapshot running() {
        return new Snapshot(channels, sinks, runners, sources);
    }

    private ReconcilePlan plan() {
        return ReconcilePlan.toConfiguration(desired, running());
    }

    private static RunnerKey lone(String sink) {
        return new RunnerKey.LoneSink(sink);
    }

    private static RunnerKey group(String name) {
        return new RunnerKey.Group(name);
    }

    private static Map<String, String> with(Map<String, String> props, String key, String value) {
        Map<String, String> changed = new LinkedHashMap<>(props);
        changed.put(key, value);
        return changed;
    }

    @Test
    void aNewAgentStartsChannelsThenSinksThenRunnersThenSourcesInConfigurationOrder() {
        desired.put(ComponentKey.source("r1"), SOURCE_R1);
        desired.put(ComponentKey.sink("k3"), SINK_ON_C1);
        desired.put(ComponentKey.channel("c1"), MEMORY_CHANNEL);
        desired.put(ComponentKey.sink("k1"), SINK_ON_C1);
        desired.put(ComponentKey.sink("k2"), SINK_ON_C1);
        desired.put(ComponentKey.sinkGroup("g1"), GROUP_K1_K2);

        assertEquals(expect().startChannels("c1").startSinks("k3", "k1", "k2")
                .startRunners(group("g1"), lone("k3")).startSources("r1").plan(), plan(),
                "grouped sinks get no runner of their own");
    }

    @Test
    void whatRunsAsConfiguredIsLeftAlone() {
        runningAsConfigured();
        ReconcilePlan plan = plan();
        assertTrue(plan.isEmpty(), plan.toString());
    }

    @Test
    void aChangedSourceRestartsAloneAndItsChannelKeepsRunning() {
        runningAsConfigured();
        desired.put(ComponentKey.source("r1"), with(SOURCE_R1, "port", "4242"));
        assertEquals(expect().stopSources("r1").startSources("r1").plan(), plan());
    }

    @Test
    void aChangedChannelRestartsWithItsSourcesSinksAndTheirRunnersWithoutADrain() {
        runningAsConfigured();
        desired.put(ComponentKey.channel("c1"), with(MEMORY_CHANNEL, "capacity", "200"));
        assertEquals(expect().stopSources("r1").stopRunners(lone("k1")).stopSinks("k1").stopChannels("c1")
                .startChannels("c1").startSinks("k1").startRunners(lone("k1")).startSources("r1").plan(), plan(),
                "a replaced memory channel hands its events over instead of being drained");
    }

    @Test
    void aRemovedMemoryChannelIsDrainedByItsSinksBeforeTheyStop() {
        runningAsConfigured();
        desired.remove(ComponentKey.channel("c1"));
        assertEquals(expect().stopSources("r1").drain("c1").stopRunners(lone("k1")).stopSinks("k1")
                .stopChannels("c1").startSinks("k1").startRunners(lone("k1")).startSources("r1").plan(), plan(),
                "k1 and r1 are still configured: they start again, and wait for c1");
    }

    @Test
    void aRemovedDurableChannelOrOneWithoutARunningSinkIsNotDrained() {
        runningAsConfigured();
        desired.remove(ComponentKey.channel("c2"));
        assertEquals(List.of(), plan().drainChannels(), "a file channel keeps its events on disk");

        runningAsConfigured();
        desired.remove(ComponentKey.channel("c1"));
        runners.remove(lone("k1"));
        assertEquals(List.of(), plan().drainChannels(), "no runner drives a sink of c1");
    }

    @Test
    void aRemovedSinkStopsWithItsRunner() {
        runningAsConfigured();
        desired.remove(ComponentKey.sink("k2"));
        assertEquals(expect().stopRunners(lone("k2")).stopSinks("k2").plan(), plan());
    }

    @Test
    void aSinkThatJoinsAGroupLosesItsOwnRunnerAndKeepsRunning() {
        runningAsConfigured();
        desired.put(ComponentKey.sinkGroup("g1"), GROUP_K1_K2);
        assertEquals(expect().stopRunners(lone("k1"), lone("k2")).startRunners(group("g1")).plan(), plan());
    }

    @Test
    void aChangedGroupRestartsItsRunnerOnly() {
        groupRunning();
        desired.put(ComponentKey.sinkGroup("g1"), with(GROUP_K1_K2, "processor.priority.k1", "10"));
        assertEquals(expect().stopRunners(group("g1")).startRunners(group("g1")).plan(), plan());
    }

    @Test
    void aRestartedMemberRestartsItsGroup() {
        groupRunning();
        desired.put(ComponentKey.sink("k2"), with(SINK_ON_C1, "batch-size", "10"));
        assertEquals(expect().stopRunners(group("g1")).stopSinks("k2").startSinks("k2").startRunners(group("g1"))
                .plan(), plan(), "the group's processor holds the old k2");
    }

    @Test
    void aSinkListedByTwoGroupsBelongsToTheFirst() {
        desired.put(ComponentKey.sinkGroup("g1"), GROUP_K1_K2);
        desired.put(ComponentKey.sinkGroup("g2"), Map.of("sinks", "k2 k3"));
        assertEquals(Map.of("k1", "g1", "k2", "g1", "k3", "g2"), ReconcilePlan.groupOf(desired));
    }

    @Test
    void aGoneSourceHelperStopsOnlyThatSource() {
        runningAsConfigured();
        assertEquals(expect().stopSources("r1").plan(), ReconcilePlan.withoutProvider(running(), HOST_INTERCEPTOR));
    }

    @Test
    void aGoneSinkSelectorStopsTheGroupRunnerOnly() {
        groupRunning();
        assertEquals(expect().stopRunners(group("g1")).plan(),
                ReconcilePlan.withoutProvider(running(), CUSTOM_SELECTOR));
    }

    @Test
    void aGoneChannelProviderStopsItsChannelsWithEverythingOnThemWithoutADrain() {
        runningAsConfigured();
        assertEquals(expect().stopSources("r1").stopRunners(lone("k1")).stopSinks("k1").stopChannels("c1").plan(),
                ReconcilePlan.withoutProvider(running(), MEMORY),
                "the bundle is going away now: the events are handed over, nothing starts");
    }

    @Test
    void aGoneSinkProviderStopsEverySinkItMadeAndTheirRunners() {
        runningAsConfigured();
        assertEquals(expect().stopRunners(lone("k1"), lone("k2")).stopSinks("k1", "k2").plan(),
                ReconcilePlan.withoutProvider(running(), LOGGER));
    }

    @Test
    void aProviderNothingUsesStopsNothing() {
        runningAsConfigured();
        assertTrue(ReconcilePlan.withoutProvider(running(), FAILOVER).isEmpty());
    }

    @Test
    void shutdownStopsEverythingAndDrainsTheMemoryChannels() {
        runningAsConfigured();
        assertEquals(expect().stopSources("r1").drain("c1").stopRunners(lone("k1"), lone("k2"))
                .stopSinks("k1", "k2").stopChannels("c1", "c2").plan(), ReconcilePlan.shutdown(running()));
    }

    /** c1 -> k1, k2 in group g1 (failover, with a sink selector from another bundle). */
    private void groupRunning() {
        desired.put(ComponentKey.channel("c1"), MEMORY_CHANNEL);
        desired.put(ComponentKey.sink("k1"), SINK_ON_C1);
        desired.put(ComponentKey.sink("k2"), SINK_ON_C1);
        desired.put(ComponentKey.sinkGroup("g1"), GROUP_K1_K2);
        channels.put("c1", new ChannelView(MEMORY_CHANNEL, MEMORY, false));
        sinks.put("k1", new SinkView(SINK_ON_C1, "c1", LOGGER));
        sinks.put("k2", new SinkView(SINK_ON_C1, "c1", LOGGER));
        runners.put(group("g1"), new RunnerView(GROUP_K1_K2, List.of("k1", "k2"), Set.of(FAILOVER, CUSTOM_SELECTOR)));
    }

    private static Expected expect() {
        return new Expected();
    }

    /** The plan a test expects; what it does not name, the plan must leave empty. */
    private static final class Expected {
        private List<String> stopSources = List.of();
        private List<String> drain = List.of();
        private List<RunnerKey> stopRunners = List.of();
        private List<String> stopSinks = List.of();
        private List<String> stopChannels = List.of();
        private List<String> startChannels = List.of();
        private List<String> startSinks = List.of();
        private List<RunnerKey> startRunners = List.of();
        private List<String> startSources = List.of();

        Expected stopSources(String... names) {
            stopSources = List.of(names);
            return this;
        }

        Expected drain(String... names) {
            drain = List.of(names);
            return this;
        }

        Expected stopRunners(RunnerKey... keys) {
            stopRunners = List.of(keys);
            return this;
        }

        Expected stopSinks(String... names) {
            stopSinks = List.of(names);
            return this;
        }

        Expected stopChannels(String... names) {
            stopChannels = List.of(names);
            return this;
        }

        Expected startChannels(String... names) {
            startChannels = List.of(names);
            return this;
        }

        Expected startSinks(String... names) {
            startSinks = List.of(names);
            return this;
        }

        Expected startRunners(RunnerKey... keys) {
            startRunners = List.of(keys);
            return this;
        }

        Expected startSources(String... names) {
            startSources = List.of(names);
            return this;
        }

        ReconcilePlan plan() {
            return new ReconcilePlan(stopSources, drain, stopRunners, stopSinks, stopChannels, startChannels,
                    startSinks, startRunners, startSources);
        }
    }
}

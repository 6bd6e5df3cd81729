package org.sluice.platform.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.sluice.api.component.ComponentKind;
import org.sluice.platform.config.ConfigSchema;

/**
 * What one pass over an agent stops and starts, worked out from data alone: the configurations, what runs
 * (with its configuration, what it is wired to and the providers it was made by). No OSGi, no threads, no
 * component is touched here; {@link Agent} carries the plan out.
 *
 * <p>Stops come in Flume's order: sources, then the drain of the memory channels being removed (their sinks
 * empty them), then sink runners, sinks, channels. What depends on a stopping component stops with it: the
 * sources and sinks of a channel, the runner of a sink. Starts go the other way: channels, sinks, sink runners
 * (groups, then lone sinks), sources. A start is a candidate: its builder still checks that what it needs runs.
 *
 * @param stopSources   sources to stop, first
 * @param drainChannels memory channels removed from the configuration whose sinks empty them before they stop
 * @param stopRunners   sink runners to stop, after the drain
 * @param stopSinks     sinks to stop
 * @param stopChannels  channels to stop, last
 * @param startChannels configured channels that do not run (after the stops), in configuration order
 * @param startSinks    configured sinks that do not run
 * @param startRunners  sink groups, then sinks no group lists, whose runner does not run
 * @param startSources  configured sources that do not run
 */
record ReconcilePlan(List<String> stopSources, List<String> drainChannels, List<RunnerKey> stopRunners,
        List<String> stopSinks, List<String> stopChannels, List<String> startChannels, List<String> startSinks,
        List<RunnerKey> startRunners, List<String> startSources) {

    /** What runs, as the plan needs to know it. */
    record Snapshot(Map<String, ChannelView> channels, Map<String, SinkView> sinks,
            Map<RunnerKey, RunnerView> runners, Map<String, SourceView> sources) {

        static Snapshot empty() {
            return new Snapshot(Map.of(), Map.of(), Map.of(), Map.of());
        }
    }

    /** A running channel: its configuration, its provider, and whether it keeps its events on disk. */
    record ChannelView(Map<String, String> config, long provider, boolean durable) {
    }

    /** A running sink and the channel it takes from. */
    record SinkView(Map<String, String> config, String channel, long provider, Set<Long> parts) {

        /** A sink that looked no part up. */
        SinkView(Map<String, String> config, String channel, long provider) {
            this(config, channel, provider, Set.of());
        }
    }

    /**
     * A running sink runner: the group's configuration (null for a lone sink's), the sinks it drives, and the
     * providers of the group's processor and sink selector.
     */
    record RunnerView(Map<String, String> config, List<String> members, Set<Long> providers) {
    }

    /** A running source, the channels it puts into, and the providers of it, its selector and its interceptors. */
    record SourceView(Map<String, String> config, List<String> channels, Set<Long> providers) {
    }

    /** Brings what runs to the configurations: stops what changed or went, starts what is missing. */
    static ReconcilePlan toConfiguration(Map<ComponentKey, Map<String, String>> desired, Snapshot running) {
        return toConfiguration(desired, Set.of(), running);
    }

    /**
     * As {@link #toConfiguration(Map, Snapshot)}, with the components an operator stopped ({@code held}) stopped
     * and not started. A held channel stops at once, without a drain: a memory channel's events are handed over
     * and wait for it to start again.
     */
    static ReconcilePlan toConfiguration(Map<ComponentKey, Map<String, String>> desired, Set<ComponentKey> held,
            Snapshot running) {
        Stops stops = new Stops();
        running.channels().forEach((name, channel) -> {
            Map<String, String> wanted = desired.get(ComponentKey.channel(name));
            if (held.contains(ComponentKey.channel(name))) {
                stops.channels.add(name);
            } else if (wanted == null) {
                stops.channels.add(name);
                stops.removedChannels.add(name);
            } else if (!wanted.equals(channel.config())) {
                stops.channels.add(name);
            }
        });
        running.sinks().forEach((name, sink) -> {
            if (held.contains(ComponentKey.sink(name))
                    || !Objects.equals(desired.get(ComponentKey.sink(name)), sink.config())) {
                stops.sinks.add(name);
            }
        });
        Map<String, String> groupOf = groupOf(desired);
        running.runners().forEach((key, runner) -> {
            boolean stale = key instanceof RunnerKey.LoneSink
                    // The sink joined a group: the group's processor drives it now.
                    ? groupOf.containsKey(key.name())
                    : held.contains(ComponentKey.sinkGroup(key.name()))
                            || !Objects.equals(desired.get(ComponentKey.sinkGroup(key.name())), runner.config());
            if (stale) {
                stops.runners.add(key);
            }
        });
        running.sources().forEach((name, source) -> {
            if (held.contains(ComponentKey.source(name))
                    || !Objects.equals(desired.get(ComponentKey.source(name)), source.config())) {
                stops.sources.add(name);
            }
        });
        stops.addDependents(running);

        List<String> startChannels = new ArrayList<>();
        List<String> startSinks = new ArrayList<>();
        List<RunnerKey> startGroups = new ArrayList<>();
        List<RunnerKey> startLoneSinks = new ArrayList<>();
        List<String> startSources = new ArrayList<>();
        desired.keySet().forEach(key -> {
            if (held.contains(key)) {
                return;
            }
            String name = key.name();
            switch (key.kind()) {
                case CHANNEL -> addIfStopped(startChannels, name, running.channels().keySet(), stops.channels);
                case SINK -> {
                    addIfStopped(startSinks, name, running.sinks().keySet(), stops.sinks);
                    if (!groupOf.containsKey(name)) {
                        addIfStopped(startLoneSinks, new RunnerKey.LoneSink(name), running.runners().keySet(),
                                stops.runners);
                    }
                }
                case SINKGROUP -> addIfStopped(startGroups, new RunnerKey.Group(name), running.runners().keySet(),
                        stops.runners);
                case SOURCE -> addIfStopped(startSources, name, running.sources().keySet(), stops.sources);
                default -> {
                    // Interceptors, selectors and processors are parts of sources and groups, never configured alone.
                }
            }
        });
        List<RunnerKey> startRunners = new ArrayList<>(startGroups);
        startRunners.addAll(startLoneSinks);
        return stops.plan(running, startChannels, startSinks, startRunners, startSources);
    }

    /**
     * Stops what a provider that is going away made, and what depends on it: a source whose selector or
     * interceptor it made, a group whose processor or sink selector it made. Its bundle's classes must not be
     * used after this, so nothing is drained (a memory channel's events are handed over) and nothing starts.
     */
    static ReconcilePlan withoutProvider(Snapshot running, long provider) {
        Stops stops = new Stops();
        running.sources().forEach((name, source) -> {
            if (source.providers().contains(provider)) {
                stops.sources.add(name);
            }
        });
        running.runners().forEach((key, runner) -> {
            if (runner.providers().contains(provider)) {
                stops.runners.add(key);
            }
        });
        running.sinks().forEach((name, sink) -> {
            if (sink.provider() == provider || sink.parts().contains(provider)) {
                stops.sinks.add(name);
            }
        });
        running.channels().forEach((name, channel) -> {
            if (channel.provider() == provider) {
                stops.channels.add(name);
            }
        });
        stops.addDependents(running);
        return stops.plan(running, List.of(), List.of(), List.of(), List.of());
    }

    /** Stops everything; every memory channel is drained by its sinks first. */
    static ReconcilePlan shutdown(Snapshot running) {
        Stops stops = new Stops();
        stops.sources.addAll(running.sources().keySet());
        stops.runners.addAll(running.runners().keySet());
        stops.sinks.addAll(running.sinks().keySet());
        stops.channels.addAll(running.channels().keySet());
        stops.removedChannels.addAll(running.channels().keySet());
        return stops.plan(running, List.of(), List.of(), List.of(), List.of());
    }

    /** True when the plan stops and starts nothing. */
    boolean isEmpty() {
        return stopSources.isEmpty() && stopRunners.isEmpty() && stopSinks.isEmpty() && stopChannels.isEmpty()
                && startChannels.isEmpty() && startSinks.isEmpty() && startRunners.isEmpty() && startSources.isEmpty();
    }

    /**
     * True when draining the channel makes sense: it runs, holds its events in memory (a durable channel keeps
     * them on disk), and a running runner drives a sink that takes from it.
     */
    static boolean drainable(Snapshot running, String channel) {
        ChannelView view = running.channels().get(channel);
        return view != null && !view.durable()
                && running.runners().values().stream().flatMap(r -> r.members().stream()).anyMatch(member -> {
                    SinkView sink = running.sinks().get(member);
                    return sink != null && sink.channel().equals(channel);
                });
    }

    /** Sink name to the group it belongs to; a sink listed by two groups belongs to the first configured. */
    static Map<String, String> groupOf(Map<ComponentKey, Map<String, String>> desired) {
        Map<String, String> groupOf = new LinkedHashMap<>();
        desired.forEach((key, props) -> {
            if (key.kind() == ComponentKind.SINKGROUP) {
                for (String sink : names(props.get(ConfigSchema.SINKS))) {
                    groupOf.putIfAbsent(sink, key.name());
                }
            }
        });
        return groupOf;
    }

    /** The names of a space-separated list ({@code channels = c1 c2}). */
    static List<String> names(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    private static <K> void addIfStopped(List<K> into, K key, Set<K> running, Set<K> stopping) {
        if (!running.contains(key) || stopping.contains(key)) {
            into.add(key);
        }
    }

    /** The stops a plan is built from, in the order they were found, dependents after. */
    private static final class Stops {
        final Set<String> sources = new LinkedHashSet<>();
        final Set<RunnerKey> runners = new LinkedHashSet<>();
        final Set<String> sinks = new LinkedHashSet<>();
        final Set<String> channels = new LinkedHashSet<>();
        /** Channels that stop for good (not to be replaced): their sinks get to empty them first. */
        final Set<String> removedChannels = new LinkedHashSet<>();

        /** A stopping channel takes its sources and sinks with it; a stopping sink takes its runner. */
        void addDependents(Snapshot running) {
            for (String channel : channels) {
                running.sources().forEach((name, source) -> {
                    if (source.channels().contains(channel)) {
                        sources.add(name);
                    }
                });
                running.sinks().forEach((name, sink) -> {
                    if (sink.channel().equals(channel)) {
                        sinks.add(name);
                    }
                });
            }
            for (String sink : sinks) {
                running.runners().forEach((key, runner) -> {
                    if (runner.members().contains(sink)) {
                        runners.add(key);
                    }
                });
            }
        }

        ReconcilePlan plan(Snapshot running, List<String> startChannels, List<String> startSinks,
                List<RunnerKey> startRunners, List<String> startSources) {
            List<String> drain = removedChannels.stream().filter(channel -> drainable(running, channel)).toList();
            return new ReconcilePlan(List.copyOf(sources), List.copyOf(drain), List.copyOf(runners),
                    List.copyOf(sinks), List.copyOf(channels), List.copyOf(startChannels), List.copyOf(startSinks),
                    List.copyOf(startRunners), List.copyOf(startSources));
        }
    }
}

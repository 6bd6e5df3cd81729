package org.sluice.platform.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkProcessor;
import org.sluice.api.sink.SinkSelector;
import org.sluice.api.source.Source;

/**
 * The components of one agent that run now, with what each was made from and wired to. Not thread-safe: the
 * agent reads and changes it under its lock.
 */
final class RunningGraph {

    record ChannelEntry(ManagedChannel channel, Provider provider, Map<String, String> config, boolean durable) {
    }

    /** A sink; {@code parts} are the providers of what it looked up through its context (its serializer). */
    record SinkEntry(Sink sink, Provider provider, Map<String, String> config, ManagedChannel channel,
            List<Provider> parts) {
    }

    /**
     * A sink runner. A group's has its configuration, processor and (when the processor names one) the sink
     * selector taken from the registry; {@code providers} are theirs, processor first. A lone sink's has none.
     */
    record RunnerEntry(Runner runner, List<String> members, Map<String, String> config, List<Provider> providers,
            SinkProcessor processor, SinkSelector selector) {
    }

    /**
     * A source; {@code providers} are the source's, its channel selector's and its interceptors', in that order, then
     * those of the parts they looked up through their contexts.
     */
    record SourceEntry(Source source, Runner runner, Map<String, String> config, List<ManagedChannel> channels,
            List<Provider> providers, List<Interceptor> interceptors) {
    }

    final Map<String, ChannelEntry> channels = new LinkedHashMap<>();
    final Map<String, SinkEntry> sinks = new LinkedHashMap<>();
    final Map<RunnerKey, RunnerEntry> runners = new LinkedHashMap<>();
    final Map<String, SourceEntry> sources = new LinkedHashMap<>();

    boolean isEmpty() {
        return channels.isEmpty() && sinks.isEmpty() && runners.isEmpty() && sources.isEmpty();
    }

    /** What runs, as {@link ReconcilePlan} sees it. */
    ReconcilePlan.Snapshot snapshot() {
        Map<String, ReconcilePlan.ChannelView> channelViews = new LinkedHashMap<>();
        channels.forEach((name, c) -> channelViews.put(name,
                new ReconcilePlan.ChannelView(c.config(), c.provider().serviceId(), c.durable())));
        Map<String, ReconcilePlan.SinkView> sinkViews = new LinkedHashMap<>();
        sinks.forEach((name, s) -> sinkViews.put(name,
                new ReconcilePlan.SinkView(s.config(), s.channel().name(), s.provider().serviceId(),
                        ids(s.parts()))));
        Map<RunnerKey, ReconcilePlan.RunnerView> runnerViews = new LinkedHashMap<>();
        runners.forEach((key, r) -> runnerViews.put(key,
                new ReconcilePlan.RunnerView(r.config(), r.members(), ids(r.providers()))));
        Map<String, ReconcilePlan.SourceView> sourceViews = new LinkedHashMap<>();
        sources.forEach((name, s) -> sourceViews.put(name, new ReconcilePlan.SourceView(s.config(),
                s.channels().stream().map(ManagedChannel::name).toList(), ids(s.providers()))));
        return new ReconcilePlan.Snapshot(channelViews, sinkViews, runnerViews, sourceViews);
    }

    private static Set<Long> ids(List<Provider> providers) {
        return providers.stream().map(Provider::serviceId).collect(Collectors.toSet());
    }
}

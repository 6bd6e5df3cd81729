package org.sluice.platform.runtime;

import org.sluice.platform.management.ComponentStatus;
import org.sluice.platform.management.ComponentState;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.channel.Transaction;
import org.sluice.api.component.ComponentFactory;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.interceptor.InterceptorFactory;
import org.sluice.api.selector.ChannelSelector;
import org.sluice.api.selector.ChannelSelectorFactory;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkFactory;
import org.sluice.api.sink.SinkProcessor;
import org.sluice.api.sink.SinkProcessorFactory;
import org.sluice.api.sink.SinkSelector;
import org.sluice.api.sink.SinkSelectorFactory;
import org.sluice.api.source.PollableSource;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceFactory;
import org.sluice.platform.config.ConfigSchema;
import org.sluice.platform.config.TypedConfiguration;
import org.sluice.platform.metrics.ComponentCounters;

/**
 * One agent: the components its configurations ask for, the ones running, and the work of bringing the
 * second to the first. Reconciling stops only what changed (and what depends on it: the sources and sinks
 * of a restarted channel), then starts channels, sinks, sink runners and sources in that order.
 *
 * <p>A memory-only channel that stops (its configuration changed, its bundle is updated or stopped) hands
 * its events to the runtime, which puts them into the instance that replaces it, first; a channel removed
 * from the configuration is drained by its sinks before it stops. Not thread-safe: the engine calls it under
 * its lock.
 */
final class AgentGraph {
    private static final Logger LOG = LoggerFactory.getLogger(AgentGraph.class);

    private static final long RUNNER_GRACE_MILLIS = 10_000L;
    /** How long after an agent appears a component may wait for its plugin before that is a warning. */
    private static final long STARTUP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int HANDOVER_BATCH = 100;

    /** What a component needs from the engine. */
    interface Environment {
        Provider lookup(ComponentKind family, String type);

        ComponentCounters counters(String agent, ComponentKind kind, String name);

        void forgetCounters(String agent, ComponentKind kind, String name);

        Path dataRoot();

        long drainTimeoutMillis();

        /** Flume's sink runner backoff: 1000 ms more per consecutive BACKOFF, at most 5000 ms. */
        long sinkBackoffIncrementMillis();

        long sinkMaxBackoffMillis();
    }

    record Key(ComponentKind kind, String name) {
    }

    private record RunningChannel(ManagedChannel channel, Provider provider, Map<String, String> props,
            boolean durable) {
    }

    private record RunningSink(Sink sink, Provider provider, Map<String, String> props, ManagedChannel channel) {
    }

    /**
     * A sink group's runner (group != null) or a lone sink's. {@code selector} is the group's sink selector taken
     * from the registry (its provider in {@code helpers}), or null.
     */
    private record RunningRunner(Runner runner, String group, List<String> members, Map<String, String> props,
            Provider provider, SinkProcessor processor, SinkSelector selector, List<Provider> helpers) {
    }

    private record RunningSource(Source source, Runner runner, Provider provider, Map<String, String> props,
            List<ManagedChannel> channels, List<Provider> helpers, List<Interceptor> interceptors) {
    }

    private final String agent;
    private final Environment env;

    private final Map<Key, Map<String, String>> desired = new LinkedHashMap<>();
    private final Map<String, RunningChannel> channels = new LinkedHashMap<>();
    private final Map<String, RunningSink> sinks = new LinkedHashMap<>();
    private final Map<String, RunningRunner> runners = new LinkedHashMap<>();
    private final Map<String, RunningSource> sources = new LinkedHashMap<>();
    /** Events of stopped memory channels, waiting for the channel of the same name to run again. */
    private final Map<String, Deque<Event>> held = new LinkedHashMap<>();
    /** Configurations that failed validation or creation, by the configuration and provider they failed with. */
    private final Map<Key, Object> failedSignatures = new LinkedHashMap<>();
    private final Map<Key, ComponentStatus> status = new ConcurrentHashMap<>();
    /** Waiting components already warned about, until their reason changes; guarded like the graph. */
    private final Set<Key> warnedWaiting = new HashSet<>();
    private final long createdNanos = System.nanoTime();

    AgentGraph(String agent, Environment env) {
        this.agent = agent;
        this.env = env;
    }

    String name() {
        return agent;
    }

    boolean isEmpty() {
        return desired.isEmpty() && channels.isEmpty() && sinks.isEmpty() && sources.isEmpty() && held.isEmpty();
    }

    void configure(ComponentKind kind, String name, Map<String, String> properties) {
        desired.put(new Key(kind, name), Map.copyOf(properties));
    }

    void unconfigure(ComponentKind kind, String name) {
        desired.remove(new Key(kind, name));
    }

    List<ComponentStatus> statuses() {
        List<ComponentStatus> out = new ArrayList<>(status.values());
        out.sort((a, b) -> a.kind() != b.kind() ? a.kind().compareTo(b.kind()) : a.name().compareTo(b.name()));
        return out;
    }

    int heldEvents() {
        return held.values().stream().mapToInt(Deque::size).sum();
    }

    // ---------------------------------------------------------------- reconcile

    void reconcile() {
        Set<String> stopChannels = new LinkedHashSet<>();
        Set<String> drainChannels = new LinkedHashSet<>();
        channels.forEach((name, running) -> {
            Map<String, String> wanted = desired.get(new Key(ComponentKind.CHANNEL, name));
            if (wanted == null) {
                stopChannels.add(name);
                drainChannels.add(name);
            } else if (!wanted.equals(running.props())) {
                stopChannels.add(name);
            }
        });
        Set<String> stopSinks = new LinkedHashSet<>();
        sinks.forEach((name, running) -> {
            if (!Objects.equals(desired.get(new Key(ComponentKind.SINK, name)), running.props())) {
                stopSinks.add(name);
            }
        });
        Map<String, String> groupOfSink = groupMembership();
        Set<String> stopRunners = new LinkedHashSet<>();
        runners.forEach((key, running) -> {
            if (running.group() == null) {
                if (groupOfSink.containsKey(running.members().get(0))) {
                    stopRunners.add(key);
                }
            } else if (!Objects.equals(desired.get(new Key(ComponentKind.SINKGROUP, running.group())),
                    running.props())) {
                stopRunners.add(key);
            }
        });
        Set<String> stopSources = new LinkedHashSet<>();
        sources.forEach((name, running) -> {
            if (!Objects.equals(desired.get(new Key(ComponentKind.SOURCE, name)), running.props())) {
                stopSources.add(name);
            }
        });
        stop(stopSources, stopRunners, stopSinks, stopChannels, drainChannels);
        start();
        for (Key key : status.keySet()) {
            if (!desired.containsKey(key) && key.kind() != ComponentKind.SINKGROUP) {
                // Removed from the configuration: its counters are no longer published.
                env.forgetCounters(agent, key.kind(), key.name());
            }
        }
        status.keySet().removeIf(key -> !desired.containsKey(key));
        failedSignatures.keySet().removeIf(key -> !desired.containsKey(key));
    }

    /** Stops whatever used {@code provider}, at once: its bundle is going away. */
    void providerGone(Provider provider) {
        Set<String> stopSources = new LinkedHashSet<>();
        sources.forEach((name, running) -> {
            if (running.provider() == provider || running.helpers().contains(provider)) {
                stopSources.add(name);
            }
        });
        Set<String> stopRunners = new LinkedHashSet<>();
        runners.forEach((key, running) -> {
            if (running.provider() == provider || running.helpers().contains(provider)) {
                stopRunners.add(key);
            }
        });
        Set<String> stopSinks = new LinkedHashSet<>();
        sinks.forEach((name, running) -> {
            if (running.provider() == provider) {
                stopSinks.add(name);
            }
        });
        Set<String> stopChannels = new LinkedHashSet<>();
        channels.forEach((name, running) -> {
            if (running.provider() == provider) {
                stopChannels.add(name);
            }
        });
        if (stopSources.isEmpty() && stopRunners.isEmpty() && stopSinks.isEmpty() && stopChannels.isEmpty()) {
            return;
        }
        LOG.info("Agent {}: {} is going away; stopping the components it provides", agent, provider);
        stop(stopSources, stopRunners, stopSinks, stopChannels, Set.of());
        failedSignatures.clear();
    }

    /** Drains the memory channels through their sinks (bounded), then stops everything. */
    void shutdown() {
        Set<String> drain = new LinkedHashSet<>(channels.keySet());
        stop(new LinkedHashSet<>(sources.keySet()), new LinkedHashSet<>(runners.keySet()),
                new LinkedHashSet<>(sinks.keySet()), new LinkedHashSet<>(channels.keySet()), drain);
        held.forEach((channel, events) -> {
            if (!events.isEmpty()) {
                LOG.error("Agent {}: {} events of memory channel {} were not delivered before shutdown and are lost "
                        + "with this process (a memory channel keeps events only while the agent runs)", agent,
                        events.size(), channel);
            }
        });
        held.clear();
        status.clear();
    }

    // ---------------------------------------------------------------- stopping

    private void stop(Set<String> stopSources, Set<String> stopRunners, Set<String> stopSinks,
            Set<String> stopChannels, Set<String> drainChannels) {
        // What depends on a stopping channel or sink stops with it.
        for (String channel : stopChannels) {
            sources.forEach((name, running) -> {
                if (running.channels().stream().anyMatch(c -> c.name().equals(channel))) {
                    stopSources.add(name);
                }
            });
            sinks.forEach((name, running) -> {
                if (running.channel().name().equals(channel)) {
                    stopSinks.add(name);
                }
            });
        }
        for (String sink : stopSinks) {
            runners.forEach((key, running) -> {
                if (running.members().contains(sink)) {
                    stopRunners.add(key);
                }
            });
        }
        for (String name : stopSources) {
            stopSource(name);
        }
        for (String channel : drainChannels) {
            drain(channel);
        }
        for (String key : stopRunners) {
            stopRunner(key);
        }
        for (String name : stopSinks) {
            stopSink(name);
        }
        for (String name : stopChannels) {
            stopChannel(name);
        }
    }

    private void stopSource(String name) {
        RunningSource running = sources.remove(name);
        if (running == null) {
            return;
        }
        setStatus(ComponentKind.SOURCE, name, ComponentState.STOPPING, running.provider(), null);
        if (running.runner() != null) {
            running.runner().stop(RUNNER_GRACE_MILLIS);
        }
        stopQuietly(running.source(), "source " + name);
        for (Interceptor interceptor : running.interceptors()) {
            stopQuietly(interceptor, "interceptor of source " + name);
        }
        env.counters(agent, ComponentKind.SOURCE, name).markStopped();
        LOG.info("Agent {}: source {} stopped", agent, name);
    }

    private void stopRunner(String key) {
        RunningRunner running = runners.remove(key);
        if (running == null) {
            return;
        }
        running.runner().stop(RUNNER_GRACE_MILLIS);
        if (running.processor() != null) {
            stopQuietly(running.processor(), "sink processor of group " + running.group());
        }
        if (running.selector() != null) {
            // After the processor: it may use the selector until it has stopped.
            stopQuietly(running.selector(), "sink selector of group " + running.group());
        }
    }

    private void stopSink(String name) {
        RunningSink running = sinks.remove(name);
        if (running == null) {
            return;
        }
        setStatus(ComponentKind.SINK, name, ComponentState.STOPPING, running.provider(), null);
        stopQuietly(running.sink(), "sink " + name);
        env.counters(agent, ComponentKind.SINK, name).markStopped();
        LOG.info("Agent {}: sink {} stopped", agent, name);
    }

    private void stopChannel(String name) {
        RunningChannel running = channels.remove(name);
        if (running == null) {
            return;
        }
        setStatus(ComponentKind.CHANNEL, name, ComponentState.STOPPING, running.provider(), null);
        // Stopped first: a stopped channel hands out what it holds without waiting for more (Channel#take).
        stopQuietly(running.channel().delegate(), "channel " + name);
        if (!running.durable()) {
            handOver(name, running.channel().delegate());
        }
        env.counters(agent, ComponentKind.CHANNEL, name).markStopped();
        LOG.info("Agent {}: channel {} stopped{}", agent, name,
                held.containsKey(name) ? "; holding " + held.get(name).size() + " of its events for its successor"
                        : "");
    }

    /** Lets the sinks of a channel that is going away empty it, for up to the drain timeout. */
    private void drain(String name) {
        RunningChannel running = channels.get(name);
        if (running == null || running.durable()) {
            return;
        }
        ComponentCounters counters = running.channel().counters();
        boolean hasSink = sinks.values().stream().anyMatch(s -> s.channel() == running.channel())
                && runners.values().stream().anyMatch(r -> r.members().stream()
                        .anyMatch(m -> sinks.containsKey(m) && sinks.get(m).channel() == running.channel()));
        if (!hasSink) {
            return;
        }
        long deadline = System.nanoTime() + env.drainTimeoutMillis() * 1_000_000L;
        while (counters.get(ChannelCounter.CHANNEL_SIZE) > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        long left = counters.get(ChannelCounter.CHANNEL_SIZE);
        if (left > 0) {
            LOG.warn("Agent {}: channel {} still holds {} events after draining for {} ms", agent, name, left,
                    env.drainTimeoutMillis());
        }
    }

    /** Takes every event out of a memory channel that is about to stop, into the runtime's hands. */
    private void handOver(String name, Channel channel) {
        Deque<Event> into = held.computeIfAbsent(name, n -> new ArrayDeque<>());
        int before = into.size();
        while (true) {
            List<Event> batch = new ArrayList<>(HANDOVER_BATCH);
            Transaction tx = channel.getTransaction();
            tx.begin();
            try {
                for (int i = 0; i < HANDOVER_BATCH; i++) {
                    Event event = channel.take();
                    if (event == null) {
                        break;
                    }
                    // A copy: the event's class may belong to the bundle that is going away.
                    batch.add(EventBuilder.copyOf(event));
                }
                tx.commit();
            } catch (Throwable t) {
                tx.rollback();
                LOG.error("Agent {}: could not take the events of stopping channel {} into safe keeping; "
                        + "they stay in the stopped channel instance and are lost with it", agent, name, t);
                if (t instanceof Error) {
                    throw (Error) t;
                }
                break;
            } finally {
                tx.close();
            }
            into.addAll(batch);
            if (batch.size() < HANDOVER_BATCH) {
                break;
            }
        }
        if (into.isEmpty()) {
            held.remove(name);
        } else if (into.size() > before) {
            LOG.info("Agent {}: took {} events of channel {} into safe keeping until it runs again", agent,
                    into.size() - before, name);
        }
    }

    /** Puts held events back, oldest first, one per transaction so any transactionCapacity fits. */
    private void restoreHeld(String name, ManagedChannel channel) {
        Deque<Event> events = held.get(name);
        if (events == null) {
            return;
        }
        int restored = 0;
        Channel target = channel.delegate();
        while (!events.isEmpty()) {
            Event event = events.peekFirst();
            Transaction tx = target.getTransaction();
            tx.begin();
            try {
                target.put(event);
                tx.commit();
            } catch (Throwable t) {
                tx.rollback();
                if (t instanceof Error) {
                    throw (Error) t;
                }
                LOG.warn("Agent {}: channel {} took {} held events and refuses more for now ({}); the other {} stay "
                        + "held and are retried", agent, name, restored, t.toString(), events.size());
                break;
            } finally {
                tx.close();
            }
            events.pollFirst();
            restored++;
        }
        if (events.isEmpty()) {
            held.remove(name);
        }
        if (restored > 0) {
            LOG.info("Agent {}: put {} held events back into channel {}", agent, restored, name);
        }
    }

    /** Retries held events of running channels (a channel that was full on restart has room later). */
    void retryHeld() {
        for (String name : new ArrayList<>(held.keySet())) {
            RunningChannel running = channels.get(name);
            if (running != null) {
                restoreHeld(name, running.channel());
            }
        }
    }

    // ---------------------------------------------------------------- starting

    private void start() {
        for (Map.Entry<Key, Map<String, String>> entry : desired.entrySet()) {
            if (entry.getKey().kind() == ComponentKind.CHANNEL && !channels.containsKey(entry.getKey().name())) {
                startChannel(entry.getKey().name(), entry.getValue());
            }
        }
        for (Map.Entry<Key, Map<String, String>> entry : desired.entrySet()) {
            if (entry.getKey().kind() == ComponentKind.SINK && !sinks.containsKey(entry.getKey().name())) {
                startSink(entry.getKey().name(), entry.getValue());
            }
        }
        startRunners();
        for (Map.Entry<Key, Map<String, String>> entry : desired.entrySet()) {
            if (entry.getKey().kind() == ComponentKind.SOURCE && !sources.containsKey(entry.getKey().name())) {
                startSource(entry.getKey().name(), entry.getValue());
            }
        }
    }

    private void startChannel(String name, Map<String, String> props) {
        Provider provider = provider(ComponentKind.CHANNEL, name, props, ComponentKind.CHANNEL,
                props.get(ConfigSchema.TYPE), ConfigSchema.TYPE);
        if (provider == null || alreadyFailed(ComponentKind.CHANNEL, name, props, provider)) {
            return;
        }
        ComponentCounters counters = env.counters(agent, ComponentKind.CHANNEL, name);
        Channel channel;
        try {
            checkConfiguration(provider, props, name);
            channel = ((ChannelFactory) provider.factory()).create(
                    new RuntimeContext.ChannelCtx(agent, name, props, env.dataRoot(), counters));
            channel.start();
        } catch (Exception | LinkageError e) {
            failed(ComponentKind.CHANNEL, name, props, provider, e);
            return;
        }
        ManagedChannel managed = new ManagedChannel(name, channel, counters);
        channels.put(name, new RunningChannel(managed, provider, props, provider.factory().durable()));
        counters.markStarted();
        restoreHeld(name, managed);
        running(ComponentKind.CHANNEL, name, provider);
    }

    private void startSink(String name, Map<String, String> props) {
        String[] channelNames = list(props.get(ConfigSchema.CHANNEL));
        if (channelNames.length != 1) {
            failedConfig(ComponentKind.SINK, name, props, ConfigSchema.CHANNEL, channelNames.length == 0
                    ? "a sink needs a channel" : "a sink takes from exactly one channel, not " + channelNames.length);
            return;
        }
        // The type first: a missing plugin is the problem to report even when the channel is missing too.
        Provider provider = provider(ComponentKind.SINK, name, props, ComponentKind.SINK,
                props.get(ConfigSchema.TYPE), ConfigSchema.TYPE);
        if (provider == null || alreadyFailed(ComponentKind.SINK, name, props, provider)) {
            return;
        }
        RunningChannel channel = channels.get(channelNames[0]);
        if (channel == null) {
            waiting(ComponentKind.SINK, name, props, "channel '" + channelNames[0] + "' is not running");
            return;
        }
        ComponentCounters counters = env.counters(agent, ComponentKind.SINK, name);
        Sink sink;
        try {
            checkConfiguration(provider, props, name);
            sink = ((SinkFactory) provider.factory()).create(new RuntimeContext.SinkCtx(agent, name,
                    props, env.dataRoot(), channel.channel(), counters));
            sink.start();
        } catch (Exception | LinkageError e) {
            failed(ComponentKind.SINK, name, props, provider, e);
            return;
        }
        sinks.put(name, new RunningSink(sink, provider, props, channel.channel()));
        counters.markStarted();
        running(ComponentKind.SINK, name, provider);
    }

    private void startRunners() {
        Map<String, String> groupOfSink = groupMembership();
        for (Map.Entry<Key, Map<String, String>> entry : desired.entrySet()) {
            if (entry.getKey().kind() == ComponentKind.SINKGROUP && !runners.containsKey("group:"
                    + entry.getKey().name())) {
                startGroup(entry.getKey().name(), entry.getValue(), groupOfSink);
            }
        }
        for (Map.Entry<String, RunningSink> sink : sinks.entrySet()) {
            String key = "sink:" + sink.getKey();
            if (!groupOfSink.containsKey(sink.getKey()) && !runners.containsKey(key)) {
                Sink instance = sink.getValue().sink();
                Runner runner = new Runner("sluice-" + agent + "-sink-" + sink.getKey(),
                        () -> instance.process() == Sink.Status.READY, env.sinkBackoffIncrementMillis(),
                        env.sinkMaxBackoffMillis());
                runners.put(key, new RunningRunner(runner, null, List.of(sink.getKey()), null, null, null, null,
                        List.of()));
                runner.start();
            }
        }
    }

    private void startGroup(String group, Map<String, String> props, Map<String, String> groupOfSink) {
        String[] members = list(props.get(ConfigSchema.SINKS));
        if (members.length == 0) {
            failedConfig(ComponentKind.SINKGROUP, group, props, ConfigSchema.SINKS, "a sink group needs sinks");
            return;
        }
        Map<String, Sink> memberSinks = new LinkedHashMap<>();
        for (String member : members) {
            if (!group.equals(groupOfSink.get(member))) {
                failedConfig(ComponentKind.SINKGROUP, group, props, ConfigSchema.SINKS,
                        "sink '" + member + "' is in group '" + groupOfSink.get(member) + "' already");
                return;
            }
            if (!desired.containsKey(new Key(ComponentKind.SINK, member))) {
                failedConfig(ComponentKind.SINKGROUP, group, props, ConfigSchema.SINKS,
                        "sink '" + member + "' is not configured");
                return;
            }
            RunningSink sink = sinks.get(member);
            if (sink == null) {
                waiting(ComponentKind.SINKGROUP, group, props, "sink '" + member + "' is not running");
                return;
            }
            memberSinks.put(member, sink.sink());
        }
        Map<String, String> processorProps = RuntimeContext.subProperties(props, ConfigSchema.PROCESSOR_PREFIX);
        String type = processorProps.getOrDefault(ConfigSchema.TYPE, "default");
        Provider provider = provider(ComponentKind.SINKGROUP, group, props, ComponentKind.SINK_PROCESSOR, type,
                ConfigSchema.PROCESSOR_PREFIX + ConfigSchema.TYPE);
        if (provider == null) {
            return;
        }
        SinkProcessorFactory factory = (SinkProcessorFactory) provider.factory();
        String selectorKey;
        try {
            selectorKey = factory.sinkSelectorKey(processorProps);
        } catch (RuntimeException | LinkageError e) {
            failed(ComponentKind.SINKGROUP, group, props, provider, e);
            return;
        }
        // A selector named by the processor's configuration comes from the registry like any other type: the
        // group waits for its bundle, and stops with it (providerGone), as a source does with its interceptors.
        Provider selectorProvider = null;
        Map<String, String> selectorProps = Map.of();
        if (selectorKey != null) {
            selectorProvider = provider(ComponentKind.SINKGROUP, group, props, ComponentKind.SINK_SELECTOR,
                    processorProps.get(selectorKey), ConfigSchema.PROCESSOR_PREFIX + selectorKey);
            if (selectorProvider == null) {
                return;
            }
            selectorProps = RuntimeContext.subProperties(processorProps, selectorKey + ".");
        }
        List<Provider> helpers = selectorProvider == null ? List.of() : List.of(selectorProvider);
        Object signature = helpers.isEmpty() ? provider : helpersSignature(provider, helpers);
        if (alreadyFailed(ComponentKind.SINKGROUP, group, props, signature)) {
            return;
        }
        SinkSelector selector = null;
        SinkProcessor processor;
        try {
            checkConfiguration(provider, processorProps, group + ".processor");
            if (selectorProvider != null) {
                String selectorName = group + ".processor." + selectorKey;
                checkConfiguration(selectorProvider, selectorProps, selectorName);
                selector = ((SinkSelectorFactory) selectorProvider.factory()).create(new RuntimeContext.SinkSelectorCtx(
                        agent, selectorName, selectorProps, env.dataRoot(), memberSinks));
                selector.start();
            }
            processor = factory.create(new RuntimeContext.Processor(agent, group + ".processor", processorProps,
                    env.dataRoot(), memberSinks, selector));
            processor.start();
        } catch (Exception | LinkageError e) {
            if (selector != null) {
                stopQuietly(selector, "sink selector of group " + group);
            }
            failed(ComponentKind.SINKGROUP, group, props, signature, e);
            return;
        }
        Runner runner = new Runner("sluice-" + agent + "-sinkgroup-" + group,
                () -> processor.process() == Sink.Status.READY, env.sinkBackoffIncrementMillis(),
                env.sinkMaxBackoffMillis());
        runners.put("group:" + group, new RunningRunner(runner, group, List.of(members), props, provider, processor,
                selector, helpers));
        runner.start();
        running(ComponentKind.SINKGROUP, group, provider);
    }

    private void startSource(String name, Map<String, String> props) {
        String[] channelNames = list(props.get(ConfigSchema.CHANNELS));
        if (channelNames.length == 0) {
            failedConfig(ComponentKind.SOURCE, name, props, ConfigSchema.CHANNELS, "a source needs channels");
            return;
        }
        // The type first: a missing plugin is the problem to report even when a channel is missing too.
        Provider provider = provider(ComponentKind.SOURCE, name, props, ComponentKind.SOURCE,
                props.get(ConfigSchema.TYPE), ConfigSchema.TYPE);
        if (provider == null) {
            return;
        }
        Map<String, org.sluice.api.channel.Channel> byName = new LinkedHashMap<>();
        List<ManagedChannel> managed = new ArrayList<>();
        for (String channelName : channelNames) {
            RunningChannel channel = channels.get(channelName);
            if (channel == null) {
                waiting(ComponentKind.SOURCE, name, props, "channel '" + channelName + "' is not running");
                return;
            }
            byName.put(channelName, channel.channel());
            managed.add(channel.channel());
        }
        Map<String, String> selectorProps = RuntimeContext.subProperties(props, ConfigSchema.SELECTOR_PREFIX);
        Provider selectorProvider = provider(ComponentKind.SOURCE, name, props, ComponentKind.CHANNEL_SELECTOR,
                selectorProps.getOrDefault(ConfigSchema.TYPE, "replicating"),
                ConfigSchema.SELECTOR_PREFIX + ConfigSchema.TYPE);
        if (selectorProvider == null) {
            return;
        }
        List<Provider> helpers = new ArrayList<>(List.of(selectorProvider));
        Map<String, Map<String, String>> interceptorProps = new LinkedHashMap<>();
        for (String interceptor : list(props.get(ConfigSchema.INTERCEPTORS))) {
            Map<String, String> own = RuntimeContext.subProperties(props,
                    ConfigSchema.INTERCEPTORS + "." + interceptor + ".");
            Provider interceptorProvider = provider(ComponentKind.SOURCE, name, props, ComponentKind.INTERCEPTOR,
                    own.get(ConfigSchema.TYPE), ConfigSchema.INTERCEPTORS + "." + interceptor + "." + ConfigSchema.TYPE);
            if (interceptorProvider == null) {
                return;
            }
            helpers.add(interceptorProvider);
            interceptorProps.put(interceptor, own);
        }
        if (alreadyFailed(ComponentKind.SOURCE, name, props, helpersSignature(provider, helpers))) {
            return;
        }
        ComponentCounters counters = env.counters(agent, ComponentKind.SOURCE, name);
        List<Interceptor> interceptors = new ArrayList<>();
        Source source;
        Runner runner = null;
        try {
            checkConfiguration(provider, props, name);
            checkConfiguration(selectorProvider, selectorProps, name + ".selector");
            ChannelSelector selector = ((ChannelSelectorFactory) selectorProvider.factory()).create(
                    new RuntimeContext.Selector(agent, name + ".selector", selectorProps, env.dataRoot(), byName));
            int i = 1;
            for (Map.Entry<String, Map<String, String>> interceptor : interceptorProps.entrySet()) {
                String interceptorName = name + ".interceptors." + interceptor.getKey();
                checkConfiguration(helpers.get(i++), interceptor.getValue(), interceptorName);
                Interceptor instance = ((InterceptorFactory) helpers.get(i - 1).factory()).create(new RuntimeContext(
                        agent, interceptorName, ComponentKind.INTERCEPTOR, interceptor.getValue(), env.dataRoot()));
                instance.start();
                interceptors.add(instance);
            }
            RoutingChannelProcessor processor = new RoutingChannelProcessor(agent + "." + name, interceptors, selector);
            source = ((SourceFactory) provider.factory()).create(new RuntimeContext.Source(agent, name,
                    props, env.dataRoot(), processor, counters));
            source.start();
            if (source instanceof PollableSource) {
                PollableSource pollable = (PollableSource) source;
                runner = new Runner("sluice-" + agent + "-source-" + name,
                        () -> pollable.process() == PollableSource.Status.READY, pollable.backoffSleepIncrement(),
                        pollable.maxBackoffSleep());
                runner.start();
            }
        } catch (Exception | LinkageError e) {
            for (Interceptor interceptor : interceptors) {
                stopQuietly(interceptor, "interceptor of source " + name);
            }
            failed(ComponentKind.SOURCE, name, props, helpersSignature(provider, helpers), e);
            return;
        }
        sources.put(name, new RunningSource(source, runner, provider, props, managed, helpers, interceptors));
        counters.markStarted();
        running(ComponentKind.SOURCE, name, provider);
    }

    // ---------------------------------------------------------------- helpers

    /** Sink name to the group it belongs to; a sink listed by two groups belongs to the first. */
    private Map<String, String> groupMembership() {
        Map<String, String> groupOf = new LinkedHashMap<>();
        desired.forEach((key, props) -> {
            if (key.kind() == ComponentKind.SINKGROUP) {
                for (String sink : list(props.get(ConfigSchema.SINKS))) {
                    groupOf.putIfAbsent(sink, key.name());
                }
            }
        });
        return groupOf;
    }

    /** The provider for {@code type}, or null with the component marked WAITING or FAILED. */
    private Provider provider(ComponentKind kind, String name, Map<String, String> props, ComponentKind family,
            String type, String typeKey) {
        if (type == null || type.isBlank()) {
            failedConfig(kind, name, props, typeKey, "no type is configured");
            return null;
        }
        Provider provider = env.lookup(family, type.trim());
        if (provider == null) {
            waiting(kind, name, props, "no installed bundle provides " + familyName(family) + " type '" + type.trim()
                    + "' (key '" + typeKey + "')");
        }
        return provider;
    }

    private static String familyName(ComponentKind family) {
        return family.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /** Converts the configuration to the factory's declared type, so a bad value fails here, by key. */
    private void checkConfiguration(Provider provider, Map<String, String> props, String name)
            throws ConfigurationException {
        Class<?> type = provider.factory().configurationType();
        if (type != null) {
            TypedConfiguration.view(type, props, agent, name);
        }
    }

    private static String[] list(String value) {
        if (value == null || value.isBlank()) {
            return new String[0];
        }
        return Arrays.stream(value.trim().split("\\s+")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }

    private static Object helpersSignature(Provider provider, List<Provider> helpers) {
        List<Object> signature = new ArrayList<>();
        signature.add(provider.serviceId());
        helpers.forEach(p -> signature.add(p.serviceId()));
        return signature;
    }

    private boolean alreadyFailed(ComponentKind kind, String name, Map<String, String> props, Object provider) {
        Object signature = List.of(props, provider instanceof Provider ? ((Provider) provider).serviceId() : provider);
        return signature.equals(failedSignatures.get(new Key(kind, name)));
    }

    private void failed(ComponentKind kind, String name, Map<String, String> props, Object provider, Throwable e) {
        Key key = new Key(kind, name);
        String reason = e instanceof ConfigurationException ? e.getMessage()
                : "start failed: " + e + (e.getCause() != null ? " (" + e.getCause() + ")" : "");
        if (e instanceof ConfigurationException) {
            // Retrying cannot help until the configuration or the provider changes.
            failedSignatures.put(key, List.of(props,
                    provider instanceof Provider ? ((Provider) provider).serviceId() : provider));
            LOG.error("Agent {}: {} {} not started: {}", agent, familyName(kind), name, reason);
        } else {
            LOG.error("Agent {}: {} {} failed to start; retrying later", agent, familyName(kind), name, e);
        }
        Provider p = provider instanceof Provider ? (Provider) provider : null;
        status.put(key, new ComponentStatus(agent, name, kind, props.get(ConfigSchema.TYPE), ComponentState.FAILED,
                p == null ? null : p.bundle(), p == null ? null : p.version(), reason));
    }

    private void failedConfig(ComponentKind kind, String name, Map<String, String> props, String key, String message) {
        String reason = new ConfigurationException(agent, name, key, message).getMessage();
        ComponentStatus previous = status.get(new Key(kind, name));
        if (previous == null || !reason.equals(previous.reason())) {
            LOG.error("Agent {}: {} {} not started: {}", agent, familyName(kind), name, reason);
        }
        status.put(new Key(kind, name), new ComponentStatus(agent, name, kind, props.get(ConfigSchema.TYPE),
                ComponentState.FAILED, null, null, reason));
    }

    private void waiting(ComponentKind kind, String name, Map<String, String> props, String reason) {
        Key key = new Key(kind, name);
        ComponentStatus previous = status.get(key);
        boolean changed = previous == null || !reason.equals(previous.reason());
        if (changed) {
            warnedWaiting.remove(key);
        }
        // At start-up, plugin bundles of deploy/ install just after the agent's configuration is read: a wait
        // then is normal and logged at INFO. One still waiting after the grace period is warned about, once.
        boolean pastGrace = System.nanoTime() - createdNanos > STARTUP_GRACE_NANOS;
        if (pastGrace && warnedWaiting.add(key)) {
            LOG.warn("Agent {}: {} {} waits: {}", agent, familyName(kind), name, reason);
        } else if (changed && !pastGrace) {
            LOG.info("Agent {}: {} {} waits: {}", agent, familyName(kind), name, reason);
        }
        status.put(new Key(kind, name), new ComponentStatus(agent, name, kind, props.get(ConfigSchema.TYPE),
                ComponentState.WAITING, null, null, reason));
    }

    private void running(ComponentKind kind, String name, Provider provider) {
        Key key = new Key(kind, name);
        failedSignatures.remove(key);
        Map<String, String> props = desired.get(key);
        status.put(key, new ComponentStatus(agent, name, kind, props == null ? null : props.get(ConfigSchema.TYPE),
                ComponentState.RUNNING, provider.bundle(), provider.version(), null));
        LOG.info("Agent {}: {} {} started ({} from {})", agent, familyName(kind), name,
                props == null ? "?" : props.get(ConfigSchema.TYPE), provider);
    }

    private void setStatus(ComponentKind kind, String name, ComponentState state, Provider provider, String reason) {
        Map<String, String> props = desired.get(new Key(kind, name));
        status.put(new Key(kind, name), new ComponentStatus(agent, name, kind,
                props == null ? null : props.get(ConfigSchema.TYPE), state, provider == null ? null : provider.bundle(),
                provider == null ? null : provider.version(), reason));
    }

    private void stopQuietly(org.sluice.api.component.Lifecycle component, String what) {
        try {
            component.stop();
        } catch (RuntimeException | LinkageError e) {
            // Stopping goes on for the others; the failure is reported, nothing is hidden.
            LOG.error("Agent {}: {} failed to stop cleanly", agent, what, e);
        }
    }

    Map<String, Integer> heldByChannel() {
        Map<String, Integer> out = new LinkedHashMap<>();
        held.forEach((name, events) -> out.put(name, events.size()));
        return Collections.unmodifiableMap(out);
    }
}

package org.sluice.platform.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.platform.management.ComponentStatus;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.platform.tap.TapPoint;

/**
 * One agent: the configurations of its components, the components that run, and the passes that bring the
 * second to the first. A pass asks {@link ReconcilePlan} what to stop and start and has the builders of each
 * kind do it; {@link ChannelHandover} keeps the events of stopped memory channels for their successors, and
 * {@link StatusBoard} says where each component is.
 *
 * <p>Locking: one lock per agent guards its state and is held while components are stopped and started, never
 * while a drain waits for sinks to empty a channel. A second lock lets one pass (or the shutdown) run at a time;
 * only passes take it, so a provider that goes away is dealt with while a pass of this agent waits for a drain,
 * and nothing of this agent holds up another agent.
 */
final class Agent {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    /** How often a drain looks whether the channel is empty. */
    private static final long DRAIN_POLL_MILLIS = 50L;

    /** What an agent needs from the engine. */
    interface Environment {
        Provider lookup(ComponentKind family, String type);

        /** The best provider of a named part a component looks up ({@code ComponentContext.lookup}), or null. */
        Provider lookupPart(Class<?> service, String type);

        ComponentCounters counters(String agent, ComponentKind kind, String name);

        /** A component left the configuration: its counters are no longer published and its tap point goes. */
        void forget(String agent, ComponentKind kind, String name);

        /** Where the component's events are shown to taps ({@code sluice:tap}). */
        TapPoint tapPoint(String agent, ComponentKind kind, String name);

        Path dataRoot();

        long drainTimeoutMillis();

        /** Flume's sink runner backoff: 1000 ms more per consecutive BACKOFF, at most 5000 ms. */
        long sinkBackoffIncrementMillis();

        long sinkMaxBackoffMillis();
    }

    private final String name;
    private final Environment env;
    /** Guards everything below; never held while a drain waits. */
    private final ReentrantLock lock = new ReentrantLock();
    /** One pass or shutdown at a time; held across drains, taken by nothing else. */
    private final ReentrantLock passes = new ReentrantLock();
    private final Map<ComponentKey, Map<String, String>> desired = new LinkedHashMap<>();
    /** Components an operator stopped ({@code sluice:stop}): configured, but not run until started again. */
    private final Set<ComponentKey> held = new HashSet<>();
    private final RunningGraph graph = new RunningGraph();
    private final ChannelHandover handover;
    private final StatusBoard board;
    private final ChannelBuilder channels;
    private final SinkBuilder sinks;
    private final SinkRunnerBuilder runners;
    private final SourceBuilder sources;
    private volatile boolean closed;

    Agent(String name, Environment env) {
        this.name = name;
        this.env = env;
        this.handover = new ChannelHandover(name);
        this.board = new StatusBoard(name);
        BuildContext build = new BuildContext(name, env, board);
        this.channels = new ChannelBuilder(build, handover);
        this.sinks = new SinkBuilder(build);
        this.runners = new SinkRunnerBuilder(build);
        this.sources = new SourceBuilder(build);
    }

    String name() {
        return name;
    }

    void configure(ComponentKind kind, String component, Map<String, String> properties) {
        Map<String, String> copy = Map.copyOf(properties);
        lock.lock();
        try {
            desired.put(new ComponentKey(kind, component), copy);
        } finally {
            lock.unlock();
        }
    }

    void unconfigure(ComponentKind kind, String component) {
        lock.lock();
        try {
            desired.remove(new ComponentKey(kind, component));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks a configured component stopped by an operator; the next pass stops it and what depends on it.
     *
     * @return false if the agent has no such component
     */
    boolean hold(ComponentKey key) {
        lock.lock();
        try {
            if (!desired.containsKey(key)) {
                return false;
            }
            held.add(key);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lets a component an operator stopped run again from the next pass.
     *
     * @return false if it was not stopped by an operator
     */
    boolean release(ComponentKey key) {
        lock.lock();
        try {
            return held.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /** Every configured component's status; needs no lock. */
    List<ComponentStatus> statuses() {
        return board.statuses();
    }

    /** Events of stopped memory channels waiting for their successor, by channel. */
    Map<String, Integer> heldByChannel() {
        lock.lock();
        try {
            return handover.counts();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Brings the running components to the configurations. Channels removed from the configuration are drained
     * by their sinks first, with the lock released; the plan is made again after a drain, since a provider may
     * have gone or a configuration changed meanwhile.
     */
    void reconcile() {
        passes.lock();
        try {
            Set<String> drained = new HashSet<>();
            while (true) {
                List<String> toDrain;
                lock.lock();
                try {
                    if (closed) {
                        return;
                    }
                    ReconcilePlan plan = ReconcilePlan.toConfiguration(desired, held, graph.snapshot());
                    toDrain = new ArrayList<>(plan.drainChannels());
                    toDrain.removeAll(drained);
                    if (toDrain.isEmpty()) {
                        stop(plan);
                        start(plan);
                        forgetRemoved();
                        for (ComponentKey key : held) {
                            board.stoppedByOperator(key, desired.get(key));
                        }
                        return;
                    }
                    // Sources first, so that nothing fills a channel while its sinks empty it.
                    stopSources(plan);
                } finally {
                    lock.unlock();
                }
                // A shutdown that begins meanwhile drains every channel itself, within its own bound.
                drain(toDrain, () -> closed);
                drained.addAll(toDrain);
            }
        } finally {
            passes.unlock();
        }
    }

    /** Stops, before returning, whatever {@code provider} made and what depends on it: its bundle is going away. */
    void providerGone(Provider provider) {
        lock.lock();
        try {
            ReconcilePlan plan = ReconcilePlan.withoutProvider(graph.snapshot(), provider.serviceId());
            if (plan.isEmpty()) {
                return;
            }
            LOG.info("Agent {}: {} is going away; stopping the components it provides", name, provider);
            stop(plan);
            board.forgetFailures();
        } finally {
            lock.unlock();
        }
    }

    /** A provider came: a configuration that failed with the one before it may work now. */
    void forgetFailures() {
        lock.lock();
        try {
            board.forgetFailures();
        } finally {
            lock.unlock();
        }
    }

    /** Retries the held events of running channels (a channel that was full on restart has room later). */
    void retryHeld() {
        lock.lock();
        try {
            for (String channel : handover.channels()) {
                RunningGraph.ChannelEntry running = graph.channels.get(channel);
                if (running != null) {
                    handover.giveTo(channel, running.channel().delegate());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the sources, lets the sinks drain the memory channels (bounded), then stops everything. */
    void shutdown() {
        closed = true;
        passes.lock();
        try {
            List<String> toDrain;
            lock.lock();
            try {
                ReconcilePlan plan = ReconcilePlan.shutdown(graph.snapshot());
                stopSources(plan);
                toDrain = plan.drainChannels();
            } finally {
                lock.unlock();
            }
            drain(toDrain, () -> false);
            lock.lock();
            try {
                stop(ReconcilePlan.shutdown(graph.snapshot()));
                handover.dropAll();
                board.clear();
            } finally {
                lock.unlock();
            }
        } finally {
            passes.unlock();
        }
    }

    // ---------------------------------------------------------------- carrying a plan out (under the lock)

    private void stopSources(ReconcilePlan plan) {
        for (String source : plan.stopSources()) {
            RunningGraph.SourceEntry running = graph.sources.remove(source);
            if (running != null) {
                sources.stop(source, running);
            }
        }
    }

    /** The plan's stops in Flume's order; its drains are the caller's, done before with the lock released. */
    private void stop(ReconcilePlan plan) {
        stopSources(plan);
        for (RunnerKey key : plan.stopRunners()) {
            RunningGraph.RunnerEntry running = graph.runners.remove(key);
            if (running != null) {
                runners.stop(key, running);
            }
        }
        for (String sink : plan.stopSinks()) {
            RunningGraph.SinkEntry running = graph.sinks.remove(sink);
            if (running != null) {
                sinks.stop(sink, running);
            }
        }
        for (String channel : plan.stopChannels()) {
            RunningGraph.ChannelEntry running = graph.channels.remove(channel);
            if (running != null) {
                channels.stop(channel, running);
            }
        }
    }

    private void start(ReconcilePlan plan) {
        for (String channel : plan.startChannels()) {
            RunningGraph.ChannelEntry started = channels.start(channel, desired.get(ComponentKey.channel(channel)));
            if (started != null) {
                graph.channels.put(channel, started);
            }
        }
        for (String sink : plan.startSinks()) {
            RunningGraph.SinkEntry started = sinks.start(sink, desired.get(ComponentKey.sink(sink)), graph.channels);
            if (started != null) {
                graph.sinks.put(sink, started);
            }
        }
        Map<String, String> groupOf = ReconcilePlan.groupOf(desired);
        for (RunnerKey key : plan.startRunners()) {
            RunningGraph.RunnerEntry started;
            if (key instanceof RunnerKey.Group) {
                started = runners.startGroup(key.name(), desired.get(ComponentKey.sinkGroup(key.name())), groupOf,
                        desired.keySet(), graph.sinks);
            } else {
                RunningGraph.SinkEntry sink = graph.sinks.get(key.name());
                started = sink == null ? null : runners.startLoneSink(key.name(), sink);
            }
            if (started != null) {
                graph.runners.put(key, started);
            }
        }
        for (String source : plan.startSources()) {
            RunningGraph.SourceEntry started = sources.start(source, desired.get(ComponentKey.source(source)),
                    graph.channels);
            if (started != null) {
                graph.sources.put(source, started);
            }
        }
    }

    /** Components removed from the configuration leave the board, their counters and their tap points. */
    private void forgetRemoved() {
        held.retainAll(desired.keySet());
        for (ComponentKey removed : board.retainOnly(desired.keySet())) {
            if (removed.kind() != ComponentKind.SINKGROUP) {
                env.forget(name, removed.kind(), removed.name());
            }
        }
    }

    // ---------------------------------------------------------------- draining (without the lock)

    /**
     * Lets the sinks of channels that are going away empty them, each for up to the drain timeout, unless
     * {@code abandon} says to stop waiting. The lock is taken only to look whether the channel can still be
     * drained (a provider may go meanwhile), never across the wait.
     */
    private void drain(List<String> channelNames, BooleanSupplier abandon) {
        for (String channel : channelNames) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(env.drainTimeoutMillis());
            long left;
            while (true) {
                if (abandon.getAsBoolean()) {
                    return;
                }
                ComponentCounters counters = drainableCounters(channel);
                left = counters == null ? 0 : counters.get(ChannelCounter.CHANNEL_SIZE);
                if (left == 0 || System.nanoTime() >= deadline) {
                    break;
                }
                try {
                    Thread.sleep(DRAIN_POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (left > 0) {
                LOG.warn("Agent {}: channel {} still holds {} events after draining for {} ms", name, channel, left,
                        env.drainTimeoutMillis());
            }
        }
    }

    /** The channel's counters while a sink can still empty it, else null. */
    private ComponentCounters drainableCounters(String channel) {
        lock.lock();
        try {
            RunningGraph.ChannelEntry running = graph.channels.get(channel);
            return running != null && ReconcilePlan.drainable(graph.snapshot(), channel)
                    ? running.channel().counters() : null;
        } finally {
            lock.unlock();
        }
    }
}

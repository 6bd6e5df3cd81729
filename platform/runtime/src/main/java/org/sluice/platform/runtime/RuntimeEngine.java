package org.sluice.platform.runtime;

import org.sluice.platform.management.ComponentStatus;
import org.sluice.platform.management.AgentRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ComponentKind;
import org.sluice.platform.config.ConfigSchema;
import org.sluice.platform.config.TypeCatalog;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.platform.metrics.Metrics;

/**
 * The agent runtime without OSGi: component configurations and factory providers come in, agents' graphs
 * are reconciled on one thread. Configuration changes and new providers are applied asynchronously and
 * coalesced (a file edit arrives as several configuration events); a provider that goes away is handled
 * synchronously, because its bundle's classes must not be used after its unregistration returns.
 */
public final class RuntimeEngine implements AgentRuntime, TypeCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeEngine.class);

    /** How long a burst of configuration events is collected before it is applied. */
    private static final long SETTLE_MILLIS = 100L;
    /** How often failed starts and held events are retried. */
    private static final long RETRY_MILLIS = 5_000L;

    private record Placement(String agent, ComponentKind kind, String name) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Metrics metrics;
    private final Path dataRoot;
    private final long drainTimeoutMillis;
    private final long sinkBackoffIncrementMillis;
    private final long sinkMaxBackoffMillis;
    private final Map<ComponentKind, List<Provider>> providers = new EnumMap<>(ComponentKind.class);
    private final Map<String, AgentGraph> agents = new LinkedHashMap<>();
    private final Map<String, Placement> placements = new HashMap<>();
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> pending;
    private volatile boolean closed;

    /** An engine with Flume's sink runner backoff (1 s steps, at most 5 s). */
    public RuntimeEngine(Metrics metrics, Path dataRoot, long drainTimeoutMillis) {
        this(metrics, dataRoot, drainTimeoutMillis, 1000L, 5000L);
    }

    public RuntimeEngine(Metrics metrics, Path dataRoot, long drainTimeoutMillis, long sinkBackoffIncrementMillis,
            long sinkMaxBackoffMillis) {
        this.metrics = metrics;
        this.dataRoot = dataRoot;
        this.drainTimeoutMillis = drainTimeoutMillis;
        this.sinkBackoffIncrementMillis = sinkBackoffIncrementMillis;
        this.sinkMaxBackoffMillis = sinkMaxBackoffMillis;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-runtime");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::retry, RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- configurations

    /**
     * A component or agent configuration was created or changed. {@code pid} identifies it for
     * {@link #unconfigure}; agent and component names come from its {@code sluice.agent} /
     * {@code sluice.component} properties or else from its factory configuration name
     * ({@code org.sluice.source~a1.r1}).
     */
    public void configure(String factoryPid, String pid, Map<String, String> properties) {
        ComponentKind kind = ConfigSchema.kindOf(factoryPid);
        String agent = properties.get(ConfigSchema.AGENT);
        String component = properties.get(ConfigSchema.COMPONENT);
        String configName = pid.contains("~") ? pid.substring(pid.indexOf('~') + 1) : null;
        if (ConfigSchema.AGENT_PID.equals(factoryPid)) {
            if (agent == null) {
                agent = configName;
            }
            if (agent == null) {
                LOG.error("Agent configuration {} names no agent (property {}); ignored", pid, ConfigSchema.AGENT);
                return;
            }
            lock.lock();
            try {
                agents.computeIfAbsent(agent, this::newGraph);
            } finally {
                lock.unlock();
            }
            return;
        }
        if (kind == null) {
            return;
        }
        if ((agent == null || component == null) && configName != null && configName.indexOf('.') > 0) {
            agent = agent == null ? configName.substring(0, configName.indexOf('.')) : agent;
            component = component == null ? configName.substring(configName.indexOf('.') + 1) : component;
        }
        if (agent == null || component == null) {
            LOG.error("Configuration {} names no agent and component: set {} and {}, or name it "
                    + "<factoryPid>~<agent>.<component>; ignored", pid, ConfigSchema.AGENT, ConfigSchema.COMPONENT);
            return;
        }
        Map<String, String> keys = new LinkedHashMap<>(properties);
        keys.keySet().removeAll(ConfigSchema.BOOKKEEPING);
        lock.lock();
        try {
            Placement previous = placements.put(pid, new Placement(agent, kind, component));
            if (previous != null && !previous.equals(new Placement(agent, kind, component))) {
                graph(previous.agent()).unconfigure(previous.kind(), previous.name());
            }
            graph(agent).configure(kind, component, keys);
        } finally {
            lock.unlock();
        }
        scheduleReconcile();
    }

    /** A configuration was deleted. */
    public void unconfigure(String pid) {
        lock.lock();
        try {
            Placement placement = placements.remove(pid);
            if (placement != null) {
                graph(placement.agent()).unconfigure(placement.kind(), placement.name());
            }
        } finally {
            lock.unlock();
        }
        scheduleReconcile();
    }

    // ---------------------------------------------------------------- providers

    public void providerAdded(ComponentKind family, Provider provider) {
        lock.lock();
        try {
            providers.computeIfAbsent(family, f -> new ArrayList<>()).add(provider);
        } finally {
            lock.unlock();
        }
        LOG.info("{} types {} available from {}", family.name().toLowerCase(java.util.Locale.ROOT), provider.types(),
                provider);
        scheduleReconcile();
    }

    /** Synchronous: when this returns, nothing runs on the provider's code any more. */
    public void providerRemoved(ComponentKind family, long serviceId) {
        lock.lock();
        try {
            List<Provider> list = providers.getOrDefault(family, List.of());
            Provider gone = list.stream().filter(p -> p.serviceId() == serviceId).findFirst().orElse(null);
            if (gone == null) {
                return;
            }
            list.remove(gone);
            for (AgentGraph graph : agents.values()) {
                graph.providerGone(gone);
            }
        } finally {
            lock.unlock();
        }
        scheduleReconcile();
    }

    // ---------------------------------------------------------------- reconciling

    private void scheduleReconcile() {
        synchronized (scheduler) {
            if (closed || (pending != null && !pending.isDone())) {
                return;
            }
            pending = scheduler.schedule(this::reconcileNow, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Brings every agent to its configuration now, on the calling thread. */
    public void reconcileNow() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            for (AgentGraph graph : new ArrayList<>(agents.values())) {
                try {
                    graph.reconcile();
                } catch (RuntimeException e) {
                    LOG.error("Agent {}: reconciling its configuration failed", graph.name(), e);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void retry() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            for (AgentGraph graph : agents.values()) {
                graph.retryHeld();
            }
        } finally {
            lock.unlock();
        }
        reconcileNow();
    }

    /** Waits until configuration events received so far have been applied (for tests and the shell). */
    public void awaitSettled() throws InterruptedException {
        ScheduledFuture<?> current;
        synchronized (scheduler) {
            current = pending;
        }
        if (current != null) {
            try {
                current.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("reconciling did not finish", e);
            }
        }
    }

    /** Drains and stops every agent; the engine is unusable afterwards. */
    public void shutdown() {
        synchronized (scheduler) {
            closed = true;
            if (pending != null) {
                pending.cancel(false);
            }
        }
        scheduler.shutdownNow();
        lock.lock();
        try {
            for (AgentGraph graph : agents.values()) {
                LOG.info("Agent {}: stopping", graph.name());
                graph.shutdown();
            }
            agents.clear();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- views

    @Override
    public List<String> agents() {
        lock.lock();
        try {
            return new ArrayList<>(new TreeSet<>(agents.keySet()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<ComponentStatus> components(String agent) {
        AgentGraph graph;
        lock.lock();
        try {
            graph = agents.get(agent);
        } finally {
            lock.unlock();
        }
        return graph == null ? List.of() : graph.statuses();
    }

    /** Events of stopped memory channels the runtime keeps until their channel runs again, by channel. */
    public Map<String, Integer> heldEvents(String agent) {
        lock.lock();
        try {
            AgentGraph graph = agents.get(agent);
            return graph == null ? Map.of() : graph.heldByChannel();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<TypeInfo> lookup(ComponentKind kind, String type) {
        Provider provider = find(kind, type);
        if (provider == null) {
            return Optional.empty();
        }
        java.util.function.Function<Map<String, String>, String> selectorKey = null;
        if (provider.factory() instanceof org.sluice.api.sink.SinkProcessorFactory processor) {
            selectorKey = processor::sinkSelectorKey;
        }
        return Optional.of(new TypeInfo(provider.factory().configurationType(),
                Set.copyOf(provider.factory().openKeyPrefixes()), provider.bundle(), provider.version(), selectorKey));
    }

    private Provider find(ComponentKind family, String type) {
        lock.lock();
        try {
            Provider best = null;
            for (Provider candidate : providers.getOrDefault(family, List.of())) {
                if (candidate.types().contains(type) && (best == null || candidate.betterThan(best))) {
                    best = candidate;
                }
            }
            if (best == null && type.indexOf('.') < 0) {
                // Flume reads its type aliases in any case (MEMORY, File, SPILLABLEMEMORY); class names are exact.
                for (Provider candidate : providers.getOrDefault(family, List.of())) {
                    boolean alias = candidate.types().stream()
                            .anyMatch(t -> t.indexOf('.') < 0 && t.equalsIgnoreCase(type));
                    if (alias && (best == null || candidate.betterThan(best))) {
                        best = candidate;
                    }
                }
            }
            return best;
        } finally {
            lock.unlock();
        }
    }

    private AgentGraph graph(String agent) {
        return agents.computeIfAbsent(agent, this::newGraph);
    }

    private AgentGraph newGraph(String agent) {
        return new AgentGraph(agent, new AgentGraph.Environment() {
            @Override
            public Provider lookup(ComponentKind family, String type) {
                return find(family, type);
            }

            @Override
            public ComponentCounters counters(String a, ComponentKind kind, String name) {
                return metrics.counters(a, kind, name);
            }

            @Override
            public void forgetCounters(String a, ComponentKind kind, String name) {
                metrics.remove(a, kind, name);
            }

            @Override
            public Path dataRoot() {
                return dataRoot;
            }

            @Override
            public long drainTimeoutMillis() {
                return drainTimeoutMillis;
            }

            @Override
            public long sinkBackoffIncrementMillis() {
                return sinkBackoffIncrementMillis;
            }

            @Override
            public long sinkMaxBackoffMillis() {
                return sinkMaxBackoffMillis;
            }
        });
    }
}

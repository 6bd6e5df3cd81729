package org.sluice.platform.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.sink.SinkProcessorFactory;
import org.sluice.platform.config.ConfigSchema;
import org.sluice.platform.config.TypeCatalog;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.platform.metrics.Metrics;
import org.sluice.platform.tap.Tap;
import org.sluice.platform.tap.TapPoint;
import org.sluice.platform.tap.TapRegistry;

/**
 * The agent runtime without OSGi: component configurations and factory providers come in, and each agent is
 * reconciled on a thread of its own, so one agent's drain never holds up another agent. Configuration changes
 * and new providers are applied asynchronously and coalesced (a file edit arrives as several configuration
 * events); a provider that goes away is handled synchronously, because its bundle's classes must not be used
 * after its unregistration returns.
 */
public final class RuntimeEngine implements AgentRuntime, AgentControl, TypeCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeEngine.class);

    /** How long a burst of configuration events is collected before it is applied. */
    private static final long SETTLE_MILLIS = 100L;
    /** How often failed starts and held events are retried. */
    private static final long RETRY_MILLIS = 5_000L;
    /** How long {@link #awaitSettled} waits for a pass. */
    private static final long SETTLE_TIMEOUT_SECONDS = 60L;

    private record Placement(String agent, ComponentKind kind, String name) {
    }

    private final Metrics metrics;
    private final Path dataRoot;
    private final long drainTimeoutMillis;
    private final long sinkBackoffIncrementMillis;
    private final long sinkMaxBackoffMillis;
    private final ProviderRegistry<ComponentKind> providers = new ProviderRegistry<>();
    /** The named parts components look up (serializers), by service interface. */
    private final ProviderRegistry<Class<?>> parts = new ProviderRegistry<>();
    private final TapRegistry taps = new TapRegistry();
    /** Agents by name; guarded by its own monitor, as is {@link #closed}. */
    private final Map<String, Worker> agents = new LinkedHashMap<>();
    /** Where each configuration PID went; guarded by its own monitor. */
    private final Map<String, Placement> placements = new HashMap<>();
    private boolean closed;
    /** When a provider last came or went, for {@link #lastChangeMillis}. */
    private volatile long lastProviderChangeMillis = System.currentTimeMillis();
    /** Told an agent's name the first time every component of it runs. */
    private volatile Consumer<String> firstRunning = agent -> { };

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
            worker(agent);
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
        Placement placement = new Placement(agent, kind, component);
        Placement previous;
        synchronized (placements) {
            previous = placements.put(pid, placement);
            if (previous != null && !previous.equals(placement)) {
                worker(previous.agent()).agent.unconfigure(previous.kind(), previous.name());
            }
            worker(agent).agent.configure(kind, component, keys);
        }
        if (previous != null && !previous.agent().equals(agent)) {
            worker(previous.agent()).request();
        }
        worker(agent).request();
    }

    /** A configuration was deleted. */
    public void unconfigure(String pid) {
        Placement placement;
        synchronized (placements) {
            placement = placements.remove(pid);
            if (placement != null) {
                worker(placement.agent()).agent.unconfigure(placement.kind(), placement.name());
            }
        }
        if (placement != null) {
            worker(placement.agent()).request();
        }
    }

    // ---------------------------------------------------------------- providers

    public void providerAdded(ComponentKind family, Provider provider) {
        providers.add(family, provider);
        lastProviderChangeMillis = System.currentTimeMillis();
        LOG.info("{} types {} available from {}", StatusBoard.kindName(family), provider.types(), provider);
        workers().forEach(Worker::request);
    }

    /**
     * Synchronous: when this returns, nothing runs on the provider's code any more. Each agent is stopped under
     * its own lock, which no drain holds: an agent waiting for its sinks does not hold this up.
     */
    public void providerRemoved(ComponentKind family, long serviceId) {
        Provider gone = providers.remove(family, serviceId);
        if (gone == null) {
            return;
        }
        lastProviderChangeMillis = System.currentTimeMillis();
        stopMadeBy(gone);
    }

    /**
     * A named part a component may look up through its context (a serializer factory) came: components waiting for
     * it are made at the next pass, and one that failed with an earlier provider is tried again.
     */
    public void partAdded(Class<?> service, Provider provider) {
        parts.add(service, provider);
        lastProviderChangeMillis = System.currentTimeMillis();
        LOG.info("{} types {} available from {}", service.getSimpleName(), provider.types(), provider);
        List<Worker> workers = workers();
        workers.forEach(worker -> worker.agent.forgetFailures());
        workers.forEach(Worker::request);
    }

    /** Synchronous, as {@link #providerRemoved}: the components that looked the part up are stopped first. */
    public void partRemoved(Class<?> service, long serviceId) {
        Provider gone = parts.remove(service, serviceId);
        if (gone == null) {
            return;
        }
        lastProviderChangeMillis = System.currentTimeMillis();
        stopMadeBy(gone);
    }

    private void stopMadeBy(Provider gone) {
        List<Worker> workers = workers();
        for (Worker worker : workers) {
            try {
                worker.agent.providerGone(gone);
            } catch (RuntimeException e) {
                LOG.error("Agent {}: stopping what {} provides failed", worker.agent.name(), gone, e);
            }
        }
        workers.forEach(Worker::request);
    }

    /**
     * Calls {@code listener}, on the agent's thread, with an agent's name the first time a pass leaves it with
     * components and every one of them running (the launcher starts the plugins the configuration does not name
     * then). Only the first time: a component that stops later does not take it back.
     */
    public void onFirstRunning(Consumer<String> listener) {
        this.firstRunning = listener;
    }

    // ---------------------------------------------------------------- reconciling

    /** Brings every agent to its configuration now, on the calling thread. */
    public void reconcileNow() {
        for (Worker worker : workers()) {
            worker.pass();
        }
    }

    /** Waits until configuration events received so far have been applied (for tests and the shell). */
    public void awaitSettled() throws InterruptedException {
        for (Worker worker : workers()) {
            worker.awaitSettled();
        }
    }

    /** Drains and stops every agent; the engine is unusable afterwards. */
    public void shutdown() {
        List<Worker> workers;
        synchronized (agents) {
            closed = true;
            workers = new ArrayList<>(agents.values());
        }
        // No new pass starts; one under way finishes (its drain included) before the agent shuts down.
        workers.forEach(worker -> worker.executor.shutdown());
        for (Worker worker : workers) {
            LOG.info("Agent {}: stopping", worker.agent.name());
            worker.agent.shutdown();
        }
    }

    // ---------------------------------------------------------------- an operator's controls

    @Override
    public boolean stop(String agent, ComponentKind kind, String name) throws InterruptedException {
        Worker worker = existing(agent);
        if (worker == null || !worker.agent.hold(new ComponentKey(kind, name))) {
            return false;
        }
        worker.request();
        worker.awaitSettled();
        return true;
    }

    @Override
    public boolean start(String agent, ComponentKind kind, String name) throws InterruptedException {
        Worker worker = existing(agent);
        if (worker == null || !worker.agent.release(new ComponentKey(kind, name))) {
            return false;
        }
        worker.request();
        worker.awaitSettled();
        return true;
    }

    @Override
    public Tap tap(String agent, ComponentKind kind, String name, int wanted) {
        return taps.open(agent, kind, name, wanted);
    }

    /** For tests: the tap points kept. */
    int tapPoints() {
        return taps.size();
    }

    @Override
    public List<ProvidedTypes> providedTypes() {
        List<ProvidedTypes> out = new ArrayList<>();
        Map<ComponentKind, List<Provider>> all = providers.all();
        for (ComponentKind family : ComponentKind.values()) {
            all.getOrDefault(family, List.of()).forEach(p -> out.add(new ProvidedTypes(p.bundle(), p.version(),
                    family, p.types())));
        }
        return out;
    }

    private static boolean allRunning(List<ComponentStatus> statuses) {
        return !statuses.isEmpty() && statuses.stream().allMatch(status -> status.state() == ComponentState.RUNNING);
    }

    private Worker existing(String agent) {
        synchronized (agents) {
            return agents.get(agent);
        }
    }

    // ---------------------------------------------------------------- views

    @Override
    public List<String> agents() {
        synchronized (agents) {
            return new ArrayList<>(new TreeSet<>(agents.keySet()));
        }
    }

    @Override
    public List<ComponentStatus> components(String agent) {
        Worker worker;
        synchronized (agents) {
            worker = agents.get(agent);
        }
        return worker == null ? List.of() : worker.agent.statuses();
    }

    /** Events of stopped memory channels the runtime keeps until their channel runs again, by channel. */
    public Map<String, Integer> heldEvents(String agent) {
        Worker worker;
        synchronized (agents) {
            worker = agents.get(agent);
        }
        return worker == null ? Map.of() : worker.agent.heldByChannel();
    }

    @Override
    public Optional<TypeInfo> lookup(ComponentKind kind, String type) {
        Provider provider = providers.find(kind, type);
        if (provider == null) {
            return Optional.empty();
        }
        Function<Map<String, String>, String> selectorKey = null;
        if (provider.factory() instanceof SinkProcessorFactory processor) {
            selectorKey = processor::sinkSelectorKey;
        }
        return Optional.of(new TypeInfo(provider.factory().configurationType(),
                Set.copyOf(provider.factory().openKeyPrefixes()), provider.bundle(), provider.version(), selectorKey));
    }

    @Override
    public long lastChangeMillis() {
        return lastProviderChangeMillis;
    }

    private List<Worker> workers() {
        synchronized (agents) {
            return new ArrayList<>(agents.values());
        }
    }

    private Worker worker(String agent) {
        synchronized (agents) {
            return agents.computeIfAbsent(agent, name -> new Worker(new Agent(name, new EngineEnvironment())));
        }
    }

    /**
     * An agent and the thread its passes run on. Requests coalesce until the pass starts; one that comes while a
     * pass runs is served by the next pass, so no change waits for the retry.
     */
    private final class Worker {
        final Agent agent;
        final ScheduledThreadPoolExecutor executor;
        /** Guarded by this. */
        private boolean queued;
        /** The last pass scheduled; guarded by this. */
        private ScheduledFuture<?> last;
        /** Whether {@link #firstRunning} was told of this agent. */
        private final AtomicBoolean ran = new AtomicBoolean();

        Worker(Agent agent) {
            this.agent = agent;
            this.executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "sluice-runtime-" + agent.name());
                t.setDaemon(true);
                return t;
            });
            // At shutdown a pass under way finishes; one not yet begun is dropped.
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            if (closed) {
                executor.shutdown();
            } else {
                executor.scheduleWithFixedDelay(this::retry, RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        synchronized void request() {
            if (queued || executor.isShutdown()) {
                return;
            }
            queued = true;
            last = executor.schedule(() -> {
                synchronized (this) {
                    queued = false;
                }
                pass();
            }, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
        }

        void pass() {
            try {
                agent.reconcile();
            } catch (RuntimeException e) {
                LOG.error("Agent {}: reconciling its configuration failed", agent.name(), e);
            }
            if (!ran.get() && allRunning(agent.statuses()) && ran.compareAndSet(false, true)) {
                try {
                    firstRunning.accept(agent.name());
                } catch (RuntimeException e) {
                    LOG.error("Agent {}: telling that it runs failed", agent.name(), e);
                }
            }
        }

        private void retry() {
            try {
                agent.retryHeld();
            } catch (RuntimeException e) {
                LOG.error("Agent {}: putting held events back failed", agent.name(), e);
            }
            pass();
        }

        void awaitSettled() throws InterruptedException {
            ScheduledFuture<?> current;
            synchronized (this) {
                current = last;
            }
            if (current == null) {
                return;
            }
            try {
                current.get(SETTLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("reconciling agent " + agent.name() + " did not finish", e);
            } catch (CancellationException e) {
                // The engine shut down before the pass ran: nothing is left to settle.
            }
        }
    }

    private final class EngineEnvironment implements Agent.Environment {
        @Override
        public Provider lookup(ComponentKind family, String type) {
            return providers.find(family, type);
        }

        @Override
        public Provider lookupPart(Class<?> service, String type) {
            return parts.find(service, type);
        }

        @Override
        public ComponentCounters counters(String agent, ComponentKind kind, String name) {
            return metrics.counters(agent, kind, name);
        }

        @Override
        public void forget(String agent, ComponentKind kind, String name) {
            metrics.remove(agent, kind, name);
            taps.remove(agent, kind, name);
        }

        @Override
        public TapPoint tapPoint(String agent, ComponentKind kind, String name) {
            return taps.point(agent, kind, name);
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
    }
}

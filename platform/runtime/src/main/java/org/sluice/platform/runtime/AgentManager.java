package org.sluice.platform.runtime;

import org.sluice.platform.management.ComponentStatus;
import org.sluice.platform.management.AgentRuntime;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.cm.ManagedServiceFactory;
import org.osgi.service.condition.Condition;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.component.ComponentFactory;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.format.EventDeserializerFactory;
import org.sluice.api.format.EventSerializerFactory;
import org.sluice.api.interceptor.HeaderValueSerializerFactory;
import org.sluice.api.interceptor.InterceptorFactory;
import org.sluice.api.selector.ChannelSelectorFactory;
import org.sluice.api.sink.SinkFactory;
import org.sluice.api.sink.SinkProcessorFactory;
import org.sluice.api.sink.SinkSelectorFactory;
import org.sluice.api.source.SourceFactory;
import org.sluice.platform.config.ConfigSchema;
import org.sluice.platform.config.TypeCatalog;
import org.sluice.platform.metrics.Metrics;
import org.sluice.platform.tap.Tap;

/**
 * The runtime inside OSGi: feeds the {@link RuntimeEngine} with the component configurations Config Admin
 * holds (as managed service factories for the {@link ConfigSchema} PIDs) and with the factory services
 * plugins register, and drains the agents when the framework begins to stop, while plugin bundles still run.
 *
 * <p>The seven factory interfaces, and those of the named parts components look up through their contexts
 * (serializers, deserializers), are dynamic references of any number: SCR calls the unbind method on the
 * thread that unregisters the service, before the unregistration returns, so a plugin bundle that stops
 * finds its components stopped when its services are gone.
 *
 * <p>The first time every component of an agent runs, it registers a {@link Condition} with the
 * {@value #STARTED_CONDITION} id and the agent's name as {@code sluice.agent}: the launcher waits for it to start the
 * plugins the agent's configuration does not name.
 *
 * <p>Framework properties: {@code sluice.data} (data directory root, default {@code data}),
 * {@code sluice.drain.timeout} (seconds a stopping memory channel's sinks get to empty it, default 30).
 */
@Component(immediate = true, service = {AgentRuntime.class, AgentControl.class, TypeCatalog.class})
public final class AgentManager implements AgentRuntime, AgentControl, TypeCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(AgentManager.class);
    /** The {@link Condition#CONDITION_ID} of the condition registered once an agent first runs. */
    public static final String STARTED_CONDITION = "sluice.agent.started";

    private final RuntimeEngine engine;
    private final BundleContext context;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    /** The conditions of the agents that ran; guarded by itself, null once deactivated. */
    private List<ServiceRegistration<Condition>> started = new ArrayList<>();
    private final SynchronousBundleListener frameworkStopping;

    @Activate
    public AgentManager(BundleContext context, @Reference Metrics metrics) {
        this.context = context;
        String data = context.getProperty("sluice.data");
        Path dataRoot = Paths.get(data == null ? "data" : data).toAbsolutePath();
        long drainSeconds = parseLong(context.getProperty("sluice.drain.timeout"), 30L);
        this.engine = new RuntimeEngine(metrics, dataRoot, drainSeconds * 1000L);
        engine.onFirstRunning(this::announceStarted);
        // The system bundle's STOPPING event comes before any other bundle stops: the last moment at which
        // sinks of every plugin still run and memory channels can be drained.
        this.frameworkStopping = event -> {
            if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
                LOG.info("Framework is stopping: draining and stopping the agents");
                engine.shutdown();
            }
        };
        context.addBundleListener(frameworkStopping);
        for (String pid : List.of(ConfigSchema.AGENT_PID, ConfigSchema.CHANNEL_PID, ConfigSchema.SINK_PID,
                ConfigSchema.SINKGROUP_PID, ConfigSchema.SOURCE_PID)) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(Constants.SERVICE_PID, pid);
            registrations.add(context.registerService(ManagedServiceFactory.class, new ConfigurationFeed(pid), props));
        }
    }

    /** Before SCR unbinds the factories: the agents drain and stop while their plugins are still bound. */
    @Deactivate
    void deactivate() {
        registrations.forEach(ServiceRegistration::unregister);
        synchronized (this) {
            started.forEach(ServiceRegistration::unregister);
            started = null;
        }
        context.removeBundleListener(frameworkStopping);
        engine.shutdown();
    }

    private synchronized void announceStarted(String agent) {
        if (started == null) {
            return;
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Condition.CONDITION_ID, STARTED_CONDITION);
        props.put(ConfigSchema.AGENT, agent);
        started.add(context.registerService(Condition.class, Condition.INSTANCE, props));
        LOG.info("Agent {}: every component runs", agent);
    }

    /** The engine, for tests inside the framework. */
    RuntimeEngine engine() {
        return engine;
    }

    @Override
    public List<String> agents() {
        return engine.agents();
    }

    @Override
    public List<ComponentStatus> components(String agent) {
        return engine.components(agent);
    }

    @Override
    public boolean stop(String agent, ComponentKind kind, String name) throws InterruptedException {
        return engine.stop(agent, kind, name);
    }

    @Override
    public boolean start(String agent, ComponentKind kind, String name) throws InterruptedException {
        return engine.start(agent, kind, name);
    }

    @Override
    public Tap tap(String agent, ComponentKind kind, String name, int wanted) {
        return engine.tap(agent, kind, name, wanted);
    }

    @Override
    public List<ProvidedTypes> providedTypes() {
        return engine.providedTypes();
    }

    @Override
    public java.util.Optional<TypeInfo> lookup(ComponentKind kind, String type) {
        return engine.lookup(kind, type);
    }

    @Override
    public long lastChangeMillis() {
        return engine.lastChangeMillis();
    }

    // ---------------------------------------------------------------- the factory services, one reference each

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindChannelFactory(ChannelFactory factory, ServiceReference<ChannelFactory> reference) {
        added(ComponentKind.CHANNEL, factory, reference);
    }

    void unbindChannelFactory(ServiceReference<ChannelFactory> reference) {
        removed(ComponentKind.CHANNEL, reference);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindSinkFactory(SinkFactory factory, ServiceReference<SinkFactory> reference) {
        added(ComponentKind.SINK, factory, reference);
    }

    void unbindSinkFactory(ServiceReference<SinkFactory> reference) {
        removed(ComponentKind.SINK, reference);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindSinkProcessorFactory(SinkProcessorFactory factory, ServiceReference<SinkProcessorFactory> reference) {
        added(ComponentKind.SINK_PROCESSOR, factory, reference);
    }

    void unbindSinkProcessorFactory(ServiceReference<SinkProcessorFactory> reference) {
        removed(ComponentKind.SINK_PROCESSOR, reference);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindSinkSelectorFactory(SinkSelectorFactory factory, ServiceReference<SinkSelectorFactory> reference) {
        added(ComponentKind.SINK_SELECTOR, factory, reference);
    }

    void unbindSinkSelectorFactory(ServiceReference<SinkSelectorFactory> reference) {
        removed(ComponentKind.SINK_SELECTOR, reference);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindChannelSelectorFactory(ChannelSelectorFactory factory,
            ServiceReference<ChannelSelectorFactory> reference) {
        added(ComponentKind.CHANNEL_SELECTOR, factory, reference);
    }

    void unbindChannelSelectorFactory(ServiceReference<ChannelSelectorFactory> reference) {
        removed(ComponentKind.CHANNEL_SELECTOR, reference);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindInterceptorFactory(InterceptorFactory factory, ServiceReference<InterceptorFactory> reference) {
        added(ComponentKind.INTERCEPTOR, factory, reference);
    }

    void unbindInterceptorFactory(ServiceReference<InterceptorFactory> reference) {
        removed(ComponentKind.INTERCEPTOR, reference);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindSourceFactory(SourceFactory factory, ServiceReference<SourceFactory> reference) {
        added(ComponentKind.SOURCE, factory, reference);
    }

    void unbindSourceFactory(ServiceReference<SourceFactory> reference) {
        removed(ComponentKind.SOURCE, reference);
    }

    // ---------------------------------------------------------------- named parts components look up

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindEventSerializerFactory(EventSerializerFactory factory, ServiceReference<EventSerializerFactory> reference) {
        engine.partAdded(EventSerializerFactory.class, Provider.of(factory, reference));
    }

    void unbindEventSerializerFactory(ServiceReference<EventSerializerFactory> reference) {
        engine.partRemoved(EventSerializerFactory.class, Provider.serviceId(reference));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindEventDeserializerFactory(EventDeserializerFactory factory,
            ServiceReference<EventDeserializerFactory> reference) {
        engine.partAdded(EventDeserializerFactory.class, Provider.of(factory, reference));
    }

    void unbindEventDeserializerFactory(ServiceReference<EventDeserializerFactory> reference) {
        engine.partRemoved(EventDeserializerFactory.class, Provider.serviceId(reference));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindHeaderValueSerializerFactory(HeaderValueSerializerFactory factory,
            ServiceReference<HeaderValueSerializerFactory> reference) {
        engine.partAdded(HeaderValueSerializerFactory.class, Provider.of(factory, reference));
    }

    void unbindHeaderValueSerializerFactory(ServiceReference<HeaderValueSerializerFactory> reference) {
        engine.partRemoved(HeaderValueSerializerFactory.class, Provider.serviceId(reference));
    }

    private void added(ComponentKind family, ComponentFactory<?, ?> factory, ServiceReference<?> reference) {
        engine.providerAdded(family, Provider.of(factory, reference));
    }

    /** Synchronous: returns when nothing made by the factory runs any more. */
    private void removed(ComponentKind family, ServiceReference<?> reference) {
        engine.providerRemoved(family, Provider.serviceId(reference));
    }

    private static long parseLong(String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("framework property sluice.drain.timeout: '" + value
                    + "' is not a number of seconds", e);
        }
    }

    /** Config Admin's deliveries for one factory PID, passed to the engine as string maps. */
    private final class ConfigurationFeed implements ManagedServiceFactory {
        private final String factoryPid;

        ConfigurationFeed(String factoryPid) {
            this.factoryPid = factoryPid;
        }

        @Override
        public String getName() {
            return "Sluice " + factoryPid + " configurations";
        }

        @Override
        public void updated(String pid, Dictionary<String, ?> properties) {
            Map<String, String> values = new LinkedHashMap<>();
            for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                Object value = properties.get(key);
                values.put(key, value instanceof String[] ? String.join(" ", (String[]) value) : String.valueOf(value));
            }
            engine.configure(factoryPid, pid, values);
        }

        @Override
        public void deleted(String pid) {
            engine.unconfigure(pid);
        }
    }
}

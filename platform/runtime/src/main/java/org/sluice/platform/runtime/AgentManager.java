package org.sluice.platform.runtime;

import org.sluice.platform.management.ComponentStatus;
import org.sluice.platform.management.AgentRuntime;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
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
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.component.ComponentFactory;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.interceptor.InterceptorFactory;
import org.sluice.api.selector.ChannelSelectorFactory;
import org.sluice.api.sink.SinkFactory;
import org.sluice.api.sink.SinkProcessorFactory;
import org.sluice.api.sink.SinkSelectorFactory;
import org.sluice.api.source.SourceFactory;
import org.sluice.platform.config.ConfigSchema;
import org.sluice.platform.config.TypeCatalog;
import org.sluice.platform.metrics.Metrics;

/**
 * The runtime inside OSGi: feeds the {@link RuntimeEngine} with the component configurations Config Admin
 * holds (as managed service factories for the {@link ConfigSchema} PIDs) and with the factory services
 * plugins register, and drains the agents when the framework begins to stop, while plugin bundles still run.
 *
 * <p>Framework properties: {@code sluice.data} (data directory root, default {@code data}),
 * {@code sluice.drain.timeout} (seconds a stopping memory channel's sinks get to empty it, default 30).
 */
@Component(immediate = true, service = {AgentRuntime.class, TypeCatalog.class})
public final class AgentManager implements AgentRuntime, TypeCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(AgentManager.class);

    private static final Map<Class<?>, ComponentKind> FAMILIES = new LinkedHashMap<>();

    static {
        FAMILIES.put(ChannelFactory.class, ComponentKind.CHANNEL);
        FAMILIES.put(SinkFactory.class, ComponentKind.SINK);
        FAMILIES.put(SinkProcessorFactory.class, ComponentKind.SINK_PROCESSOR);
        FAMILIES.put(SinkSelectorFactory.class, ComponentKind.SINK_SELECTOR);
        FAMILIES.put(ChannelSelectorFactory.class, ComponentKind.CHANNEL_SELECTOR);
        FAMILIES.put(InterceptorFactory.class, ComponentKind.INTERCEPTOR);
        FAMILIES.put(SourceFactory.class, ComponentKind.SOURCE);
    }

    private final Metrics metrics;
    private final RuntimeEngine engine;
    private final BundleContext context;
    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final SynchronousBundleListener frameworkStopping;

    @Activate
    public AgentManager(BundleContext context, @Reference Metrics metrics) {
        this.context = context;
        this.metrics = metrics;
        String data = context.getProperty("sluice.data");
        Path dataRoot = Paths.get(data == null ? "data" : data).toAbsolutePath();
        long drainSeconds = parseLong(context.getProperty("sluice.drain.timeout"), 30L);
        this.engine = new RuntimeEngine(metrics, dataRoot, drainSeconds * 1000L);
        // The system bundle's STOPPING event comes before any other bundle stops: the last moment at which
        // sinks of every plugin still run and memory channels can be drained.
        this.frameworkStopping = event -> {
            if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
                LOG.info("Framework is stopping: draining and stopping the agents");
                engine.shutdown();
            }
        };
        context.addBundleListener(frameworkStopping);
        for (Map.Entry<Class<?>, ComponentKind> family : FAMILIES.entrySet()) {
            trackers.add(track(family.getKey(), family.getValue()));
        }
        for (String pid : List.of(ConfigSchema.AGENT_PID, ConfigSchema.CHANNEL_PID, ConfigSchema.SINK_PID,
                ConfigSchema.SINKGROUP_PID, ConfigSchema.SOURCE_PID)) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(Constants.SERVICE_PID, pid);
            registrations.add(context.registerService(ManagedServiceFactory.class, new ConfigurationFeed(pid), props));
        }
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(ServiceRegistration::unregister);
        context.removeBundleListener(frameworkStopping);
        engine.shutdown();
        trackers.forEach(ServiceTracker::close);
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
    public java.util.Optional<TypeInfo> lookup(ComponentKind kind, String type) {
        return engine.lookup(kind, type);
    }

    private <S> ServiceTracker<S, Long> track(Class<S> type, ComponentKind family) {
        ServiceTracker<S, Long> tracker = new ServiceTracker<>(context, type, null) {
            @Override
            public Long addingService(ServiceReference<S> reference) {
                S service = context.getService(reference);
                if (service == null) {
                    return null;
                }
                long id = (Long) reference.getProperty(Constants.SERVICE_ID);
                Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
                engine.providerAdded(family, new Provider((ComponentFactory<?, ?>) service,
                        typesOf(reference.getProperty(ComponentFactory.TYPE)), id,
                        ranking instanceof Integer ? (Integer) ranking : 0,
                        reference.getBundle().getSymbolicName(), reference.getBundle().getVersion().toString()));
                return id;
            }

            @Override
            public void removedService(ServiceReference<S> reference, Long id) {
                engine.providerRemoved(family, id);
                context.ungetService(reference);
            }
        };
        tracker.open();
        return tracker;
    }

    private static List<String> typesOf(Object property) {
        List<String> types = new ArrayList<>();
        if (property instanceof String) {
            types.add(((String) property).trim());
        } else if (property instanceof String[]) {
            for (String type : (String[]) property) {
                types.add(type.trim());
            }
        } else if (property instanceof Collection) {
            for (Object type : (Collection<?>) property) {
                types.add(String.valueOf(type).trim());
            }
        }
        return types;
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

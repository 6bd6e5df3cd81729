package org.sluice.platform.metrics;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ComponentFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.monitor.MonitorContext;
import org.sluice.api.monitor.MonitorService;
import org.sluice.api.monitor.MonitorServiceFactory;

/**
 * Runs the monitor service {@code flume.monitoring.type} names, found in the service registry by type like every
 * component: Sluice's own {@code http}, or a plugin's ({@code flume.monitoring.type = com.example.Reporter}). A
 * short name matches in any case, a class name exactly, as Flume reads the type; of several providers the highest
 * ranking wins. While no bundle provides the type, monitoring waits and says so; when the providing bundle goes,
 * the service stops, and a bundle that provides the type again starts it again.
 *
 * <p>Flume logs a monitor service that fails to start and runs on without it; so does Sluice, naming the type and
 * why.
 */
@Component(immediate = true, service = {})
public final class MonitoringManager {
    private static final Logger LOG = LoggerFactory.getLogger(MonitoringManager.class);
    static final String COMPONENT = "flume.monitoring";

    private final String agent;
    private final MonitoringSettings settings;
    private final Supplier<Map<String, Map<String, String>>> counters;
    /** The providers of the configured type; guarded by this. */
    private final List<Provider> providers = new ArrayList<>();
    private Provider active;
    private MonitorService running;
    private boolean closed;

    private record Provider(MonitorServiceFactory factory, long serviceId, int ranking, String bundle) {
        boolean betterThan(Provider other) {
            return ranking != other.ranking ? ranking > other.ranking : serviceId < other.serviceId;
        }
    }

    @Activate
    public MonitoringManager(BundleContext context) {
        // BundleContext.getProperty falls back to system properties; the system properties are the ones that can be
        // listed: -Dflume.monitoring.* of the command line.
        this(context.getProperty("sluice.agent.name"),
                MonitoringSettings.read(context::getProperty, System.getProperties().stringPropertyNames()),
                () -> FlumeJmxPoll.poll(ManagementFactory.getPlatformMBeanServer()));
    }

    /** @param agent the agent the framework runs, for messages; null when none is named */
    MonitoringManager(String agent, MonitoringSettings settings,
            Supplier<Map<String, Map<String, String>>> counters) {
        this.agent = agent;
        this.settings = settings;
        this.counters = counters;
        if (settings.enabled()) {
            LOG.info("{}={}: waiting for a bundle that provides this monitoring type", MonitoringSettings.TYPE,
                    settings.type());
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void bindMonitorServiceFactory(MonitorServiceFactory factory,
            ServiceReference<MonitorServiceFactory> reference) {
        if (closed || !settings.enabled() || !answers(reference.getProperty(ComponentFactory.TYPE), settings.type())) {
            return;
        }
        Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
        Provider provider = new Provider(factory, (Long) reference.getProperty(Constants.SERVICE_ID),
                ranking instanceof Integer ? (Integer) ranking : 0, reference.getBundle().getSymbolicName() + " "
                        + reference.getBundle().getVersion());
        providers.add(provider);
        if (active == null || provider.betterThan(active)) {
            stopRunning();
            start(provider);
        }
    }

    synchronized void unbindMonitorServiceFactory(ServiceReference<MonitorServiceFactory> reference) {
        Object id = reference.getProperty(Constants.SERVICE_ID);
        providers.removeIf(provider -> provider.serviceId == (Long) id);
        if (active != null && active.serviceId == (Long) id) {
            // Synchronous: when the bundle's unregistration returns, none of its code runs here any more.
            stopRunning();
            if (!closed) {
                providers.stream().reduce((a, b) -> a.betterThan(b) ? a : b).ifPresentOrElse(this::start,
                        () -> LOG.warn("{}={}: the bundle that provided it is gone; waiting for another",
                                MonitoringSettings.TYPE, settings.type()));
            }
        }
    }

    @Deactivate
    synchronized void deactivate() {
        closed = true;
        stopRunning();
    }

    /** The running service, for tests; null when none runs. */
    synchronized MonitorService running() {
        return running;
    }

    private void start(Provider provider) {
        active = provider;
        Context context = new Context(agent, settings.properties(), counters);
        try {
            MonitorService service = provider.factory.create(context);
            service.start();
            running = service;
            LOG.info("{}={}: monitoring started ({})", MonitoringSettings.TYPE, settings.type(), provider.bundle);
        } catch (ConfigurationException e) {
            LOG.error("{}={}: monitoring not started: {}", MonitoringSettings.TYPE, settings.type(), e.getMessage());
        } catch (Exception | LinkageError e) {
            LOG.error("{}={}: monitoring not started; the agent runs without it", MonitoringSettings.TYPE,
                    settings.type(), e);
        }
    }

    private void stopRunning() {
        if (running != null) {
            try {
                running.stop();
            } catch (RuntimeException | LinkageError e) {
                LOG.error("{}={}: stopping the monitor service failed", MonitoringSettings.TYPE, settings.type(), e);
            }
            running = null;
        }
        active = null;
    }

    /** Whether the registered names include the configured one: a short alias in any case, a class name exactly. */
    static boolean answers(Object types, String type) {
        List<String> names = new ArrayList<>();
        if (types instanceof String name) {
            names.add(name);
        } else if (types instanceof String[] array) {
            names.addAll(List.of(array));
        } else if (types instanceof Iterable<?> iterable) {
            iterable.forEach(name -> names.add(String.valueOf(name)));
        }
        boolean alias = type.indexOf('.') < 0;
        return names.stream().anyMatch(name -> name.equals(type)
                || alias && name.indexOf('.') < 0 && name.toLowerCase(Locale.ROOT).equals(type.toLowerCase(Locale.ROOT)));
    }

    /** What a monitor service sees. */
    private record Context(String agent, Map<String, String> properties,
            Supplier<Map<String, Map<String, String>>> source) implements MonitorContext {

        @Override
        public Map<String, Map<String, String>> counters() {
            return source.get();
        }

        @Override
        public ConfigurationException configurationError(String key, String message) {
            return new ConfigurationException(agent, COMPONENT, MonitoringSettings.PREFIX + key, message);
        }
    }
}

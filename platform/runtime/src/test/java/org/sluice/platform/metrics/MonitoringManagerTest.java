package org.sluice.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.sluice.api.component.ComponentFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.monitor.MonitorContext;
import org.sluice.api.monitor.MonitorService;
import org.sluice.api.monitor.MonitorServiceFactory;

/**
 * The monitoring type is a provider found by name, as components are: a plugin's own monitor service
 * ({@code flume.monitoring.type = com.example.RecordingMonitor}) and Sluice's {@code http} alike.
 */
class MonitoringManagerTest {
    private static final AtomicLong SERVICE_IDS = new AtomicLong(1);
    private static final Map<String, Map<String, String>> COUNTERS = Map.of("SOURCE.r1",
            Map.of("Type", "SOURCE", "EventReceivedCount", "42"));

    /** A Sluice-native monitor service: it keeps its settings and what it read of the counters when started. */
    static final class RecordingMonitor implements MonitorService {
        final MonitorContext context;
        Map<String, Map<String, String>> seen;
        boolean stopped;

        RecordingMonitor(MonitorContext context) {
            this.context = context;
        }

        @Override
        public void start() {
            seen = context.counters();
        }

        @Override
        public void stop() {
            stopped = true;
        }
    }

    private static MonitoringManager manager(Map<String, String> properties) {
        return new MonitoringManager("a1", MonitoringSettings.read(properties::get, properties.keySet()),
                () -> COUNTERS);
    }

    @SuppressWarnings("unchecked")
    private static ServiceReference<MonitorServiceFactory> reference(int ranking, String... types) {
        Map<String, Object> properties = Map.of(ComponentFactory.TYPE, types.length == 1 ? types[0] : types,
                Constants.SERVICE_ID, SERVICE_IDS.getAndIncrement(), Constants.SERVICE_RANKING, ranking);
        Bundle bundle = (Bundle) java.lang.reflect.Proxy.newProxyInstance(Bundle.class.getClassLoader(),
                new Class<?>[] {Bundle.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> "test.monitor";
                    case "getVersion" -> Version.parseVersion("1.0.0");
                    default -> null;
                });
        return (ServiceReference<MonitorServiceFactory>) java.lang.reflect.Proxy.newProxyInstance(
                ServiceReference.class.getClassLoader(), new Class<?>[] {ServiceReference.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> properties.get((String) args[0]);
                    case "getBundle" -> bundle;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }

    @Test
    void aPluginsMonitorServiceIsFoundByItsClassNameAndGivenSettingsAndCounters() {
        MonitoringManager manager = manager(Map.of("flume.monitoring.type", "com.example.RecordingMonitor",
                "flume.monitoring.node", "com.example:332"));
        List<RecordingMonitor> made = new ArrayList<>();
        MonitorServiceFactory factory = context -> {
            RecordingMonitor monitor = new RecordingMonitor(context);
            made.add(monitor);
            return monitor;
        };

        manager.bindMonitorServiceFactory(context -> {
            throw new AssertionError("another type is never asked");
        }, reference(0, "http"));
        manager.bindMonitorServiceFactory(factory, reference(0, "com.example.RecordingMonitor"));

        RecordingMonitor monitor = (RecordingMonitor) manager.running();
        assertNotNull(monitor);
        assertEquals(Map.of("type", "com.example.RecordingMonitor", "node", "com.example:332"),
                monitor.context.properties());
        assertEquals(COUNTERS, monitor.seen);

        manager.deactivate();
        assertTrue(monitor.stopped);
        assertNull(manager.running());
    }

    @Test
    void aClassNameMatchesExactlyAndAnAliasInAnyCase() {
        assertTrue(MonitoringManager.answers(new String[] {"http", HttpMonitorServiceFactory.FLUME_CLASS}, "HTTP"));
        assertTrue(MonitoringManager.answers(new String[] {"http", HttpMonitorServiceFactory.FLUME_CLASS},
                HttpMonitorServiceFactory.FLUME_CLASS));
        assertTrue(!MonitoringManager.answers("com.example.Reporter", "com.example.reporter"));
        assertTrue(!MonitoringManager.answers("ganglia", "http"));
    }

    @Test
    void theServiceStopsWithItsBundleAndStartsAgainWhenAnotherProvidesTheType() {
        MonitoringManager manager = manager(Map.of("flume.monitoring.type", "recording"));
        ServiceReference<MonitorServiceFactory> first = reference(0, "recording");
        manager.bindMonitorServiceFactory(RecordingMonitor::new, first);
        RecordingMonitor before = (RecordingMonitor) manager.running();

        manager.unbindMonitorServiceFactory(first);
        assertTrue(before.stopped);
        assertNull(manager.running(), "waiting for a provider");

        manager.bindMonitorServiceFactory(RecordingMonitor::new, reference(0, "recording"));
        assertNotNull(manager.running());
        RecordingMonitor low = (RecordingMonitor) manager.running();
        manager.bindMonitorServiceFactory(RecordingMonitor::new, reference(5, "recording"));
        assertTrue(low.stopped, "the higher ranking provider replaces the running one");
        assertInstanceOf(RecordingMonitor.class, manager.running());
    }

    @Test
    void withoutATypeNothingRuns() {
        MonitoringManager manager = manager(Map.of());
        manager.bindMonitorServiceFactory(RecordingMonitor::new, reference(0, "recording"));
        assertNull(manager.running());
    }

    @Test
    void sluicesHttpTypeServesOnTheConfiguredAddressUntilStopped() throws Exception {
        MBeanServer mbeans = MBeanServerFactory.newMBeanServer();
        MonitoringManager manager = manager(Map.of("flume.monitoring.type", "HTTP", "flume.monitoring.port", "0",
                "flume.monitoring.bind", "127.0.0.1"));
        manager.bindMonitorServiceFactory(new HttpMonitorServiceFactory(mbeans, new JmxMetrics(mbeans), () -> null),
                reference(0, "http", HttpMonitorServiceFactory.FLUME_CLASS));

        HttpMonitorServiceFactory.HttpMonitorService http =
                (HttpMonitorServiceFactory.HttpMonitorService) manager.running();
        int port = http.address().getPort();
        assertEquals(InetAddress.getByName("127.0.0.1"), http.address().getAddress());
        try (Socket connected = new Socket("127.0.0.1", port)) {
            assertTrue(connected.isConnected());
        }

        manager.deactivate();
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void theHttpTypesPortIsCheckedAndAPortInUseIsNamed() throws Exception {
        HttpMonitorServiceFactory factory = new HttpMonitorServiceFactory(MBeanServerFactory.newMBeanServer(),
                new JmxMetrics(MBeanServerFactory.newMBeanServer()), () -> null);
        for (String port : new String[] {"abc", "-1", "65536"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> factory.create(context(Map.of("port", port))));
            assertEquals("flume.monitoring.port", e.key());
        }
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            MonitorService service = factory.create(context(Map.of("port", Integer.toString(taken.getLocalPort()),
                    "bind", "127.0.0.1")));
            IOException e = assertThrows(IOException.class, service::start);
            assertTrue(e.getMessage().contains(":" + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("flume.monitoring.port"), e.getMessage());
        }
        HttpMonitorServiceFactory.HttpMonitorService defaults =
                (HttpMonitorServiceFactory.HttpMonitorService) factory.create(context(Map.of()));
        assertTrue(defaults.toString().contains(":41414"), defaults.toString());
    }

    private static MonitorContext context(Map<String, String> properties) {
        return new MonitorContext() {
            @Override
            public Map<String, String> properties() {
                return properties;
            }

            @Override
            public Map<String, Map<String, String>> counters() {
                return Map.of();
            }

            @Override
            public ConfigurationException configurationError(String key, String message) {
                return new ConfigurationException("a1", "flume.monitoring", "flume.monitoring." + key, message);
            }
        };
    }
}

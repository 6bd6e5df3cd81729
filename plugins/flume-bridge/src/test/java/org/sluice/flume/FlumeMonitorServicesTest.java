package org.sluice.flume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.flume.instrumentation.SourceCounter;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.monitor.MonitorContext;
import org.sluice.api.monitor.MonitorService;
import org.sluice.flume.counters.CounterScope;

/**
 * A Flume monitor service class run through the bridge: Flume 1.11.0's own GangliaServer, compiled against Flume's
 * API as a third party's is, configured with the {@code flume.monitoring.*} settings and reporting the counters it
 * finds under Flume's JMX names.
 */
class FlumeMonitorServicesTest {
    private static final String GANGLIA = "org.apache.flume.instrumentation.GangliaServer";
    private static final PluginClasses FLUME = PluginClasses.of(FlumeMonitorServicesTest.class.getClassLoader(),
            "flume");

    @Test
    void aFlumeMonitorServiceReportsTheCountersPublishedUnderFlumesNames() throws Exception {
        // A counter group that keeps its own values, published as org.apache.flume.source:type=monitored-r9.
        CounterScope scope = new CounterScope("OTHER", "monitored-owner", null);
        SourceCounter counter;
        try (CounterScope.Entered entered = scope.enter()) {
            counter = new SourceCounter("monitored-r9");
            counter.start();
        }
        counter.addToEventReceivedCount(42);
        try (DatagramSocket gmond = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            gmond.setSoTimeout(500);
            MonitorService service = new FlumeMonitorServices(FLUME, GANGLIA).create(context(Map.of("type", GANGLIA,
                    "hosts", "127.0.0.1:" + gmond.getLocalPort(), "pollFrequency", "1")));
            service.start();
            try {
                StringBuilder received = new StringBuilder();
                byte[] buffer = new byte[2048];
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    try {
                        gmond.receive(packet);
                        received.append(new String(packet.getData(), 0, packet.getLength(),
                                StandardCharsets.ISO_8859_1));
                    } catch (SocketTimeoutException e) {
                        // nothing this time; wait on
                    }
                    return received.indexOf("flume.SOURCE.monitored-r9.EventReceivedCount") >= 0
                            && received.indexOf("42") >= 0;
                });
            } finally {
                service.stop();
                scope.close();
            }
        }
    }

    @Test
    void aSettingTheServiceRefusesIsAConfigurationErrorNamingTheMonitoringKey() {
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> new FlumeMonitorServices(FLUME, GANGLIA).create(context(Map.of("type", GANGLIA))));
        assertTrue(error.getMessage().contains("flume.monitoring.type"), error.getMessage());
        assertTrue(error.getMessage().contains("Hosts list cannot be empty"), error.getMessage());
    }

    @Test
    void aClassThatIsNoMonitorServiceIsRefusedByName() {
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> new FlumeMonitorServices(FLUME, "org.apache.flume.sink.NullSink").create(context(Map.of())));
        assertTrue(error.getMessage().contains("org.apache.flume.sink.NullSink is not an "
                + "org.apache.flume.instrumentation.MonitorService"), error.getMessage());
    }

    @Test
    void aPluginsMonitorServiceClassIsOfferedAsOne(@TempDir Path work) throws Exception {
        String resource = QuietMonitor.class.getName().replace('.', '/') + ".class";
        Path classes = work.resolve("classes");
        Files.createDirectories(classes.resolve(resource).getParent());
        try (InputStream in = QuietMonitor.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, classes.resolve(resource));
        }
        PluginComponents components = new PluginBundleMaker(getClass().getClassLoader()).make(new PluginSource(
                "flume.plugin.quiet", "1.0.0", "quiet", List.of(classes), List.of(), false),
                work.resolve("bundle.jar").toFile());
        assertEquals(Map.of(QuietMonitor.class.getName(), FlumeKind.MONITOR), components.classes());
        assertEquals(QuietMonitor.class.getName() + ";kind=monitor", components.header());
    }

    /** A third party's monitor service as a plugin holds it: implementing Flume's interface. */
    public static final class QuietMonitor implements org.apache.flume.instrumentation.MonitorService {
        @Override
        public void configure(org.apache.flume.Context context) {
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }
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

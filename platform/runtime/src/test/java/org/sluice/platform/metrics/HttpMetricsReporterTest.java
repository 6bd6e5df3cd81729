package org.sluice.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;

import org.junit.jupiter.api.Test;

class HttpMetricsReporterTest {

    private final MBeanServer mbeans = MBeanServerFactory.newMBeanServer();
    private final JmxMetrics metrics = new JmxMetrics(mbeans);

    private HttpMetricsReporter reporter(Map<String, String> properties) throws IOException {
        return new HttpMetricsReporter(properties::get, mbeans, metrics, () -> null);
    }

    @Test
    void offWithoutFlumesMonitoringType() throws IOException {
        HttpMetricsReporter reporter = reporter(Map.of());
        assertNull(reporter.server());
        reporter.stop();
    }

    @Test
    void unsupportedTypesStartNothing() throws IOException {
        HttpMetricsReporter reporter = reporter(Map.of("flume.monitoring.type", "ganglia"));
        assertNull(reporter.server());
        reporter.stop();
    }

    @Test
    void servesOnTheConfiguredAddressUntilStopped() throws IOException {
        HttpMetricsReporter reporter = reporter(Map.of("flume.monitoring.type", "http",
                "flume.monitoring.port", "0", "flume.monitoring.bind", "127.0.0.1"));
        MetricsHttpServer server = reporter.server();
        assertNotNull(server);
        int port = server.address().getPort();
        assertEquals(InetAddress.getByName("127.0.0.1"), server.address().getAddress());
        try (Socket connected = new Socket("127.0.0.1", port)) {
            assertTrue(connected.isConnected());
        }

        reporter.stop();

        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void aPortInUseFailsActivationNamingTheAddressAndProperties() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IOException e = assertThrows(IOException.class,
                    () -> reporter(Map.of("flume.monitoring.type", "http", "flume.monitoring.port",
                            Integer.toString(taken.getLocalPort()), "flume.monitoring.bind", "127.0.0.1")));
            assertTrue(e.getMessage().contains(":" + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("flume.monitoring.port"), e.getMessage());
        }
    }
}

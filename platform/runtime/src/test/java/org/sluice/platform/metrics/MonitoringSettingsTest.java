package org.sluice.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sluice.platform.metrics.MonitoringSettings.Kind;

class MonitoringSettingsTest {

    private static MonitoringSettings read(Map<String, String> properties) {
        return MonitoringSettings.read(properties::get);
    }

    @Test
    void offUnlessATypeIsSet() {
        assertEquals(Kind.NONE, read(Map.of()).kind());
        assertEquals(Kind.NONE, read(Map.of("flume.monitoring.type", "  ")).kind());
        assertEquals(Kind.NONE, read(Map.of("flume.monitoring.port", "1234")).kind());
    }

    @Test
    void httpInAnyCaseOrFlumesClassNameTurnsTheReporterOnWithFlumesDefaults() {
        for (String type : new String[] {"http", "HTTP", " Http ",
                "org.apache.flume.instrumentation.http.HTTPMetricsServer"}) {
            MonitoringSettings settings = read(Map.of("flume.monitoring.type", type));
            assertEquals(Kind.HTTP, settings.kind(), type);
            assertEquals(41414, settings.address().getPort());
            assertEquals("0.0.0.0", settings.address().getHostString());
        }
    }

    @Test
    void portAndBindAddressAreRead() {
        MonitoringSettings settings = read(Map.of("flume.monitoring.type", "http", "flume.monitoring.port", "34545",
                "flume.monitoring.bind", "127.0.0.1"));
        assertEquals(34545, settings.address().getPort());
        assertEquals("127.0.0.1", settings.address().getHostString());
    }

    @Test
    void aPortThatIsNoPortIsRefusedNamingTheProperty() {
        for (String port : new String[] {"abc", "-1", "65536", "4141x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> read(Map.of("flume.monitoring.type", "http", "flume.monitoring.port", port)));
            assertTrue(e.getMessage().contains("flume.monitoring.port=" + port), e.getMessage());
        }
    }

    @Test
    void flumesOtherReportersAreRecognisedAsUnsupported() {
        MonitoringSettings ganglia = read(Map.of("flume.monitoring.type", "ganglia"));
        assertEquals(Kind.UNSUPPORTED, ganglia.kind());
        assertEquals("ganglia", ganglia.type());
        assertNull(ganglia.address());
        assertEquals(Kind.UNSUPPORTED, read(Map.of("flume.monitoring.type", "com.example.MyMonitor")).kind());
    }
}

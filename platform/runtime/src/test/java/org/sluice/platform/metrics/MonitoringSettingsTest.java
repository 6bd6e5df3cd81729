package org.sluice.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class MonitoringSettingsTest {

    private static MonitoringSettings read(Map<String, String> properties) {
        return MonitoringSettings.read(properties::get, properties.keySet());
    }

    @Test
    void offUnlessATypeIsSet() {
        assertFalse(read(Map.of()).enabled());
        assertFalse(read(Map.of("flume.monitoring.type", "  ")).enabled());
        assertFalse(read(Map.of("flume.monitoring.port", "1234")).enabled());
    }

    @Test
    void everyMonitoringPropertyGoesToTheServiceWithoutThePrefixAsFlumePassesThem() {
        MonitoringSettings settings = read(Map.of("flume.monitoring.type", " com.example.Reporter ",
                "flume.monitoring.node", "com.example:332", "flume.monitoring.pollFrequency", "30",
                "flume.root.logger", "INFO,console"));

        assertTrue(settings.enabled());
        assertEquals("com.example.Reporter", settings.type());
        assertEquals(Map.of("type", "com.example.Reporter", "node", "com.example:332", "pollFrequency", "30"),
                settings.properties());
    }
}

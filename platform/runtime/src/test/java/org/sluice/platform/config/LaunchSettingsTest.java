package org.sluice.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LaunchSettingsTest {

    @Test
    void defaultsAreFlumes() {
        LaunchSettings settings = LaunchSettings.read(Map.of(LaunchSettings.CONF_FILE, "conf/flume.conf",
                LaunchSettings.AGENT_NAME, "a1")::get);

        assertEquals(Path.of("conf/flume.conf").toAbsolutePath().normalize(), settings.file());
        assertEquals("a1", settings.agent());
        assertFalse(settings.validateOnly());
        assertTrue(settings.reload());
        assertEquals(30, settings.pollIntervalSeconds());
        assertEquals(List.of(), settings.warnings());
    }

    @Test
    void readsModeReloadAndInterval() {
        LaunchSettings settings = LaunchSettings.read(Map.of(LaunchSettings.MODE, "validate",
                LaunchSettings.RELOAD, "false", LaunchSettings.POLL_INTERVAL, " 5 ")::get);

        assertNull(settings.file());
        assertTrue(settings.validateOnly());
        assertFalse(settings.reload());
        assertEquals(5, settings.pollIntervalSeconds());
    }

    @Test
    void aBadIntervalFallsBackToTheDefaultWithAWarning() {
        LaunchSettings settings = LaunchSettings.read(Map.of(LaunchSettings.POLL_INTERVAL, "soon")::get);

        assertEquals(30, settings.pollIntervalSeconds());
        assertEquals(1, settings.warnings().size());
        assertTrue(settings.warnings().get(0).contains("soon"));
    }
}

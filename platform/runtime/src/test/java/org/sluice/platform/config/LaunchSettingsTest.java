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

        assertEquals(List.of(Path.of("conf/flume.conf").toAbsolutePath().normalize().toString()), settings.sources());
        assertEquals("a1", settings.agent());
        assertFalse(settings.validateOnly());
        assertTrue(settings.reload());
        assertEquals(30, settings.effectivePollIntervalSeconds(false));
        assertEquals(300, settings.effectivePollIntervalSeconds(true), "Flume polls HTTP every 300 s");
        assertEquals(List.of(), settings.warnings());
    }

    @Test
    void readsModeReloadAndInterval() {
        LaunchSettings settings = LaunchSettings.read(Map.of(LaunchSettings.MODE, "validate",
                LaunchSettings.RELOAD, "false", LaunchSettings.POLL_INTERVAL, " 5 ")::get);

        assertEquals(List.of(), settings.sources());
        assertTrue(settings.validateOnly());
        assertFalse(settings.reload());
        assertEquals(5, settings.pollIntervalSeconds());
    }

    @Test
    void aBadIntervalFallsBackToTheDefaultWithAWarning() {
        LaunchSettings settings = LaunchSettings.read(Map.of(LaunchSettings.POLL_INTERVAL, "soon")::get);

        assertEquals(30, settings.effectivePollIntervalSeconds(false));
        assertEquals(1, settings.warnings().size());
        assertTrue(settings.warnings().get(0).contains("soon"));
    }

    @Test
    void readsSeveralSourcesInMergeOrderThenTheSingleFile() {
        LaunchSettings settings = LaunchSettings.read(Map.of(
                LaunchSettings.CONF_SOURCES, "https://config.example/flume.conf\n/etc/flume/base.conf\n\n",
                LaunchSettings.CONF_FILE, "override.conf", LaunchSettings.AGENT_NAME, "a1",
                LaunchSettings.USER, "flume", LaunchSettings.PASSWORD, "s3cret",
                LaunchSettings.BACKUP_DIRECTORY, "backups", LaunchSettings.CONF_DIRECTORY, "/opt/flume/conf")::get);

        assertEquals(List.of("https://config.example/flume.conf", "/etc/flume/base.conf",
                Path.of("override.conf").toAbsolutePath().toString()), settings.sources());
        assertTrue(settings.hasConfiguration());
        assertEquals("flume", settings.user());
        assertEquals("s3cret", settings.password());
        assertEquals(Path.of("backups").toAbsolutePath(), settings.backupDirectory());
        assertEquals(Path.of("/opt/flume/conf"), settings.confDirectory());
        assertFalse(settings.toString().contains("s3cret"), settings::toString);
    }

    @Test
    void withoutAnAgentThereIsNoConfigurationToRun() {
        LaunchSettings settings = LaunchSettings.read(Map.of(LaunchSettings.CONF_FILE, "flume.conf")::get);

        assertFalse(settings.hasConfiguration());
        assertNull(settings.agent());
    }
}

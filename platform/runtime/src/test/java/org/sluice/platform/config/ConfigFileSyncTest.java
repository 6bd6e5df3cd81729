package org.sluice.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.platform.config.Corpus.assertProblems;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge's diff against Config Admin: only what changed is written, only its own is removed. */
class ConfigFileSyncTest {

    private static final String SIMPLE = """
            a1.sources = r1
            a1.sinks = k1
            a1.channels = c1
            a1.sources.r1.type = netcat
            a1.sources.r1.bind = localhost
            a1.sources.r1.port = 44444
            a1.sources.r1.channels = c1
            a1.sinks.k1.type = logger
            a1.sinks.k1.channel = c1
            a1.channels.c1.type = memory
            a1.channels.c1.capacity = 1000
            """;

    @TempDir
    Path directory;
    private Path file;
    private String origin;
    private final InMemoryConfigurationAdmin configurationAdmin = new InMemoryConfigurationAdmin();

    @BeforeEach
    void writeFile() throws IOException {
        file = directory.resolve("flume.conf");
        Files.writeString(file, SIMPLE);
        origin = file.toAbsolutePath().normalize().toString();
    }

    private ConfigFileSync bridge() {
        return new ConfigFileSync(new ConfigSources(List.of(new FileConfigSource(file)), null), "a1",
                new FlumeConfigParser(Environment.of(Map.of(), Map.of()), false), configurationAdmin);
    }

    @Test
    void writesOneFactoryConfigurationPerComponentAndOneForTheAgent() {
        ReloadSummary summary = bridge().reload();

        assertEquals(List.of("a1", "a1.channels.c1", "a1.sinks.k1", "a1.sources.r1"), summary.added());
        assertEquals(Set.of("org.sluice.agent~a1", "org.sluice.channel~a1.c1", "org.sluice.sink~a1.k1",
                "org.sluice.source~a1.r1"), configurationAdmin.pids());
        assertEquals(Map.of("type", "netcat", "bind", "localhost", "port", "44444", "channels", "c1",
                ConfigSchema.AGENT, "a1", ConfigSchema.COMPONENT, "r1", ConfigSchema.ORIGIN, origin,
                "service.pid", "org.sluice.source~a1.r1", "service.factoryPid", "org.sluice.source"),
                configurationAdmin.properties("org.sluice.source~a1.r1"));
        assertEquals(Map.of(ConfigSchema.AGENT, "a1", ConfigSchema.ORIGIN, origin,
                "service.pid", "org.sluice.agent~a1", "service.factoryPid", "org.sluice.agent"),
                configurationAdmin.properties("org.sluice.agent~a1"));
    }

    @Test
    void anUnchangedFileWritesNothing() {
        ConfigFileSync bridge = bridge();
        bridge.reload();
        int updates = configurationAdmin.totalUpdates();

        assertTrue(bridge.reloadIfChanged().isEmpty());
        ReloadSummary forced = bridge.reload();

        assertEquals(updates, configurationAdmin.totalUpdates());
        assertTrue(!forced.changed(), forced::toString);
    }

    @Test
    void aChangedComponentIsTheOnlyOneWritten() throws IOException {
        ConfigFileSync bridge = bridge();
        bridge.reload();
        Files.writeString(file, SIMPLE.replace("a1.channels.c1.capacity = 1000", "a1.channels.c1.capacity = 5000"));

        ReloadSummary summary = bridge.reloadIfChanged().orElseThrow();

        assertEquals(List.of("a1.channels.c1"), summary.updated());
        assertEquals(List.of(), summary.added());
        assertEquals(List.of(), summary.removed());
        assertEquals(2, configurationAdmin.updateCount("org.sluice.channel~a1.c1"));
        assertEquals(1, configurationAdmin.updateCount("org.sluice.source~a1.r1"));
        assertEquals(1, configurationAdmin.updateCount("org.sluice.sink~a1.k1"));
        assertEquals("5000", configurationAdmin.properties("org.sluice.channel~a1.c1").get("capacity"));
    }

    @Test
    void aComponentNoLongerInTheFileIsRemovedAndAKeyNoLongerThereIsDropped() throws IOException {
        ConfigFileSync bridge = bridge();
        bridge.reload();
        Files.writeString(file, SIMPLE.replace("a1.sources = r1", "a1.sources = r2")
                .replace("sources.r1.", "sources.r2.").replace("a1.sources.r2.bind = localhost\n", ""));

        ReloadSummary summary = bridge.reloadIfChanged().orElseThrow();

        assertEquals(List.of("a1.sources.r2"), summary.added());
        assertEquals(List.of("a1.sources.r1"), summary.removed());
        assertNull(configurationAdmin.properties("org.sluice.source~a1.r1"));
        assertTrue(!configurationAdmin.properties("org.sluice.source~a1.r2").containsKey("bind"));
    }

    @Test
    void aRestartWithTheSameFileChangesNothing() {
        bridge().reload();
        int updates = configurationAdmin.totalUpdates();

        ReloadSummary afterRestart = bridge().reloadIfChanged().orElseThrow();

        assertTrue(!afterRestart.changed(), afterRestart::toString);
        assertEquals(updates, configurationAdmin.totalUpdates());
    }

    @Test
    void configurationsMadeElsewhereAreNeitherChangedNorRemoved() throws IOException {
        Hashtable<String, Object> fromEtc = new Hashtable<>(Map.of("type", "memory", "capacity", "7",
                ConfigSchema.AGENT, "a1", ConfigSchema.COMPONENT, "c1",
                "felix.fileinstall.filename", "file:/opt/sluice/etc/org.sluice.channel-a1.c1.cfg"));
        configurationAdmin.getFactoryConfiguration(ConfigSchema.CHANNEL_PID, "a1.c1", "?").update(fromEtc);
        Hashtable<String, Object> fromShell = new Hashtable<>(Map.of("type", "logger", "channel", "c1",
                ConfigSchema.AGENT, "a1", ConfigSchema.COMPONENT, "k9"));
        configurationAdmin.getFactoryConfiguration(ConfigSchema.SINK_PID, "a1.k9", "?").update(fromShell);

        ReloadSummary summary = bridge().reload();

        assertEquals("7", configurationAdmin.properties("org.sluice.channel~a1.c1").get("capacity"));
        assertNotNull(configurationAdmin.properties("org.sluice.sink~a1.k9"));
        assertProblems(summary.problems(), "ERROR a1.channels.c1");
        assertTrue(summary.problems().get(0).message().contains("org.sluice.channel-a1.c1.cfg"),
                summary.problems().get(0)::toString);
        assertEquals(List.of("a1", "a1.sinks.k1", "a1.sources.r1"), summary.added());
    }

    @Test
    void whatAnEarlierRunMadeFromAnotherFileOrAgentIsRemoved() throws IOException {
        Hashtable<String, Object> stale = new Hashtable<>(Map.of("type", "seq", "channels", "c1",
                ConfigSchema.AGENT, "old", ConfigSchema.COMPONENT, "r1", ConfigSchema.ORIGIN, "/etc/old.conf"));
        configurationAdmin.getFactoryConfiguration(ConfigSchema.SOURCE_PID, "old.r1", "?").update(stale);
        configurationAdmin.getFactoryConfiguration(ConfigSchema.AGENT_PID, "old", "?").update(new Hashtable<>(
                Map.of(ConfigSchema.AGENT, "old", ConfigSchema.ORIGIN, "/etc/old.conf")));

        ReloadSummary summary = bridge().reload();

        assertEquals(List.of("old.sources.r1", "old"), summary.removed());
        assertNull(configurationAdmin.properties("org.sluice.source~old.r1"));
        assertNull(configurationAdmin.properties("org.sluice.agent~old"));
    }

    @Test
    void anUnreadableFileKeepsTheRunningConfiguration() throws IOException {
        ConfigFileSync bridge = bridge();
        bridge.reload();
        Set<String> before = configurationAdmin.pids();
        Files.delete(file);

        ReloadSummary summary = bridge.reloadIfChanged().orElseThrow();

        assertProblems(summary.problems(), "ERROR a1");
        assertEquals(before, configurationAdmin.pids());
        assertTrue(bridge.reloadIfChanged().isEmpty(), "the same error is not reported at every poll");
    }

    @Test
    void aFileThatBreaksTheAgentStopsItAsFlumeDoes() throws IOException {
        ConfigFileSync bridge = bridge();
        bridge.reload();
        Files.writeString(file, SIMPLE.replace("a1.channels = c1\n", ""));

        ReloadSummary summary = bridge.reloadIfChanged().orElseThrow();

        assertEquals(List.of("a1.sources.r1", "a1.sinks.k1", "a1.channels.c1"), summary.removed());
        assertEquals(Set.of("org.sluice.agent~a1"), configurationAdmin.pids());
        assertTrue(summary.errorCount() > 0);
    }

    @Test
    void removingEverythingFromFilesLeavesOtherConfigurations() throws IOException {
        bridge().reload();
        configurationAdmin.getFactoryConfiguration(ConfigSchema.SINK_PID, "a1.k9", "?").update(new Hashtable<>(
                Map.of("type", "logger", "channel", "c1", ConfigSchema.AGENT, "a1", ConfigSchema.COMPONENT, "k9")));

        List<String> removed = new ConfigAdminSync(configurationAdmin).removeAllExcept(Set.of());

        assertEquals(List.of("a1.sources.r1", "a1.sinks.k1", "a1.channels.c1", "a1"), removed);
        assertEquals(Set.of("org.sluice.sink~a1.k9"), configurationAdmin.pids());
    }
}

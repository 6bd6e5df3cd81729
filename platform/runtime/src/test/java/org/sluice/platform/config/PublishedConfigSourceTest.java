package org.sluice.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.platform.config.source.AgentConfigurationSource;

/**
 * A configuration another bundle publishes (a znode) goes through the same bridge as a file: only what changed is
 * written, a source that cannot be read keeps what runs, and an agent that starts while it cannot be read runs
 * nothing (as Flume waits) unless a backup copy of the last configuration read is kept.
 */
class PublishedConfigSourceTest {

    private static final String AGENT = """
            a1.sources = r1
            a1.sinks = k1
            a1.channels = c1
            a1.sources.r1.type = netcat
            a1.sources.r1.bind = 127.0.0.1
            a1.sources.r1.port = 44444
            a1.sources.r1.channels = c1
            a1.sinks.k1.type = logger
            a1.sinks.k1.channel = c1
            a1.channels.c1.type = memory
            """;
    private static final String LOCATION = "zookeeper://127.0.0.1:2181/flume/a1";
    private static final Set<String> ALL = Set.of("org.sluice.agent~a1", "org.sluice.channel~a1.c1",
            "org.sluice.sink~a1.k1", "org.sluice.source~a1.r1");

    @TempDir
    Path backups;
    private final InMemoryConfigurationAdmin configurationAdmin = new InMemoryConfigurationAdmin();

    /** A znode as the ZooKeeper bundle presents it: its text, or why it cannot be read now. */
    private static final class FakeZnode implements AgentConfigurationSource {
        private String text;
        private byte[] raw;
        private String unreadable;

        @Override
        public String location() {
            return LOCATION;
        }

        @Override
        public byte[] read() throws IOException {
            if (unreadable != null) {
                throw new IOException(unreadable);
            }
            return raw != null ? raw : text == null ? null : text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Closeable watch(Runnable changed) {
            return () -> { };
        }
    }

    private ConfigFileSync bridge(FakeZnode znode, Path backupFile) {
        return bridge(znode, backupFile, configurationAdmin);
    }

    private static ConfigFileSync bridge(FakeZnode znode, Path backupFile, InMemoryConfigurationAdmin admin) {
        return new ConfigFileSync(new ConfigSources(List.of(new PublishedConfigSource(znode)), backupFile), "a1",
                new FlumeConfigParser(Environment.of(Map.of(), Map.of()), false), admin);
    }

    @Test
    void theZnodesTextIsAppliedAndTaggedWithItsLocation() {
        FakeZnode znode = new FakeZnode();
        znode.text = AGENT;

        ReloadSummary summary = bridge(znode, null).reload();

        assertEquals(List.of("a1", "a1.channels.c1", "a1.sinks.k1", "a1.sources.r1"), summary.added());
        assertEquals(ALL, configurationAdmin.pids());
        assertEquals(LOCATION, configurationAdmin.properties("org.sluice.source~a1.r1").get(ConfigSchema.ORIGIN));
    }

    @Test
    void bytesThatAreNotUtf8AreReadAsAFilesAreWithAWarningNamingTheZnode() {
        FakeZnode znode = new FakeZnode();
        // A comment written in Latin-1: its é is one byte that is not UTF-8.
        byte[] text = AGENT.getBytes(StandardCharsets.UTF_8);
        byte[] comment = "# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        znode.raw = java.util.Arrays.copyOf(text, text.length + comment.length);
        System.arraycopy(comment, 0, znode.raw, text.length, comment.length);

        ReloadSummary summary = bridge(znode, null).reload();

        assertEquals(ALL, configurationAdmin.pids(), "the rest of the text runs, as Flume reads it");
        assertTrue(summary.problems().stream().anyMatch(problem -> problem.message().startsWith(LOCATION
                + " is not valid UTF-8")), summary::toString);
    }

    @Test
    void aChangeRewritesOnlyTheComponentItTouches() {
        FakeZnode znode = new FakeZnode();
        znode.text = AGENT;
        ConfigFileSync bridge = bridge(znode, null);
        bridge.reload();

        znode.text = AGENT.replace("a1.sources.r1.port = 44444", "a1.sources.r1.port = 44445");
        ReloadSummary summary = bridge.reloadIfChanged().orElseThrow();

        assertEquals(List.of("a1.sources.r1"), summary.updated());
        assertEquals(1, configurationAdmin.updateCount("org.sluice.channel~a1.c1"));
        assertEquals(1, configurationAdmin.updateCount("org.sluice.sink~a1.k1"));
        assertTrue(bridge.reloadIfChanged().isEmpty(), "a signal without a change writes nothing");
    }

    @Test
    void zooKeeperOutOfReachOrTheZnodeDeletedKeepsWhatRuns() {
        FakeZnode znode = new FakeZnode();
        znode.text = AGENT;
        ConfigFileSync bridge = bridge(znode, null);
        bridge.reload();
        int updates = configurationAdmin.totalUpdates();

        znode.unreadable = "ZooKeeper 127.0.0.1:2181 cannot be reached";
        ReloadSummary unreachable = bridge.reloadIfChanged().orElseThrow();
        znode.unreadable = "znode /flume/a1 does not exist on ZooKeeper 127.0.0.1:2181";
        ReloadSummary deleted = bridge.reloadIfChanged().orElseThrow();

        assertEquals(ALL, configurationAdmin.pids());
        assertEquals(updates, configurationAdmin.totalUpdates());
        assertEquals("cannot read the configuration: ZooKeeper 127.0.0.1:2181 cannot be reached; the running "
                + "configuration is kept", unreachable.problems().get(0).message());
        assertTrue(deleted.problems().get(0).message().contains("does not exist"), deleted::toString);
        assertTrue(bridge.reloadIfChanged().isEmpty(), "the same error is reported once");

        znode.unreadable = null;
        ReloadSummary back = bridge.reloadIfChanged().orElseThrow();
        assertTrue(!back.changed() && back.problems().isEmpty(), back::toString);
    }

    @Test
    void anEmptyZnodeIsAConfigurationWithNothingInIt() {
        FakeZnode znode = new FakeZnode();
        znode.text = AGENT;
        ConfigFileSync bridge = bridge(znode, null);
        bridge.reload();

        znode.text = "";
        ReloadSummary summary = bridge.reloadIfChanged().orElseThrow();

        assertEquals(List.of("a1.sources.r1", "a1.sinks.k1", "a1.channels.c1"), summary.removed());
        assertEquals(Set.of("org.sluice.agent~a1"), configurationAdmin.pids(), "the agent stays, with nothing in it");
    }

    @Test
    void aComponentWithAnErrorIsLeftOutAndTheValidPartRuns() {
        FakeZnode znode = new FakeZnode();
        znode.text = AGENT;
        ConfigFileSync bridge = bridge(znode, null);
        bridge.reload();

        // k1 loses its channel: Flume drops that sink and runs the rest.
        znode.text = AGENT.replace("a1.sinks.k1.channel = c1\n", "");
        ReloadSummary summary = bridge.reloadIfChanged().orElseThrow();

        assertEquals(List.of("a1.sinks.k1"), summary.removed());
        assertTrue(summary.errorCount() > 0, summary::toString);
        assertNotNull(configurationAdmin.properties("org.sluice.source~a1.r1"));
        assertNull(configurationAdmin.properties("org.sluice.sink~a1.k1"));
    }

    @Test
    void startingWhileZooKeeperIsOutOfReachRunsNothingUnlessABackupIsKept() {
        FakeZnode znode = new FakeZnode();
        znode.unreadable = "ZooKeeper 127.0.0.1:2181 cannot be reached (not connected since the start)";
        ReloadSummary waiting = bridge(znode, null).reload();
        assertEquals(Set.of(), configurationAdmin.pids());
        assertTrue(waiting.problems().get(0).message().endsWith("nothing runs until it can be read"),
                waiting::toString);

        Path backup = backups.resolve(".a1.properties");
        znode.unreadable = null;
        znode.text = AGENT;
        bridge(znode, backup).reload();

        // The next start (Config Admin keeps nothing across starts), with ZooKeeper out of reach: the copy kept of
        // the last configuration read runs.
        InMemoryConfigurationAdmin afterRestart = new InMemoryConfigurationAdmin();
        znode.unreadable = "ZooKeeper 127.0.0.1:2181 cannot be reached (not connected since the start)";
        ReloadSummary fromBackup = bridge(znode, backup, afterRestart).reload();
        assertEquals(ALL, afterRestart.pids());
        assertTrue(!fromBackup.problems().stream().anyMatch(Problem::isError), fromBackup::toString);
    }
}

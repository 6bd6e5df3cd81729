package org.sluice.config.zookeeper;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.zookeeper.server.TcpProxy;
import org.sluice.zookeeper.server.ZnodeWriter;
import org.sluice.zookeeper.server.ZooKeeperProcess;

/**
 * The agent's znode read and watched against a real ZooKeeper server (a child JVM): changes are signalled, a
 * server that goes away makes reads fail with a message that says so, and a change made while the agent was cut
 * off is picked up when it reconnects, also after its session expired.
 */
class ZooKeeperConfigurationSourceTest {

    private static final Duration SIGNAL_WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path serverDirectory;
    private static ZooKeeperProcess zookeeper;
    private static ZnodeWriter znodes;
    private static int agents;

    private ZooKeeperConfigurationSource source;
    private final AtomicInteger signals = new AtomicInteger();

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zookeeper = ZooKeeperProcess.start(serverDirectory);
        znodes = zookeeper.writer();
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        znodes.close();
        zookeeper.close();
    }

    @AfterEach
    void closeSource() {
        if (source != null) {
            source.close();
        }
    }

    /** A source for a new agent name (each test its own znode) on {@code connectString}. */
    private ZooKeeperSettings settings(String connectString) {
        return new ZooKeeperSettings(connectString, "/flume", "agent" + (++agents));
    }

    private ZooKeeperConfigurationSource start(ZooKeeperSettings settings, int sessionTimeoutMillis) {
        source = new ZooKeeperConfigurationSource(settings, sessionTimeoutMillis, 3_000);
        source.watch(signals::incrementAndGet);
        source.start();
        return source;
    }

    /** The znode's text as the source reads it (the platform decodes the bytes as it decodes a file's). */
    private String text() throws IOException {
        return new String(source.read(), StandardCharsets.UTF_8);
    }

    /** Waits for a signal after {@code before} signals, then for a read that answers {@code expected}. */
    private void awaitSignalAndText(int before, String expected) {
        await().atMost(SIGNAL_WAIT).until(() -> signals.get() > before);
        await().atMost(SIGNAL_WAIT).ignoreExceptions().until(() -> text().equals(expected));
    }

    @Test
    void readsTheAgentsZnodeAndSignalsEveryChange() throws Exception {
        ZooKeeperSettings settings = settings(zookeeper.connectString());
        znodes.write(settings.agentPath(), "a1.sources = r1\n");
        start(settings, 60_000);
        await().atMost(SIGNAL_WAIT).until(() -> signals.get() > 0);
        assertEquals("a1.sources = r1\n", text());
        assertEquals("zookeeper://" + zookeeper.connectString() + "/flume/" + settings.agent(), source.location());

        for (int change = 0; change < 3; change++) {
            int before = signals.get();
            znodes.write(settings.agentPath(), "a1.sources = r" + change + "\n");
            awaitSignalAndText(before, "a1.sources = r" + change + "\n");
        }
    }

    @Test
    void anEmptyZnodeIsAnEmptyConfigurationNotAnError() throws Exception {
        ZooKeeperSettings settings = settings(zookeeper.connectString());
        znodes.write(settings.agentPath(), new byte[0]);
        start(settings, 60_000);

        assertEquals("", text());
    }

    @Test
    void aMissingZnodeIsAnErrorThatNamesItAndItsCreationIsSignalled() throws Exception {
        ZooKeeperSettings settings = settings(zookeeper.connectString());
        start(settings, 60_000);

        IOException missing = assertThrows(IOException.class, source::read);
        assertTrue(missing.getMessage().contains("znode /flume/" + settings.agent() + " does not exist"),
                missing::getMessage);

        int before = signals.get();
        znodes.write(settings.agentPath(), "created\n");
        awaitSignalAndText(before, "created\n");

        int beforeDelete = signals.get();
        znodes.delete(settings.agentPath());
        await().atMost(SIGNAL_WAIT).until(() -> signals.get() > beforeDelete);
        assertThrows(IOException.class, source::read);
    }

    @Test
    void unreachableAtTheStartReadsFailUntilZooKeeperIsThere() throws Exception {
        try (TcpProxy proxy = new TcpProxy(zookeeper.port())) {
            proxy.cut();
            ZooKeeperSettings settings = settings(proxy.address());
            znodes.write(settings.agentPath(), "waiting\n");
            start(settings, 60_000);

            IOException unreachable = assertThrows(IOException.class, source::read);
            assertEquals("ZooKeeper " + proxy.address() + " cannot be reached (not connected since the start)",
                    unreachable.getMessage());

            int before = signals.get();
            proxy.restore();
            awaitSignalAndText(before, "waiting\n");
        }
    }

    @Test
    void aServerThatStopsAndStartsAgainIsFollowedWithoutHelp() throws Exception {
        ZooKeeperSettings settings = settings(zookeeper.connectString());
        znodes.write(settings.agentPath(), "before\n");
        start(settings, 60_000);
        await().atMost(SIGNAL_WAIT).until(() -> source.connected());

        zookeeper.stop();
        try {
            await().atMost(SIGNAL_WAIT).until(() -> !source.connected());
            IOException down = assertThrows(IOException.class, source::read);
            assertEquals("ZooKeeper " + zookeeper.connectString() + " cannot be reached", down.getMessage());
        } finally {
            int beforeRestart = signals.get();
            zookeeper.start();
            znodes.close();
            znodes = zookeeper.writer();
            await().atMost(SIGNAL_WAIT).until(() -> signals.get() > beforeRestart);
        }
        int before = signals.get();
        znodes.write(settings.agentPath(), "after\n");
        awaitSignalAndText(before, "after\n");
    }

    @Test
    void aChangeMadeWhileCutOffIsReadOnReconnection() throws Exception {
        assertChangeWhileCutOffIsSeen(60_000, Duration.ofSeconds(1));
    }

    @Test
    void aChangeMadeWhileCutOffLongerThanTheSessionIsReadOnReconnection() throws Exception {
        // ZooKeeper's shortest session (two ticks, 4 s): the cut outlasts it, so the agent comes back with a new one.
        assertChangeWhileCutOffIsSeen(4_000, Duration.ofSeconds(8));
    }

    private void assertChangeWhileCutOffIsSeen(int sessionTimeoutMillis, Duration cutFor) throws Exception {
        try (TcpProxy proxy = new TcpProxy(zookeeper.port())) {
            ZooKeeperSettings settings = settings(proxy.address());
            znodes.write(settings.agentPath(), "v1\n");
            start(settings, sessionTimeoutMillis);
            await().atMost(SIGNAL_WAIT).ignoreExceptions().until(() -> text().equals("v1\n"));

            proxy.cut();
            await().atMost(SIGNAL_WAIT).until(() -> !source.connected());
            znodes.write(settings.agentPath(), "v2, written while the agent was cut off\n");
            waitFor(cutFor, () -> !source.connected());

            int before = signals.get();
            proxy.restore();
            awaitSignalAndText(before, "v2, written while the agent was cut off\n");
        }
    }

    /** Lets {@code duration} pass while checking that {@code condition} holds all along. */
    private static void waitFor(Duration duration, Callable<Boolean> condition) {
        await().during(duration).atMost(duration.plusSeconds(5)).until(condition);
    }
}

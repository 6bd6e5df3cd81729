package org.sluice.source.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.source.SourceContext;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

/** The exec source with real commands: lines, batches, refusals, restarts, and a stop that leaves nothing. */
class ExecSourceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final RecordingChannelProcessor processor = new RecordingChannelProcessor();
    private SourceContext context;
    private ExecSource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    private ExecSource start(Map<String, String> properties) throws Exception {
        context = TestContexts.source("r1", properties, processor, dir);
        source = (ExecSource) new ExecSourceFactory().create(context);
        source.start();
        return source;
    }

    private List<String> bodies() {
        List<String> bodies = new ArrayList<>();
        for (Event event : processor.accepted()) {
            bodies.add(new String(event.getBody(), StandardCharsets.UTF_8));
        }
        return bodies;
    }

    @Test
    void eachLineOfTheOutputIsAnEventAsFlumeReadsThem() throws Exception {
        start(Map.of("command", "printf a\\nb\\r\\nc\\rd\\nlast"));
        Awaitility.await().atMost(WAIT).until(() -> bodies().size() == 5);
        assertEquals(List.of("a", "b", "c", "d", "last"), bodies(),
                "\\n, \\r\\n and \\r end a line, as BufferedReader.readLine does; the rest at the end is a line");
        assertTrue(source.awaitRunnerEnd(10_000), "a command that ends ends the source's reading");
    }

    @Test
    void aShellRunsTheCommandAsItsLastArgument() throws Exception {
        start(Map.of("shell", "/bin/sh -c", "command", "for i in 1 2 3; do echo line-$i; done"));
        Awaitility.await().atMost(WAIT).until(() -> bodies().size() == 3);
        assertEquals(List.of("line-1", "line-2", "line-3"), bodies());
    }

    @Test
    void aPartBatchGoesAfterBatchTimeout() throws Exception {
        start(Map.of("shell", "/bin/sh -c", "command", "echo one; echo two; exec sleep 600", "batchSize", "100",
                "batchTimeout", "200"));
        Awaitility.await().atMost(WAIT).until(() -> bodies().size() == 2);
        assertEquals(1, TestContexts.countersOf(context).get("AppendBatchAcceptedCount"));
    }

    @Test
    void stopEndsThePipelineAndLeavesNoProcessAndNoZombie() throws Exception {
        assumeTrue(ProcessTree.groupsAvailable(), "setsid and /proc");
        Path log = dir.resolve("app.log");
        Files.writeString(log, "");
        start(Map.of("shell", "/bin/sh -c", "command", "tail -F " + log + " | cat", "batchSize", "1"));
        Files.writeString(log, "hello\n", StandardOpenOption.APPEND);
        Awaitility.await().atMost(WAIT).until(() -> bodies().contains("hello"));
        long group = source.tree().pid();
        List<Long> members = ProcessTree.groupMembers(group);
        assertTrue(members.size() >= 3, "the shell, tail and cat run in the command's group: " + members);

        source.stop();
        source = null;

        assertEquals(List.of(), describe(ProcessTree.groupMembers(group)),
                "no process of the command's group is left, running or zombie");
    }

    @Test
    void flumesStopLeftTheShellsChildrenRunningOursDoesNotEvenOutsideTheGroup() throws Exception {
        // A child that leaves the group (setsid of its own) is still a descendant of the command, and ended too.
        Path pidFile = dir.resolve("child.pid");
        start(Map.of("shell", "/bin/sh -c", "command", "setsid sleep 600 & echo $! > " + pidFile
                + "; echo started; wait"));
        Awaitility.await().atMost(WAIT).until(() -> bodies().contains("started") && Files.size(pidFile) > 0);
        long child = Long.parseLong(Files.readString(pidFile).trim());
        assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));

        source.stop();
        source = null;

        Awaitility.await().atMost(WAIT).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void aRefusedBatchIsOfferedAgainAndNothingIsLost() throws Exception {
        processor.failNext(2);
        start(Map.of("shell", "/bin/sh -c", "command", "seq 1 100", "batchSize", "10"));
        Awaitility.await().atMost(WAIT).until(() -> bodies().size() == 100);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            expected.add(Integer.toString(i));
        }
        assertEquals(expected, bodies());
        assertEquals(2, TestContexts.countersOf(context).get("ChannelWriteFail"));
        assertEquals(100, TestContexts.countersOf(context).get("EventAcceptedCount"));
    }

    @Test
    void linesReadBeforeTheStopAreDeliveredAtTheStop() throws Exception {
        start(Map.of("shell", "/bin/sh -c", "command", "seq 1 1000; exec sleep 600", "batchSize", "100000",
                "batchTimeout", "600000"));
        Awaitility.await().atMost(WAIT)
                .until(() -> TestContexts.countersOf(context).get("EventReceivedCount") == 1000);
        assertEquals(0, bodies().size(), "the batch waits for its size or its timeout");
        source.stop();
        source = null;
        assertEquals(1000, bodies().size(), "the stop delivered them");
    }

    @Test
    void restartRunsTheCommandAgainAfterTheThrottle() throws Exception {
        start(Map.of("command", "echo again", "restart", "true", "restartThrottle", "50", "batchSize", "1"));
        Awaitility.await().atMost(WAIT).until(() -> bodies().size() >= 3);
        assertTrue(bodies().stream().allMatch("again"::equals));
    }

    @Test
    void anOversizedLineIsCutAndCounted() throws Exception {
        start(Map.of("shell", "/bin/sh -c", "command", "printf '%0100000d\\nshort\\n' 0", "maxLineLength", "10"));
        Awaitility.await().atMost(WAIT).until(() -> bodies().size() == 2);
        assertEquals(List.of("0".repeat(10), "short"), bodies());
        assertEquals(1, TestContexts.countersOf(context).get(ExecSource.TRUNCATED_COUNTER));
    }

    @Test
    void theCharsetDecodesTheOutputAndEncodesTheBody() throws Exception {
        start(Map.of("shell", "/bin/sh -c", "command", "printf 'caf\\351\\n'", "charset", "ISO-8859-1"));
        Awaitility.await().atMost(WAIT).until(() -> bodies().size() == 1);
        assertEquals(List.of("caf\u00e9"), List.of(new String(processor.accepted().get(0).getBody(),
                StandardCharsets.ISO_8859_1)));
    }

    @Test
    void aCommandThatCannotRunFailsTheStartNamingTheKey() throws Exception {
        IOException e = assertThrows(IOException.class,
                () -> start(Map.of("command", dir.resolve("no-such-command").toString())));
        assertTrue(e.getMessage().contains("key 'command'"), e.getMessage());
        source = null;
    }

    @Test
    void configurationErrorsNameTheKey() {
        for (Map.Entry<String, String> bad : Map.of("batchSize", "0", "batchTimeout", "0", "charset", "no-such",
                "maxLineLength", "0", "command", " ").entrySet()) {
            Map<String, String> properties = new HashMap<>(Map.of("command", "true"));
            properties.put(bad.getKey(), bad.getValue());
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> new ExecSourceFactory()
                    .create(TestContexts.source("r1", properties, processor, dir)));
            assertTrue(e.getMessage().contains("'" + bad.getKey() + "'"), e.getMessage());
        }
    }

    @Test
    void stderrDoesNotBlockTheCommandWhenItIsNotLogged() throws Exception {
        start(Map.of("shell", "/bin/sh -c", "command", "seq 1 200000 >&2; echo done"));
        Awaitility.await().atMost(WAIT).until(() -> bodies().contains("done"));
        assertFalse(bodies().size() > 1);
    }

    private static List<String> describe(List<Long> pids) {
        List<String> described = new ArrayList<>();
        for (long pid : pids) {
            long[] stat = ProcessTree.stat(Path.of("/proc", Long.toString(pid)));
            if (stat != null) {
                described.add(pid + " state " + (char) stat[2] + " parent " + stat[0]);
            }
        }
        return described;
    }
}

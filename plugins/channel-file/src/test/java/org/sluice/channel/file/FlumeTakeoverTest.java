package org.sluice.channel.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.event.Event;
import org.sluice.api.testkit.ChannelTransactions;
import org.sluice.flumestate.FlumeJvm;
import org.sluice.flumestate.ScriptRun;
import org.sluice.support.log.FileOpener;
import org.sluice.testkit.FormatSamples;
import org.sluice.testkit.TestContexts;

/**
 * A Flume 1.11.0 file channel's backlog taken over, with directories the real Flume wrote at test time (its own file
 * channel in a child JVM, {@link ScriptRun}): puts committed, some taken, a take rolled back, transactions left
 * open, a checkpoint, more commits after it, then SIGKILL. Sluice's channel started on the same keys delivers exactly
 * the committed, untaken events, in order, with their headers; Flume's own recovery of the same directories delivers
 * the same events. The saved samples ({@link FlumeFormatSampleTest}) check the same without Flume at run time.
 */
class FlumeTakeoverTest {
    /**
     * Crosses every kind of Flume state: files rolled (small files over two directories), a checkpoint with takes
     * before it, a take rolled back, a take and a put open across a second checkpoint (inflighttakes, inflightputs),
     * commits after it (the open put among them), a put never committed, and the kill.
     */
    static final List<String> CRASH = List.of(
            "put 1 10", "put 11 20", "take 6", "checkpoint",
            "put 21 30", "put 31 40", "put 41 50", "take 2", "take-rollback 4",
            "open-take 3", "open-put 51 52", "checkpoint",
            "put 53 57", "put 58 62", "take 5", "commit-put", "open-put 63 64", "hold");

    @TempDir
    Path scratch;

    private final List<FileChannel> running = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(FileChannel::stop);
    }

    /** Flume's keys for a channel in {@code dir}, as a Flume user's file holds them; Sluice reads the same. */
    static Map<String, String> flumeKeys(Path dir) {
        Map<String, String> keys = new HashMap<>();
        keys.put("checkpointDir", dir.resolve("checkpoint").toString());
        keys.put("dataDirs", dir.resolve("data-1") + "," + dir.resolve("data-2"));
        keys.put("useDualCheckpoints", "true");
        keys.put("backupCheckpointDir", dir.resolve("backup").toString());
        keys.put("capacity", "500");
        keys.put("transactionCapacity", "100");
        keys.put("maxFileSize", "8192");
        keys.put("checkpointInterval", "3600000");
        keys.put("minimumRequiredSpace", "1048576");
        return keys;
    }

    @Test
    void theBacklogACrashedFlumeLeftIsDeliveredInOrderWithItsHeaders() throws Exception {
        Path dir = scratch.resolve("channel");
        ScriptRun flume = flume(dir, flumeKeys(dir), CRASH);
        List<String> expected = FormatSamples.describeLines(flume.expectedLines());
        assertEquals(3, flume.openTakes().size(), flume.flumeLog());

        FileChannel channel = start(flumeKeys(dir));
        assertDelivered(expected, takeAll(channel));
        channel.stop();
        running.remove(channel);

        // Flume's files are kept, moved aside unchanged; Sluice's own are in place and a restart delivers nothing more.
        assertTrue(Files.exists(dir.resolve("checkpoint/flume-original/checkpoint.meta")));
        assertTrue(Files.exists(dir.resolve("backup/flume-original/backupComplete")));
        assertFalse(list(dir.resolve("data-1/flume-original")).isEmpty());
        assertFalse(Files.exists(dir.resolve("checkpoint").resolve(FlumeTakeover.COMMIT)));
        assertFalse(Files.exists(dir.resolve("data-1").resolve(FlumeTakeover.STAGING)));
        assertEquals(List.of(), takeAll(start(flumeKeys(dir))));
    }

    @Test
    void flumesOwnRecoveryOfTheSameDirectoriesDeliversTheSameEvents() throws Exception {
        Path dir = scratch.resolve("channel");
        flume(dir, flumeKeys(dir), CRASH);
        Path copy = FormatSamples.copy(dir, scratch.resolve("copy"));
        ScriptRun oracle = flume(copy, flumeKeys(copy), List.of("drain", "stop"));

        List<String> sluice = takeAll(start(flumeKeys(dir)));
        List<String> flume = FormatSamples.describeLines(oracle.drained());
        assertDelivered(flume.stream().sorted().toList(), sluice.stream().sorted().toList());
        // Flume recovers the events of the transactions open at its checkpoint (the take of 9 to 11, the put of 51
        // and 52) in the order of a hash set; Sluice in the order they were put. Every other event is in Flume's order.
        List<String> unordered = List.of("9", "10", "11", "51", "52");
        assertEquals(numbers(flume).stream().filter(n -> !unordered.contains(n)).toList(),
                numbers(sluice).stream().filter(n -> !unordered.contains(n)).toList());
    }

    @Test
    void anImportInterruptedBeforeItsDecisionIsDoneAgainFromFlumesUntouchedFiles() throws Exception {
        Path dir = scratch.resolve("channel");
        ScriptRun flume = flume(dir, flumeKeys(dir), CRASH);
        List<String> expected = FormatSamples.describeLines(flume.expectedLines());
        List<Path> before = list(dir.resolve("data-1"));

        assertThrows(IOException.class, () -> interrupted(dir, "staged"));
        assertEquals(before, list(dir.resolve("data-1")));
        assertTrue(Files.exists(dir.resolve("checkpoint/checkpoint.meta")));

        assertDelivered(expected, takeAll(start(flumeKeys(dir))));
    }

    @Test
    void anImportInterruptedAfterItsDecisionIsFinishedByTheNextStart() throws Exception {
        Path dir = scratch.resolve("channel");
        ScriptRun flume = flume(dir, flumeKeys(dir), CRASH);
        List<String> expected = FormatSamples.describeLines(flume.expectedLines());

        assertThrows(IOException.class, () -> interrupted(dir, "decided"));
        assertTrue(Files.exists(dir.resolve("checkpoint").resolve(FlumeTakeover.COMMIT)));

        assertDelivered(expected, takeAll(start(flumeKeys(dir))));
        assertFalse(Files.exists(dir.resolve("checkpoint").resolve(FlumeTakeover.COMMIT)));
        assertTrue(Files.exists(dir.resolve("checkpoint/flume-original/checkpoint")));
    }

    /** Runs {@code script} on Flume 1.11.0's own file channel with {@code keys}, in {@code dir}. */
    static ScriptRun flume(Path dir, Map<String, String> keys, List<String> script) throws Exception {
        return ScriptRun.run(FlumeJvm.FILE_CHANNEL_SCRIPT, dir, keys, script);
    }

    /** Runs the takeover of {@code dir} alone, stopped at {@code stage} as a crash there would stop it. */
    private void interrupted(Path dir, String stage) throws IOException {
        FileChannel.Settings settings = new FileChannel.Settings(dir.resolve("checkpoint"), dir.resolve("backup"),
                List.of(dir.resolve("data-1"), dir.resolve("data-2")), 500, 100, 3_600_000, 8192, 1_048_576, true,
                0, true, 5, null);
        new FlumeTakeover("c1", settings, FileOpener.DEFAULT, directory -> Long.MAX_VALUE, at -> {
            if (at.equals(stage)) {
                throw new IOException("crash at " + at);
            }
        }).run();
    }

    private FileChannel start(Map<String, String> keys) throws Exception {
        Map<String, String> properties = new HashMap<>(keys);
        properties.put("keep-alive", "0");
        FileChannel channel = (FileChannel) new FileChannelFactory(directory -> Long.MAX_VALUE)
                .create(TestContexts.channel("c1", properties, scratch));
        channel.start();
        running.add(channel);
        return channel;
    }

    /** Compares the events' numbers first, so that a failure shows which events, then the whole events. */
    static void assertDelivered(List<String> expected, List<String> actual) {
        assertEquals(numbers(expected), numbers(actual));
        assertEquals(expected, actual);
    }

    private static List<String> numbers(List<String> described) {
        return described.stream().map(event -> event.replaceAll("(?s).*[{ ]n=(\\d+).*", "$1")).toList();
    }

    static List<String> takeAll(FileChannel channel) {
        List<String> all = new ArrayList<>();
        for (List<Event> batch; !(batch = ChannelTransactions.take(channel, 9)).isEmpty(); ) {
            all.addAll(FormatSamples.describe(batch));
        }
        return all;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}

package org.sluice.channel.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.testkit.StartedChannels;
import org.sluice.testkit.StoredBytes;
import org.sluice.testkit.TestContexts;

/** The read-only check on directories written by the channel, then damaged the ways the channel tests damage them. */
class FileChannelCheckTest {
    @TempDir
    Path data;

    private final FileChannelFactory factory = new FileChannelFactory(directory -> Long.MAX_VALUE);
    @RegisterExtension
    final StartedChannels<FileChannel> started = new StartedChannels<>(factory, FileChannel.class,
            Map.of("checkpointInterval", "600000", "checkpointOnClose", "false", "keep-alive", "0"));

    /** No timed checkpoints; one on close only if asked. */
    private FileChannel channel(Map<String, String> overrides) throws Exception {
        return started.start(data, overrides);
    }

    private void stop(FileChannel channel) {
        started.stop(channel);
    }

    private Path home() {
        return data.resolve(TestContexts.AGENT).resolve("c1");
    }

    private Directories dirs(boolean backup) {
        return new Directories(home().resolve("checkpoint"), backup ? home().resolve("backupCheckpoint") : null,
                List.of(home().resolve("data")));
    }

    private Path firstDataFile() throws IOException {
        return DataLog.list(home().resolve("data")).firstEntry().getValue();
    }

    /** Every file under the channel's home with its bytes and time, to show that the check changes nothing. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(home())) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                files.put(home().relativize(path).toString(), Files.isDirectory(path) ? "dir"
                        : Files.getLastModifiedTime(path) + " " + java.util.Arrays.hashCode(Files.readAllBytes(path)));
            }
        }
        return files;
    }

    private record Cli(int status, String out, String err) {
    }

    private static Cli cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = FileChannelCheck.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Cli cli(Directories dirs) {
        List<String> args = new ArrayList<>(List.of("--checkpointDir", dirs.checkpointDir().toString(),
                "--dataDirs", String.join(",", dirs.dataDirs().stream().map(Path::toString).toList())));
        if (dirs.backupCheckpointDir() != null) {
            args.addAll(List.of("--backupCheckpointDir", dirs.backupCheckpointDir().toString()));
        }
        return cli(args.toArray(String[]::new));
    }

    @Test
    void goodDirectoriesAreOkAndUnchanged() throws Exception {
        FileChannel channel = channel(Map.of("checkpointOnClose", "true"));
        FileChannelTest.putCommitted(channel, "a", "b", "c");
        FileChannelTest.take(channel, 1);
        stop(channel);
        Map<String, String> before = snapshot();

        FileChannelCheck.Report report = FileChannelCheck.check(dirs(false));
        assertEquals(FileChannelCheck.Status.OK, report.status(), report.text());
        assertEquals(2, report.restartEvents());
        assertTrue(report.inUse().isEmpty());
        assertSame(report.checkpoint(), report.chosen());
        assertEquals(1, report.files().size());
        Replay.FileSummary file = report.files().get(0);
        assertEquals(3, file.puts());
        assertEquals(1, file.takes());
        assertEquals(2, file.commits());
        assertEquals(Files.size(firstDataFile()), file.size());
        // The file was being written at the checkpoint on close, which covers it to its end.
        assertEquals(file.size(), file.replayedFrom(), file.toString());

        Cli cli = cli(dirs(false));
        assertEquals(FileChannelCheck.EXIT_OK, cli.status(), cli.err());
        assertTrue(cli.out().contains("Events a restart would deliver: 2"), cli.out());
        assertTrue(cli.out().contains("Result: OK"), cli.out());
        assertTrue(cli.out().contains("In use: no"), cli.out());
        assertTrue(cli.out().contains("no (the checkpoint covers it)"), cli.out());
        assertEquals(before, snapshot(), "the check changed the directories");
        assertEquals(List.of("b", "c"), FileChannelTest.takeAll(channel(Map.of())));
    }

    @Test
    void tornLastRecordIsReportedButOk() throws Exception {
        FileChannel channel = channel(Map.of());
        FileChannelTest.putCommitted(channel, "a", "b");
        FileChannelTest.putCommitted(channel, "c");
        stop(channel);
        Path file = firstDataFile();
        long length = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length - 5); // the second transaction's COMMIT record is torn
        }

        FileChannelCheck.Report report = FileChannelCheck.check(dirs(false));
        assertEquals(FileChannelCheck.Status.OK, report.status(), report.text());
        assertEquals(1, report.incompleteTails());
        assertEquals(2, report.restartEvents());
        assertTrue(report.text().contains(file + " offset "), report.text());
        assertTrue(report.text().contains("incomplete last record"), report.text());
        assertEquals(FileChannelCheck.EXIT_OK, cli(dirs(false)).status());
        assertEquals(List.of("a", "b"), FileChannelTest.takeAll(channel(Map.of())));
    }

    @Test
    void flippedBitIsDamagedWithFileAndOffset() throws Exception {
        FileChannel channel = channel(Map.of());
        FileChannelTest.putCommitted(channel, "first-event");
        FileChannelTest.putCommitted(channel, "second-event");
        FileChannelTest.putCommitted(channel, "third-event");
        stop(channel);
        Path file = firstDataFile();
        byte[] bytes = Files.readAllBytes(file);
        int at = StoredBytes.offsetOf(bytes, "second-event");
        bytes[at + 3] ^= 0x10;
        Files.write(file, bytes);
        long recordStart = recordStartBefore(bytes, at);

        FileChannelCheck.Report report = FileChannelCheck.check(dirs(false));
        assertEquals(FileChannelCheck.Status.DAMAGED, report.status(), report.text());
        assertEquals(1, report.damagedRecords());
        assertEquals(1, report.incompleteTransactions(), report.text());
        assertEquals(2, report.restartEvents());
        assertTrue(report.text().contains(file + " offset " + recordStart + ": damaged record"), report.text());
        Cli cli = cli(dirs(false));
        assertEquals(FileChannelCheck.EXIT_DAMAGED, cli.status(), cli.err());
        assertTrue(cli.out().contains("Result: DAMAGED (damaged records: 1"), cli.out());
        assertEquals(List.of("first-event", "third-event"), FileChannelTest.takeAll(channel(Map.of())));
    }

    @Test
    void damageInAPartTheCheckpointCoversIsFoundAndTheEventCountedUnreadable() throws Exception {
        FileChannel channel = channel(Map.of("checkpointOnClose", "true"));
        FileChannelTest.putCommitted(channel, "first-event", "second-event", "third-event");
        stop(channel);
        Path file = firstDataFile();
        byte[] bytes = Files.readAllBytes(file);
        bytes[StoredBytes.offsetOf(bytes, "second-event") + 1] ^= 0x01;
        Files.write(file, bytes);

        FileChannelCheck.Report report = FileChannelCheck.check(dirs(false));
        assertEquals(FileChannelCheck.Status.DAMAGED, report.status(), report.text());
        assertEquals(1, report.damagedRecords());
        assertEquals(3, report.restartEvents(), "the checkpoint still queues the damaged event");
        assertEquals(1, report.unreadableQueued());
        assertTrue(report.text().contains("Events a restart would deliver: 2 (3 queued, 1 of them unreadable)"),
                report.text());
        assertEquals(List.of("first-event", "third-event"), FileChannelTest.takeAll(channel(Map.of())));
    }

    @Test
    void damagedCheckpointFallsBackToTheBackupAsARestartWould() throws Exception {
        Map<String, String> dual = Map.of("useDualCheckpoints", "true", "checkpointOnClose", "true");
        FileChannel channel = channel(dual);
        FileChannelTest.putCommitted(channel, "a", "b", "c");
        FileChannelTest.take(channel, 1);
        stop(channel);
        Path checkpointFile = home().resolve("checkpoint").resolve(Checkpoint.FILE);
        byte[] bytes = Files.readAllBytes(checkpointFile);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(checkpointFile, bytes);

        FileChannelCheck.Report report = FileChannelCheck.check(dirs(true));
        assertEquals(FileChannelCheck.Status.DAMAGED, report.status(), report.text());
        assertFalse(report.checkpoint().usable());
        assertTrue(report.backup().usable());
        assertSame(report.backup(), report.chosen());
        assertEquals(2, report.restartEvents());
        assertTrue(report.text().contains("NOT USABLE: checkpoint " + checkpointFile), report.text());
        assertTrue(report.text().contains("A restart recovers from: the backup checkpoint"), report.text());
        assertTrue(report.text().contains("unusable checkpoints: 1"), report.text());
        assertEquals(FileChannelCheck.EXIT_DAMAGED, cli(dirs(true)).status());
        assertEquals(List.of("b", "c"), FileChannelTest.takeAll(channel(dual)));
    }

    @Test
    void zeroedCheckpointWithoutBackupMeansAFullReplay() throws Exception {
        FileChannel channel = channel(Map.of("checkpointOnClose", "true"));
        FileChannelTest.putCommitted(channel, "a", "b", "c");
        FileChannelTest.take(channel, 1);
        stop(channel);
        Path checkpointFile = home().resolve("checkpoint").resolve(Checkpoint.FILE);
        Files.write(checkpointFile, new byte[(int) Files.size(checkpointFile)]);

        FileChannelCheck.Report report = FileChannelCheck.check(dirs(false));
        assertEquals(FileChannelCheck.Status.DAMAGED, report.status(), report.text());
        assertNull(report.chosen());
        assertEquals(2, report.restartEvents());
        assertTrue(report.text().contains("A restart recovers from: a full replay"), report.text());
        assertEquals(List.of("b", "c"), FileChannelTest.takeAll(channel(Map.of())));
    }

    @Test
    void eventsInAMissingDataFileAreCountedAsLost() throws Exception {
        FileChannel channel = channel(Map.of("maxFileSize", "2048"));
        for (int i = 0; i < 40; i++) {
            FileChannelTest.putCommitted(channel, "event-" + i + "-" + "x".repeat(100));
        }
        channel.checkpoint();
        stop(channel);
        Path first = firstDataFile();
        int inFirst = FileChannelCheck.check(dirs(false)).files().get(0).puts();
        Files.delete(first);

        FileChannelCheck.Report report = FileChannelCheck.check(dirs(false));
        assertEquals(FileChannelCheck.Status.DAMAGED, report.status(), report.text());
        assertEquals(inFirst, report.droppedPointers());
        assertEquals(40 - inFirst, report.restartEvents());
        assertTrue(report.text().contains("Events lost to missing data files: " + inFirst), report.text());
    }

    @Test
    void aRunningChannelIsReadNotDisturbed() throws Exception {
        FileChannel channel = channel(Map.of());
        FileChannelTest.putCommitted(channel, "a", "b");

        FileChannelCheck.Report report = FileChannelCheck.check(dirs(false));
        assertEquals(FileChannelCheck.Status.OK, report.status(), report.text());
        assertEquals(List.of(home().resolve("checkpoint"), home().resolve("data")), report.inUse());
        assertEquals(2, report.restartEvents());
        assertTrue(report.text().contains("may be stale"), report.text());
        // The probe released its lock: the channel goes on, and another channel still cannot take the directories.
        FileChannelTest.putCommitted(channel, "c");
        assertEquals(List.of("a", "b", "c"), FileChannelTest.takeAll(channel));
    }

    @Test
    void directoriesComeFromAPropertiesFileWithTheChannelsDefaults() throws Exception {
        FileChannel channel = channel(Map.of("useDualCheckpoints", "true", "checkpointOnClose", "true"));
        FileChannelTest.putCommitted(channel, "a");
        stop(channel);
        Path conf = data.resolve("flume.properties");
        Files.writeString(conf, String.join("\n",
                TestContexts.AGENT + ".channels = c1 m1",
                TestContexts.AGENT + ".channels.c1.type = file",
                TestContexts.AGENT + ".channels.c1.useDualCheckpoints = true",
                TestContexts.AGENT + ".channels.m1.type = memory", ""));

        Directories dirs = FileChannelCheck.parse(new String[] {"-f", conf.toString(), "-n", TestContexts.AGENT,
            "--channel", "c1", "--data", data.toString()});
        assertEquals(dirs(true), dirs);
        Cli ok = cli("-f", conf.toString(), "-n", TestContexts.AGENT, "--channel", "c1", "--data=" + data);
        assertEquals(FileChannelCheck.EXIT_OK, ok.status(), ok.err());
        assertTrue(ok.out().contains("Backup checkpoint " + home().resolve("backupCheckpoint")), ok.out());

        Cli memory = cli("-f", conf.toString(), "-n", TestContexts.AGENT, "--channel", "m1");
        assertEquals(FileChannelCheck.EXIT_USAGE, memory.status());
        assertTrue(memory.err().contains("is of type memory, not a file channel"), memory.err());
        Cli unknown = cli("-f", conf.toString(), "-n", TestContexts.AGENT, "--channel", "c9");
        assertEquals(FileChannelCheck.EXIT_USAGE, unknown.status());
    }

    @Test
    void wrongCommandLinesExitWithTwo() {
        assertEquals(FileChannelCheck.EXIT_USAGE, cli().status());
        assertEquals(FileChannelCheck.EXIT_USAGE, cli("--checkpointDir", "/x").status());
        assertEquals(FileChannelCheck.EXIT_USAGE, cli("--bogus", "1").status());
        assertEquals(FileChannelCheck.EXIT_USAGE, cli("--checkpointDir", "/x", "--dataDirs", "/y", "-n", "a1").status());
        Cli missing = cli("--checkpointDir", data.resolve("nope").toString(), "--dataDirs", data.toString());
        assertEquals(FileChannelCheck.EXIT_USAGE, missing.status());
        assertTrue(missing.err().contains("no such directory: " + data.resolve("nope")), missing.err());
        Cli help = cli("--help");
        assertEquals(FileChannelCheck.EXIT_OK, help.status());
        assertTrue(help.out().startsWith("Usage: sluice check-file-channel"), help.out());
    }

    @Test
    void shellCommandChecksAConfiguredChannelByName() throws Exception {
        FileChannel channel = channel(Map.of());
        FileChannelTest.putCommitted(channel, "a");
        FileChannelCommand command = new FileChannelCommand(factory);

        String listing = command.filechannel();
        assertTrue(listing.contains(TestContexts.AGENT + " c1  checkpointDir " + home().resolve("checkpoint")),
                listing);
        String byName = command.filechannel(TestContexts.AGENT, "c1");
        assertTrue(byName.contains("Result: OK"), byName);
        assertTrue(byName.contains("In use: yes"), byName);
        String byDirs = command.filechannel(home().resolve("checkpoint").toString(),
                home().resolve("data").toString());
        assertTrue(byDirs.contains("Events a restart would deliver: 1"), byDirs);
        String unknown = command.filechannel(TestContexts.AGENT, "c9");
        assertTrue(unknown.startsWith("No file channel c9 of agent " + TestContexts.AGENT), unknown);
        assertNotNull(command.filechannel(data.resolve("nope").toString(), data.toString()));
    }

    /** The offset of the record magic nearest before {@code at}. */
    private static long recordStartBefore(byte[] bytes, int at) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
        for (int p = at - 4; p >= 0; p--) {
            if (buffer.getInt(p) == Records.RECORD_MAGIC) {
                return p;
            }
        }
        throw new AssertionError("no record before " + at);
    }
}

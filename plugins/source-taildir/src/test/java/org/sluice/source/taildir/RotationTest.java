package org.sluice.source.taildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log rotation as logrotate does it, with a file group whose pattern also matches the rotated names (the User
 * Guide's {@code .*log.*} style, where Flume reads every rotated file again) and one that matches the live name
 * only (where Flume reads a renamed file's tail only after idleTimeout, and loses what copytruncate took away):
 * every line arrives exactly once. Lines are written between looks so that some are unread at each rotation.
 */
class RotationTest {

    private static final String LIVE_AND_ROTATED = "app\\.log.*";
    private static final String LIVE_ONLY = "app\\.log";

    @TempDir
    Path dir;

    @Test
    void renameAndCreateWithRotatedNamesInTheGroup() throws Exception {
        renameAndCreate(LIVE_AND_ROTATED);
    }

    @Test
    void renameAndCreateWithTheLiveNameOnly() throws Exception {
        renameAndCreate(LIVE_ONLY);
    }

    private void renameAndCreate(String pattern) throws Exception {
        try (TaildirFixture tail = fixture(pattern)) {
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.appendLines(log, "line", 0, 100);
            tail.look();
            TaildirFixture.appendLines(log, "line", 100, 150); // unread at the rename
            Files.move(log, tail.logs.resolve("app.log.1"));
            TaildirFixture.appendLines(tail.logs.resolve("app.log.1"), "line", 150, 160); // the writer before reopening
            TaildirFixture.appendLines(log, "line", 160, 200);
            tail.look();
            TaildirFixture.appendLines(log, "line", 200, 250);
            Files.move(tail.logs.resolve("app.log.1"), tail.logs.resolve("app.log.2"));
            Files.move(log, tail.logs.resolve("app.log.1"));
            TaildirFixture.appendLines(log, "line", 250, 300);
            tail.look();
            assertExactlyOnce(tail, 300);
            tail.stop();
            assertEquals(List.of(new PositionFile.Entry(TaildirSourceTest.inode(log), Files.size(log),
                            log.toString())),
                    entriesOf(tail, log), "the live file's position is saved under its name");
        }
    }

    @Test
    void copytruncateWithTheCopyInTheGroup() throws Exception {
        copytruncate(LIVE_AND_ROTATED);
    }

    @Test
    void copytruncateWithTheLiveNameOnly() throws Exception {
        copytruncate(LIVE_ONLY);
    }

    private void copytruncate(String pattern) throws Exception {
        try (TaildirFixture tail = fixture(pattern)) {
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.appendLines(log, "line", 0, 100);
            tail.look();
            TaildirFixture.appendLines(log, "line", 100, 150); // unread when the copy is made
            Files.copy(log, tail.logs.resolve("app.log.1"));
            tail.source.pass(); // the source may see the copy before the truncation
            truncate(log);
            TaildirFixture.appendLines(log, "line", 150, 200);
            tail.look();
            TaildirFixture.appendLines(log, "line", 200, 260);
            Files.move(tail.logs.resolve("app.log.1"), tail.logs.resolve("app.log.2"));
            Files.copy(log, tail.logs.resolve("app.log.1"));
            truncate(log); // this time the source sees copy and truncation in one look
            TaildirFixture.appendLines(log, "line", 260, 300);
            tail.look();
            assertExactlyOnce(tail, 300);
        }
    }

    @Test
    void copytruncateWrittenAgainToTheSameSizeBetweenTwoLooks() throws Exception {
        // A slow agent: the copy is made, the file truncated and written again to the very size the source had read
        // it to, all between two looks. Only the modification time and the first bytes tell.
        try (TaildirFixture tail = fixture(LIVE_AND_ROTATED)) {
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.appendLines(log, "line", 1000, 1100);
            tail.look();
            Files.copy(log, tail.logs.resolve("app.log.1"));
            truncate(log);
            TaildirFixture.appendLines(log, "line", 1100, 1200);
            assertEquals(Files.size(tail.logs.resolve("app.log.1")), Files.size(log), "the same size again");
            tail.look();
            assertExactlyOnce(tail, 1000, 1200);
        }
    }

    @Test
    void copytruncateWrittenAgainToTheSameSizeAndTimeBetweenTwoLooks() throws Exception {
        sameSizeAndTime(LIVE_AND_ROTATED);
    }

    @Test
    void copytruncateWrittenAgainToTheSameSizeAndTimeWithTheLiveNameOnly() throws Exception {
        sameSizeAndTime(LIVE_ONLY);
    }

    private void sameSizeAndTime(String pattern) throws Exception {
        // As above, on a file system whose clock did not tick between the last look and the new lines: size and
        // modification time are the ones the source saw, so only the first bytes tell that the file was truncated.
        try (TaildirFixture tail = fixture(pattern)) {
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.appendLines(log, "line", 1000, 1100);
            tail.look();
            java.nio.file.attribute.FileTime seen = Files.getLastModifiedTime(log);
            Files.copy(log, tail.logs.resolve("app.log.1"));
            truncate(log);
            TaildirFixture.appendLines(log, "line", 1100, 1200);
            Files.setLastModifiedTime(log, seen);
            tail.lookUntil(() -> tail.bodies().size() >= 200);
            tail.look();
            assertExactlyOnce(tail, 1000, 1200);
        }
    }

    @Test
    void compressionOfTheRotatedFileWithTheCompressedNameInTheGroup() throws Exception {
        try (TaildirFixture tail = fixture(".*log.*")) {
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.appendLines(log, "line", 0, 100);
            tail.look();
            TaildirFixture.appendLines(log, "line", 100, 150);
            Path rotated = tail.logs.resolve("app.log.1");
            Files.move(log, rotated);
            TaildirFixture.appendLines(log, "line", 150, 200);
            gzip(rotated); // logrotate's compress without delaycompress: app.log.1.gz, app.log.1 removed
            tail.look();
            TaildirFixture.appendLines(log, "line", 200, 250);
            tail.look();
            assertExactlyOnce(tail, 250);
            assertFalse(tail.source.committedPositions().containsKey(tail.logs.resolve("app.log.1.gz")),
                    "the compressed file is not tailed");
        }
    }

    @Test
    void aCompressedFilesInodeTakenByANewFileIsReadAsANewFile() throws Exception {
        try (TaildirFixture tail = fixture(".*log.*")) {
            Path file = tail.logs.resolve("app.log.1");
            TaildirFixture.appendLines(file, "line", 0, 50);
            gzip(file);
            Path compressed = tail.logs.resolve("app.log.1.gz");
            tail.look();
            assertEquals(java.util.List.of(), tail.bodies(), "the compressed file is not read");
            // The same inode with new content, as when the compressed file is deleted and a new log gets its inode.
            try (FileChannel channel = FileChannel.open(compressed, StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
            TaildirFixture.appendLines(compressed, "line", 0, 20);
            tail.look();
            assertExactlyOnce(tail, 20);
        }
    }

    @Test
    void copytruncateThenCompressionOfTheCopy() throws Exception {
        try (TaildirFixture tail = fixture(".*log.*")) {
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.appendLines(log, "line", 0, 100);
            tail.look();
            TaildirFixture.appendLines(log, "line", 100, 150);
            Path copy = tail.logs.resolve("app.log.1");
            Files.copy(log, copy);
            truncate(log);
            tail.source.pass(); // the copy is found with the truncation, and opened
            gzip(copy);
            TaildirFixture.appendLines(log, "line", 150, 200);
            tail.look();
            assertExactlyOnce(tail, 200);
        }
    }

    @Test
    void aDeletedFileIsReadToItsEndAndForgotten() throws Exception {
        try (TaildirFixture tail = fixture(LIVE_AND_ROTATED)) {
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.appendLines(log, "line", 0, 100);
            tail.look();
            TaildirFixture.append(log, "line-100\nline-101 without its newline");
            Files.delete(log);
            tail.lookUntil(() -> tail.bodies().size() == 102);
            assertEquals(TaildirFixture.lines("line", 0, 101), tail.bodies().subList(0, 101));
            assertEquals("line-101 without its newline", tail.bodies().get(101),
                    "a file that left its names and stopped growing ends with its last bytes");
            assertEquals(Map.of(), tail.source.committedPositions());
            tail.stop();
            assertEquals(List.of(), new PositionFile(tail.positionFile).read());
        }
    }

    private TaildirFixture fixture(String pattern) throws Exception {
        // A short idleTimeout: a file that left the group's names is finished soon after it stops growing.
        return new TaildirFixture(dir).set("filegroups.f1", dir.resolve("logs").resolve(pattern).toString())
                .set("idleTimeout", "1000").set("batchSize", "7").open();
    }

    private static void truncate(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
    }

    private static void gzip(Path file) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file.resolveSibling(file.getFileName()
                + ".gz")))) {
            Files.copy(file, out);
        }
        Files.delete(file);
    }

    private static List<PositionFile.Entry> entriesOf(TaildirFixture tail, Path live) throws IOException {
        return new PositionFile(tail.positionFile).read().stream()
                .filter(entry -> entry.file().equals(live.toString())).toList();
    }

    /** Lines line-0 .. line-(n-1), each exactly once, once the source has them all (or a minute passed). */
    static void assertExactlyOnce(TaildirFixture tail, int n) {
        assertExactlyOnce(tail, 0, n);
    }

    /** Every line {@code line-from} to {@code line-(to - 1)} delivered once, and nothing else. */
    static void assertExactlyOnce(TaildirFixture tail, int from, int to) {
        int n = to - from;
        try {
            tail.lookUntil(() -> tail.bodies().size() >= n);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported below, with what is missing
        }
        Map<String, Integer> counts = tail.counts();
        List<String> missing = new java.util.ArrayList<>();
        List<String> duplicated = new java.util.ArrayList<>();
        for (String line : TaildirFixture.lines("line", from, to)) {
            int count = counts.getOrDefault(line, 0);
            if (count == 0) {
                missing.add(line);
            } else if (count > 1) {
                duplicated.add(line + " x" + count);
            }
        }
        assertEquals("", (missing.isEmpty() ? "" : "missing " + missing) + (duplicated.isEmpty() ? ""
                : " duplicated " + duplicated), "every line exactly once");
        assertEquals(n, tail.bodies().size(), "nothing else: " + tail.bodies());
    }
}

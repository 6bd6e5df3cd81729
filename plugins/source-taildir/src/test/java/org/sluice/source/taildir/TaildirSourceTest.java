package org.sluice.source.taildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.event.Event;

/** The taildir source on real files: lines, headers, positions, refused batches, restarts. */
class TaildirSourceTest {

    @TempDir
    Path dir;

    @Test
    void eachCompleteLineIsAnEventAndALineWaitsForItsNewline() throws Exception {
        try (TaildirFixture tail = new TaildirFixture(dir).open()) {
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.append(log, "first\nsecond\r\nthird\rstill third\nfourth, cut");
            tail.look();
            assertEquals(List.of("first", "second", "third\rstill third"), tail.bodies(),
                    "a \\r before the newline is not part of the line; a lone \\r is (Flume's rule)");

            TaildirFixture.append(log, " here\n");
            tail.look();
            assertEquals("fourth, cut here", tail.bodies().get(3), "the cut line waited for its newline");
            assertEquals(4, tail.bodies().size());
        }
    }

    @Test
    void flumesHeadersFromTheGroupThePathAndTheOffset() throws Exception {
        try (TaildirFixture tail = new TaildirFixture(dir).set("headers.f1.headerKey1", "value1")
                .set("headers.f1.dc", "east").set("fileHeader", "true").set("byteOffsetHeader", "true").open()) {
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.append(log, "one\ntwo\n");
            tail.look();
            List<Event> events = tail.processor.accepted();
            assertEquals(Map.of("headerKey1", "value1", "dc", "east", "file", log.toString(), "byteoffset", "0"),
                    events.get(0).getHeaders());
            assertEquals("4", events.get(1).getHeaders().get("byteoffset"));
        }
    }

    @Test
    void linesOfManyChunksArriveWhole() throws Exception {
        // Some 20 read chunks of lines of every length up to 1,000 bytes, many across a chunk's end: every chunk is
        // read into the same read buffer, so a body that was not a copy of its line would show the later bytes.
        List<String> expected = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        while (text.length() < 20 * TaildirSource.CHUNK_BYTES) {
            String line = expected.size() + ":" + "abcdefghij".repeat(100).substring(0, random.nextInt(1000));
            expected.add(line);
            text.append(line).append('\n');
        }
        try (TaildirFixture tail = new TaildirFixture(dir).set("batchSize", "1000").open()) {
            TaildirFixture.append(tail.logs.resolve("app.log"), text.toString());
            tail.look();
            List<String> bodies = tail.bodies();
            assertEquals(expected.size(), bodies.size());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i), bodies.get(i), "line " + i);
            }
        }
    }

    @Test
    void anEventWithoutConfiguredHeadersHasAMapOfItsOwnToAddTo() throws Exception {
        try (TaildirFixture tail = new TaildirFixture(dir).open()) {
            TaildirFixture.append(tail.logs.resolve("app.log"), "one\ntwo\n");
            tail.look();
            List<Event> events = tail.processor.accepted();
            events.get(0).getHeaders().put("added", "by an interceptor");
            assertEquals(Map.of("added", "by an interceptor"), events.get(0).getHeaders());
            assertEquals(Map.of(), events.get(1).getHeaders());
        }
    }

    @Test
    void positionsAreFlumesJsonAndOnlyCommittedLinesCount() throws Exception {
        Path log;
        try (TaildirFixture tail = new TaildirFixture(dir).open()) {
            log = tail.logs.resolve("app.log");
            TaildirFixture.appendLines(log, "line", 0, 10);
            tail.processor.failNext(1);
            tail.look(); // the first batch is refused: nothing is committed
            assertEquals(List.of(), tail.bodies());
            assertEquals(1, tail.counters().get("ChannelWriteFail"));
            tail.stop();
            List<PositionFile.Entry> saved = new PositionFile(tail.positionFile).read();
            assertEquals(List.of(new PositionFile.Entry(inode(log), 0, log.toString())), saved);
            String json = Files.readString(tail.positionFile);
            assertEquals("[{\"inode\":" + inode(log) + ",\"pos\":0,\"file\":\"" + log + "\"}]", json,
                    "Flume's members, in Flume's order");
        }
        try (TaildirFixture tail = new TaildirFixture(dir).open()) {
            tail.look();
            assertEquals(TaildirFixture.lines("line", 0, 10), tail.bodies(), "read again after the refusal");
            tail.stop();
            assertEquals(List.of(new PositionFile.Entry(inode(log), Files.size(log), log.toString())),
                    new PositionFile(tail.positionFile).read());
        }
    }

    @Test
    void aRefusedBatchIsReadAgainWithoutLossOrDuplicate() throws Exception {
        try (TaildirFixture tail = new TaildirFixture(dir).set("batchSize", "3").open()) {
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.appendLines(log, "line", 0, 10);
            tail.source.pass(); // 3 batches of 3 and one of 1
            tail.processor.failNext(2);
            TaildirFixture.appendLines(log, "line", 10, 20);
            tail.look(); // refused
            tail.look(); // refused again
            tail.look();
            assertEquals(2, tail.counters().get("ChannelWriteFail"));
            assertEquals(TaildirFixture.lines("line", 0, 20), tail.bodies());
        }
    }

    @Test
    void aRestartContinuesAtTheSavedPosition() throws Exception {
        Path log = readAndStopped("before", 5);
        TaildirFixture.appendLines(log, "while-down", 0, 5);
        assertAnotherSourceReads(TaildirFixture.lines("while-down", 0, 5));
    }

    @Test
    void skipToEndStartsNewFilesAtTheirEndButKeepsSavedPositions() throws Exception {
        Path known = dir.resolve("logs/app.log");
        Files.createDirectories(known.getParent());
        TaildirFixture.appendLines(known, "known", 0, 4);
        savePosition(known, "known-0\n".length(), known.toString());
        Path other = dir.resolve("logs/app.log.other");
        TaildirFixture.appendLines(other, "old", 0, 3);
        try (TaildirFixture tail = new TaildirFixture(dir).set("skipToEnd", "true").open()) {
            tail.look();
            assertEquals(TaildirFixture.lines("known", 1, 4), tail.bodies());
            TaildirFixture.appendLines(other, "new", 0, 2);
            tail.look();
            assertEquals(TaildirFixture.lines("new", 0, 2), tail.bodies().subList(3, 5));
        }
    }

    @Test
    void aFileRotatedWhileTheAgentWasDownContinuesAtItsPosition() throws Exception {
        Path log = readAndStopped("line", 10);
        Path rotated = log.resolveSibling("app.log.1");
        Files.move(log, rotated);
        TaildirFixture.appendLines(rotated, "line", 10, 15);
        TaildirFixture.appendLines(log, "new", 0, 3);
        try (TaildirFixture tail = new TaildirFixture(dir).open()) {
            tail.look();
            List<String> expected = new ArrayList<>(TaildirFixture.lines("line", 10, 15));
            expected.addAll(TaildirFixture.lines("new", 0, 3));
            assertEquals(expected.stream().sorted().toList(), tail.bodies().stream().sorted().toList(),
                    "the renamed file is known by its first bytes (the .heads file beside the position file)");
        }
    }

    @Test
    void aFileWhoseFirstBytesAreNotTheSavedOnesIsANewFile() throws Exception {
        Path log = readAndStopped("line", 10);
        // The same inode and path, other content: as a file deleted and made again that got the freed inode.
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        TaildirFixture.appendLines(log, "other-file-with-longer-lines", 0, 10);
        assertAnotherSourceReads(TaildirFixture.lines("other-file-with-longer-lines", 0, 10));
    }

    @Test
    void aSavedPositionOfAnotherPathIsNotUsedAsFlumeDoes() throws Exception {
        Path log = dir.resolve("logs/app.log");
        Files.createDirectories(log.getParent());
        TaildirFixture.appendLines(log, "line", 0, 4);
        savePosition(log, 7, dir.resolve("logs/other.log").toString());
        assertAnotherSourceReads(TaildirFixture.lines("line", 0, 4));
    }

    @Test
    void aDamagedPositionFileStopsTheStartNamingTheKey() throws Exception {
        Path positions = dir.resolve("positions/taildir_position.json");
        Files.createDirectories(positions.getParent());
        Files.writeString(positions, "[{\"inode\":1,\"pos\":");
        TaildirFixture tail = new TaildirFixture(dir);
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, tail::open);
        assertTrue(e.getMessage().contains("key 'positionFile'"), e.getMessage());
        assertTrue(e.getMessage().contains(positions.toString()), e.getMessage());
    }

    @Test
    void anEmptyPositionFileMeansNoPositionsAsFlumeWritesIt() throws Exception {
        Path positions = dir.resolve("positions/taildir_position.json");
        Files.createDirectories(positions.getParent());
        Files.writeString(positions, "");
        try (TaildirFixture tail = new TaildirFixture(dir).open()) {
            TaildirFixture.appendLines(tail.logs.resolve("app.log"), "line", 0, 2);
            tail.look();
            assertEquals(TaildirFixture.lines("line", 0, 2), tail.bodies());
        }
    }

    @Test
    void aMissingDirectoryFailsTheStartNamingTheGroup() throws Exception {
        TaildirFixture tail = new TaildirFixture(dir).set("filegroups.f1", dir.resolve("nowhere/a.log").toString());
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, tail::open);
        assertTrue(e.getMessage().contains("key 'filegroups.f1'"), e.getMessage());
    }

    @Test
    void aLineLongerThanMaxLineLengthIsCutAndCounted() throws Exception {
        try (TaildirFixture tail = new TaildirFixture(dir).set("maxLineLength", "8").open()) {
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.append(log, "short\n" + "x".repeat(100_000) + "\nafter\n");
            tail.look();
            assertEquals(List.of("short", "xxxxxxxx", "after"), tail.bodies());
            assertEquals(1, tail.counters().get(TaildirSource.TRUNCATED_COUNTER));
            tail.stop();
            assertEquals(Files.size(log), new PositionFile(tail.positionFile).read().get(0).pos());
        }
    }

    @Test
    void maxBatchCountLetsTheNextFileHaveItsTurn() throws Exception {
        try (TaildirFixture tail = twoFilesOfSixLinesPassedOnce("1")) {
            assertEquals(4, tail.bodies().size(), "one batch of each file per look");
            tail.look();
            assertEquals(12, tail.bodies().size());
        }
    }

    @Test
    void aMaxBatchCountBelowOneIsFlumesDefaultNoLimit() throws Exception {
        try (TaildirFixture tail = twoFilesOfSixLinesPassedOnce("0")) {
            assertEquals(12, tail.bodies().size(), "every batch of each file in one look, as without the key");
        }
    }

    /** A source with batchSize 2 and this maxBatchCount, after one pass over two files of six lines. */
    private TaildirFixture twoFilesOfSixLinesPassedOnce(String maxBatchCount) throws Exception {
        TaildirFixture tail = new TaildirFixture(dir).set("batchSize", "2").set("maxBatchCount", maxBatchCount).open();
        TaildirFixture.appendLines(tail.logs.resolve("app.log.a"), "a", 0, 6);
        TaildirFixture.appendLines(tail.logs.resolve("app.log.b"), "b", 0, 6);
        tail.source.pass();
        return tail;
    }

    @Test
    void regexMatchesWholeFileNamesOnly() throws Exception {
        try (TaildirFixture tail = new TaildirFixture(dir).set("filegroups.f1", dir.resolve("logs/app\\.log")
                .toString()).open()) {
            TaildirFixture.appendLines(tail.logs.resolve("app.log"), "in", 0, 2);
            TaildirFixture.appendLines(tail.logs.resolve("app.log.1"), "out", 0, 2);
            TaildirFixture.appendLines(tail.logs.resolve("my-app.log"), "out", 0, 2);
            tail.look();
            assertEquals(TaildirFixture.lines("in", 0, 2), tail.bodies());
        }
    }

    @Test
    void aTruncatedFileIsReadFromItsStart() throws Exception {
        try (TaildirFixture tail = new TaildirFixture(dir).open()) {
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.appendLines(log, "long-enough-line-before-the-truncation", 0, 5);
            tail.look();
            try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
            TaildirFixture.appendLines(log, "after", 0, 3);
            tail.look();
            List<String> expected = new ArrayList<>(TaildirFixture.lines("long-enough-line-before-the-truncation", 0,
                    5));
            expected.addAll(TaildirFixture.lines("after", 0, 3));
            assertEquals(expected, tail.bodies());
        }
    }

    @Test
    void aFileTruncatedAndRegrownPastTheOffsetIsToldByItsFirstBytes() throws Exception {
        try (TaildirFixture tail = new TaildirFixture(dir).open()) {
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.appendLines(log, "old", 0, 3);
            tail.look();
            try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
            TaildirFixture.appendLines(log, "new-and-longer", 0, 10);
            tail.look();
            List<String> expected = new ArrayList<>(TaildirFixture.lines("old", 0, 3));
            expected.addAll(TaildirFixture.lines("new-and-longer", 0, 10));
            assertEquals(expected, tail.bodies());
        }
    }

    @Test
    void aLineAppendedIsReadAtOnceNotAfterTheBackoff() throws Exception {
        TaildirFixture tail = new TaildirFixture(dir).set("backoffSleepIncrement", "60000")
                .set("maxBackoffSleep", "60000");
        tail.context = org.sluice.testkit.TestContexts.source("r1", tail.properties, tail.processor,
                dir.resolve("data"));
        TaildirSource source = (TaildirSource) new TaildirSourceFactory().create(tail.context);
        source.start();
        try {
            // Without an inotify instance (the user's limit, fs.inotify.max_user_instances, reached by other
            // processes) the source polls, as it says in its log: then there is nothing to wake it early.
            org.junit.jupiter.api.Assumptions.assumeTrue(source.notified(),
                    "no file system notifications on this machine now");
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.appendLines(log, "first", 0, 1);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> tail.bodies().size() == 1);
            // The source now waits a backoff of 60 s; only the file system's notification can wake it earlier.
            TaildirFixture.appendLines(log, "second", 0, 1);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> tail.bodies().size() == 2);
        } finally {
            source.stop();
        }
        assertEquals(List.of("first-0", "second-0"), tail.bodies());
        assertTrue(Files.readString(tail.positionFile).contains("\"pos\":" + ("first-0\nsecond-0\n".length())));
    }

    @Test
    void stopEndsTheThreadAndWritesPositions() throws Exception {
        TaildirFixture tail = new TaildirFixture(dir);
        tail.context = org.sluice.testkit.TestContexts.source("r1", tail.properties, tail.processor,
                dir.resolve("data"));
        TaildirSource source = (TaildirSource) new TaildirSourceFactory().create(tail.context);
        Path log = tail.logs.resolve("app.log");
        TaildirFixture.appendLines(log, "line", 0, 100);
        source.start();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> tail.bodies().size() == 100);
        source.stop();
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("sluice-test-source-r1")), "the source's thread ended");
        assertEquals(Files.size(log), new PositionFile(tail.positionFile).read().get(0).pos());
    }

    /**
     * Runs a source over logs/app.log holding lines {@code prefix}-0 to -{@code count - 1} until it has read and
     * committed them, then stops it: the position file says so. Returns the log.
     */
    private Path readAndStopped(String prefix, int count) throws Exception {
        try (TaildirFixture tail = new TaildirFixture(dir).open()) {
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.appendLines(log, prefix, 0, count);
            tail.look();
            tail.stop();
            return log;
        }
    }

    /** Starts a new source on the same directories (a restarted agent) and checks what it reads. */
    private void assertAnotherSourceReads(List<String> expected) throws Exception {
        try (TaildirFixture tail = new TaildirFixture(dir).open()) {
            tail.look();
            assertEquals(expected, tail.bodies());
        }
    }

    /** A position file as a previous run left it: {@code file}'s inode read up to {@code pos}, under {@code path}. */
    private void savePosition(Path file, long pos, String path) throws IOException {
        new PositionFile(dir.resolve("positions/taildir_position.json"))
                .write(List.of(new PositionFile.Entry(inode(file), pos, path)));
    }

    static long inode(Path file) throws IOException {
        return FileId.stat(file).id().inode();
    }

    static String text(Event event) {
        return new String(event.getBody(), StandardCharsets.UTF_8);
    }
}

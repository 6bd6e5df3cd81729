package org.sluice.source.spooldir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.api.source.SourceContext;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.source.spooldir.SpoolDirectorySource.Step;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

class SpoolDirectorySourceTest {
    @TempDir
    Path temp;

    private Path spool;
    private RecordingChannelProcessor processor;
    /** What the sources made by source() hand their batches to: the recording processor unless a test says. */
    private ChannelProcessor target;
    private SourceContext context;

    @BeforeEach
    void setUp() throws IOException {
        spool = Files.createDirectory(temp.resolve("spool"));
        processor = new RecordingChannelProcessor();
        target = processor;
    }

    private SpoolDirectorySource source(String... keyValues) throws Exception {
        Map<String, String> properties = new HashMap<>();
        properties.put("spoolDir", spool.toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        context = TestContexts.source("r1", properties, target, temp.resolve("data"));
        SpoolDirectorySource source = (SpoolDirectorySource) new SpoolDirectorySourceFactory().create(context);
        source.open();
        return source;
    }

    /** Steps until the source has nothing to do (or backs off), at most 1000 times. */
    private static void drain(SpoolDirectorySource source) throws IOException {
        for (int i = 0; i < 1000; i++) {
            Step step = source.step();
            if (step != Step.WORKED) {
                return;
            }
        }
        throw new AssertionError("the source never ran out of work");
    }

    /** As users must: written under a hidden name, then renamed into place complete. */
    private Path drop(String name, String content) throws IOException {
        Path hidden = spool.resolve("." + name + ".part");
        Files.writeString(hidden, content, StandardCharsets.UTF_8);
        return Files.move(hidden, spool.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Path write(String name, String content) throws IOException {
        Path file = spool.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static String lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
    }

    private static List<String> numbered(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "line " + i).collect(Collectors.toList());
    }

    private List<String> bodies() {
        return processor.accepted().stream().map(e -> new String(e.getBody(), StandardCharsets.UTF_8))
                .collect(Collectors.toList());
    }

    private ComponentCounters counters() {
        return TestContexts.countersOf(context);
    }

    private List<String> spoolListing() throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted()
                    .collect(Collectors.toList());
        }
    }

    // ------------------------------------------------------------ reading and finishing

    @Test
    void readsLinesInBatchesAndRenamesOnlyAfterTheLastCommit() throws Exception {
        write("a.log", lines(0, 5));
        SpoolDirectorySource source = source("batchSize", "2");

        assertEquals(Step.WORKED, source.step());
        assertEquals(numbered(0, 2), bodies());
        assertEquals(Step.WORKED, source.step());
        assertEquals(Step.WORKED, source.step());
        assertEquals(numbered(0, 5), bodies());
        assertEquals(List.of("a.log"), spoolListing(), "every event committed, but the end not seen yet");

        assertEquals(Step.WORKED, source.step());
        assertEquals(List.of("a.log.COMPLETED"), spoolListing());
        assertEquals(Step.IDLE, source.step());
        assertEquals(5, counters().get(SourceCounter.EVENT_ACCEPTED));
        assertEquals(3, counters().get(SourceCounter.APPEND_BATCH_ACCEPTED));
    }

    @Test
    void aFileIsNotRenamedWhileItsLastBatchIsRefused() throws Exception {
        write("a.log", lines(0, 3));
        SpoolDirectorySource source = source("batchSize", "10");
        processor.failNext(1);

        assertEquals(Step.BACKOFF, source.step());
        assertEquals(Step.WORKED, source.step());
        assertEquals(List.of("a.log"), spoolListing());
        drain(source);
        assertEquals(List.of("a.log.COMPLETED"), spoolListing());
        assertEquals(numbered(0, 3), bodies());
    }

    @Test
    void lastLineWithoutNewlineEmptyFilesAndCarriageReturnsAsInFlume() throws Exception {
        write("a.log", "one\r\ntwo");
        write("b.log", "");
        SpoolDirectorySource source = source();
        drain(source);
        assertEquals(List.of("one\r", "two"), bodies());
        assertEquals(List.of("a.log.COMPLETED", "b.log.COMPLETED"), spoolListing());
    }

    @Test
    void fileAndBasenameHeaders() throws Exception {
        Path file = write("a.log", "x\n");
        SpoolDirectorySource source = source("fileHeader", "true", "basenameHeader", "true");
        drain(source);
        assertEquals(Map.of("file", file.toAbsolutePath().toString(), "basename", "a.log"),
                processor.accepted().get(0).getHeaders());

        processor.accepted().clear();
        write("b.log", "y\n");
        SpoolDirectorySource custom = source("fileHeader", "true", "fileHeaderKey", "path",
                "basenameHeader", "true", "basenameHeaderKey", "name");
        drain(custom);
        assertEquals(Map.of("path", spool.resolve("b.log").toString(), "name", "b.log"),
                processor.accepted().get(0).getHeaders());
    }

    @Test
    void noHeadersByDefaultAndEachEventHasItsOwnMap() throws Exception {
        write("a.log", "x\ny\n");
        drain(source());
        List<Event> events = processor.accepted();
        assertTrue(events.get(0).getHeaders().isEmpty());
        events.get(0).getHeaders().put("k", "v");
        assertTrue(events.get(1).getHeaders().isEmpty());
    }

    @Test
    void deletePolicyImmediateDeletesTheFinishedFile() throws Exception {
        write("a.log", lines(0, 2));
        drain(source("deletePolicy", "immediate"));
        assertEquals(List.of(), spoolListing());
        assertEquals(numbered(0, 2), bodies());
    }

    @Test
    void trackingPolicyTrackerDirMarksInsteadOfRenaming() throws Exception {
        write("a.log", lines(0, 2));
        SpoolDirectorySource source = source("trackingPolicy", "tracker_dir");
        drain(source);
        assertEquals(List.of("a.log"), spoolListing());
        assertTrue(Files.exists(spool.resolve(".flumespool").resolve("a.log.COMPLETED")));
        drain(source);
        drain(source("trackingPolicy", "tracker_dir"));
        assertEquals(numbered(0, 2), bodies(), "a marked file is not read again, not even after a restart");
    }

    @Test
    void includeIgnoreHiddenAndFinishedFilesAreLeftAlone() throws Exception {
        write("a.log", "a\n");
        write("b.tmp", "b\n");
        write("c.log.tmp", "c\n");
        write(".hidden.log", "h\n");
        write("old.log.COMPLETED", "o\n");
        drain(source("includePattern", "^.*\\.log(\\.tmp)?$", "ignorePattern", "^.*\\.tmp$"));
        assertEquals(List.of("a"), bodies());
    }

    @Test
    void subDirectoriesOnlyWithRecursiveDirectorySearch() throws Exception {
        write("top.log", "top\n");
        write("sub/inner.log", "inner\n");
        write(".hidden/skip.log", "hidden\n");
        drain(source());
        assertEquals(List.of("top"), bodies());

        drain(source("recursiveDirectorySearch", "true"));
        assertEquals(List.of("top", "inner"), bodies());
        assertTrue(Files.exists(spool.resolve("sub/inner.log.COMPLETED")));
        assertTrue(Files.exists(spool.resolve(".hidden/skip.log")));
    }

    @Test
    void consumeOrderOldestAndYoungestByModificationTimeThenName() throws Exception {
        long now = System.currentTimeMillis();
        Files.setLastModifiedTime(write("b.log", "b\n"), FileTime.fromMillis(now - 30_000));
        Files.setLastModifiedTime(write("a.log", "a\n"), FileTime.fromMillis(now - 10_000));
        Files.setLastModifiedTime(write("c.log", "c\n"), FileTime.fromMillis(now - 10_000));
        drain(source());
        assertEquals(List.of("b", "a", "c"), bodies());

        for (String name : List.of("a", "b", "c")) {
            Files.move(spool.resolve(name + ".log.COMPLETED"), spool.resolve(name + "2.log"));
        }
        Files.setLastModifiedTime(spool.resolve("b2.log"), FileTime.fromMillis(now - 30_000));
        Files.setLastModifiedTime(spool.resolve("a2.log"), FileTime.fromMillis(now - 10_000));
        Files.setLastModifiedTime(spool.resolve("c2.log"), FileTime.fromMillis(now - 10_000));
        processor.accepted().clear();
        drain(source("consumeOrder", "youngest"));
        assertEquals(List.of("a", "c", "b"), bodies());

        processor.accepted().clear();
        write("x.log", "x\n");
        write("y.log", "y\n");
        drain(source("consumeOrder", "random"));
        assertEquals(2, bodies().size());
    }

    // ------------------------------------------------------------ positions and restarts

    @Test
    void aRestartContinuesAfterTheLastCommittedBatch() throws Exception {
        write("a.log", lines(0, 7));
        SpoolDirectorySource first = source("batchSize", "3");
        assertEquals(Step.WORKED, first.step());
        processor.failNext(1);
        assertEquals(Step.BACKOFF, first.step(), "the second batch is in flight when the agent dies");
        first.stop();

        SpoolDirectorySource second = source("batchSize", "3");
        drain(second);
        assertEquals(numbered(0, 7), bodies(), "nothing lost, nothing twice");
        assertEquals(List.of("a.log.COMPLETED"), spoolListing());
        try (Stream<Path> positions = Files.list(spool.resolve(".flumespool"))) {
            assertEquals(0, positions.count(), "the finished file's position is deleted");
        }
    }

    @Test
    void aCrashAfterACommitRepeatsNothingAndOneBeforeItRepeatsOnlyThatBatch() throws Exception {
        write("a.log", lines(0, 6));
        SpoolDirectorySource first = source("batchSize", "2");
        first.step();
        first.step();
        // A crash: no stop(), the reader is just abandoned. The saved position is after line 3.
        List<String> before = bodies();
        processor.accepted().clear();
        drain(source("batchSize", "2"));
        assertEquals(numbered(0, 4), before);
        assertEquals(numbered(4, 6), bodies());
    }

    @Test
    void positionsAreByteExactForMultiByteCharacters() throws Exception {
        write("a.log", "caf\u00e9\n\u00fcber \ud83d\ude00\n\u65e5\u672c\n");
        SpoolDirectorySource first = source("batchSize", "1");
        first.step();
        first.step();
        drain(source("batchSize", "1"));
        assertEquals(List.of("caf\u00e9", "\u00fcber \ud83d\ude00", "\u65e5\u672c"), bodies());
    }

    @Test
    void aPartlyReadFileIsFinishedBeforeOlderNewFilesAfterARestart() throws Exception {
        long now = System.currentTimeMillis();
        Files.setLastModifiedTime(write("b.log", lines(0, 4)), FileTime.fromMillis(now - 10_000));
        SpoolDirectorySource first = source("batchSize", "2");
        first.step();
        Files.setLastModifiedTime(write("a.log", "older\n"), FileTime.fromMillis(now - 60_000));
        drain(source("batchSize", "2"));
        assertEquals(List.of("line 0", "line 1", "line 2", "line 3", "older"), bodies());
    }

    @Test
    void aPartlyReadFileThatChangedWhileTheAgentWasDownIsRefused() throws Exception {
        write("a.log", lines(0, 4));
        source("batchSize", "2").step();
        Files.writeString(spool.resolve("a.log"), "more\n", StandardOpenOption.APPEND);
        write("b.log", "b\n");

        SpoolDirectorySource second = source("batchSize", "2");
        drain(second);
        assertEquals(List.of("line 0", "line 1", "b"), bodies());
        assertEquals(List.of("a.log", "b.log.COMPLETED"), spoolListing());
        assertEquals(1, counters().get(SourceCounter.GENERIC_PROCESSING_FAIL));
    }

    @Test
    void aPartlyReadFileIsNotContinuedWithAnotherDeserializer() throws Exception {
        write("a.log", lines(0, 4));
        source("batchSize", "2").step();
        drain(source("deserializer", "BLOB"));
        assertEquals(numbered(0, 2), bodies());
        assertEquals(List.of("a.log"), spoolListing());
        drain(source("batchSize", "2"));
        assertEquals(numbered(0, 4), bodies(), "back on LINE it is finished");
    }

    @Test
    void aStalePositionOfAFinishedFileIsForgotten() throws Exception {
        write("a.log", lines(0, 2));
        source("batchSize", "1").step();
        Files.move(spool.resolve("a.log"), spool.resolve("a.log.COMPLETED"));
        write("a.log.other", "x\n");
        drain(source());
        assertEquals(List.of("line 0", "x"), bodies());
    }

    // ------------------------------------------------------------ refused files

    @Test
    void aFileThatChangesAfterItWasPickedUpIsRefusedAndTheOthersGoOn() throws Exception {
        long now = System.currentTimeMillis();
        Files.setLastModifiedTime(write("a.log", lines(0, 4)), FileTime.fromMillis(now - 20_000));
        Files.setLastModifiedTime(write("b.log", "b\n"), FileTime.fromMillis(now - 10_000));
        SpoolDirectorySource source = source("batchSize", "2");
        assertEquals(Step.WORKED, source.step());
        Files.writeString(spool.resolve("a.log"), "appended\n", StandardOpenOption.APPEND);

        drain(source);
        assertEquals(List.of("line 0", "line 1", "b"), bodies(), "not one more line of the changed file");
        assertEquals(List.of("a.log", "b.log.COMPLETED"), spoolListing());
        assertEquals(1, counters().get(SourceCounter.GENERIC_PROCESSING_FAIL));
        assertEquals(Step.IDLE, source.step(), "and it is not picked up again");
    }

    @Test
    void aFileThatChangesBetweenItsLastEventAndItsRenameIsNotRenamed() throws Exception {
        Path file = write("a.log", lines(0, 2));
        SpoolDirectorySource source = source("batchSize", "10");
        assertEquals(Step.WORKED, source.step());
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        drain(source);
        assertEquals(List.of("a.log"), spoolListing());
        assertEquals(numbered(0, 2), bodies());
    }

    @Test
    void aReusedNameIsRefusedBeforeAnythingIsRead() throws Exception {
        write("a.log.COMPLETED", "first\n");
        write("a.log", "second\n");
        SpoolDirectorySource source = source();
        drain(source);
        assertEquals(List.of(), bodies());
        assertEquals(List.of("a.log", "a.log.COMPLETED"), spoolListing());
        assertEquals("first\n", Files.readString(spool.resolve("a.log.COMPLETED")), "never overwritten");
        assertEquals(1, counters().get(SourceCounter.GENERIC_PROCESSING_FAIL));
    }

    // ------------------------------------------------------------ channel refusals

    @Test
    void aRefusedBatchIsReadAgainAndRetriedUntilAccepted() throws Exception {
        write("a.log", lines(0, 5));
        SpoolDirectorySource source = source("batchSize", "2");
        assertEquals(Step.WORKED, source.step());
        processor.failNext(3);
        assertEquals(Step.BACKOFF, source.step());
        assertEquals(Step.BACKOFF, source.step());
        assertEquals(Step.BACKOFF, source.step());
        drain(source);
        assertEquals(numbered(0, 5), bodies(), "nothing skipped, nothing twice");
        assertEquals(3, counters().get(SourceCounter.CHANNEL_WRITE_FAIL));
        assertEquals(5, counters().get(SourceCounter.EVENT_ACCEPTED));
    }

    @Test
    void aFailingInterceptorOrSelectorIsRetriedLikeAFullChannel() throws Exception {
        write("a.log", lines(0, 2));
        List<List<Event>> offered = new ArrayList<>();
        boolean[] failed = {false};
        target = new ChannelProcessor() {
            @Override
            public void processEvent(Event event) {
                processEventBatch(List.of(event));
            }

            @Override
            public void processEventBatch(List<Event> events) {
                offered.add(List.copyOf(events));
                if (!failed[0]) {
                    failed[0] = true;
                    throw new IllegalStateException("test: interceptor bug");
                }
                processor.processEventBatch(events);
            }
        };
        SpoolDirectorySource source = source();
        assertEquals(Step.BACKOFF, source.step());
        drain(source);
        assertEquals(numbered(0, 2), bodies());
        assertEquals(2, offered.get(0).size());
        assertEquals(List.of("a.log.COMPLETED"), spoolListing());
    }

    // ------------------------------------------------------------ deserializers

    @Test
    void longLinesAreCutAtMaxLineLengthAndTheRestIsTheNextEvent() throws Exception {
        write("a.log", "abcdefghij\nwxyz\nok\n");
        drain(source("deserializer.maxLineLength", "4"));
        assertEquals(List.of("abcd", "efgh", "ij", "wxyz", "ok"), bodies(),
                "a line of exactly the maximum gives no extra empty event");
    }

    @Test
    void bufferMaxLineLengthStandsInForMaxLineLengthAsInFlume() throws Exception {
        write("a.log", "abcdef\n");
        drain(source("bufferMaxLineLength", "3"));
        assertEquals(List.of("abc", "def"), bodies());
    }

    @Test
    void inputAndOutputCharsets() throws Exception {
        Files.write(spool.resolve("a.log"), "caf\u00e9\n".getBytes(StandardCharsets.UTF_16));
        drain(source("inputCharset", "UTF-16", "deserializer.outputCharset", "ISO-8859-1"));
        assertEquals("caf\u00e9", new String(processor.accepted().get(0).getBody(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void decodeErrorPolicyFailDeliversTheLinesBeforeAndStopsReadingTheFile() throws Exception {
        Files.write(spool.resolve("a.log"), bytes("good 1\ngood 2\nbad \u0000\nafter\n"));
        write("b.log", "b\n");
        drain(source("batchSize", "10"));
        assertEquals(List.of("good 1", "good 2", "b"), bodies());
        assertEquals(List.of("a.log", "b.log.COMPLETED"), spoolListing());
        assertEquals(1, counters().get(SourceCounter.EVENT_READ_FAIL));
        assertEquals(1, counters().get(SourceCounter.GENERIC_PROCESSING_FAIL));

        processor.accepted().clear();
        drain(source("batchSize", "10"));
        assertEquals(List.of(), bodies(), "after a restart it resumes at the bad line and stops there again");
    }

    @Test
    void decodeErrorPolicyReplaceAndIgnore() throws Exception {
        Files.write(spool.resolve("a.log"), bytes("x\u0000y\n"));
        drain(source("decodeErrorPolicy", "REPLACE"));
        assertEquals(List.of("x\ufffdy"), bodies());

        processor.accepted().clear();
        Files.write(spool.resolve("b.log"), bytes("x\u0000y\n"));
        drain(source("decodeErrorPolicy", "ignore"));
        assertEquals(List.of("xy"), bodies());
    }

    /** The text in UTF-8 with each NUL replaced by 0xFF, a byte that is never valid UTF-8. */
    private static byte[] bytes(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                bytes[i] = (byte) 0xFF;
            }
        }
        return bytes;
    }

    @Test
    void blobIsTheWholeFileOrPiecesOfMaxBlobLength() throws Exception {
        byte[] binary = new byte[10];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31);
        }
        Files.write(spool.resolve("a.bin"), binary);
        drain(source("deserializer", "BLOB"));
        assertEquals(1, processor.accepted().size());
        assertTrue(java.util.Arrays.equals(binary, processor.accepted().get(0).getBody()));

        processor.accepted().clear();
        Files.write(spool.resolve("b.bin"), binary);
        drain(source("deserializer", SpoolDirectorySourceFactory.BLOB_CLASS, "deserializer.maxBlobLength", "4"));
        assertEquals(List.of(4, 4, 2), processor.accepted().stream().map(e -> e.getBody().length).toList());
    }

    @Test
    void lineByFlumesClassName() throws Exception {
        write("a.log", "x\n");
        drain(source("deserializer", SpoolDirectorySourceFactory.LINE_CLASS));
        assertEquals(List.of("x"), bodies());
    }

    // ------------------------------------------------------------ configuration

    @Test
    void configurationErrorsNameTheKey() {
        assertEquals("deserializer.schemaType", rejected("deserializer.schemaType", "JSON").key());
        assertEquals("deserializer", rejected("deserializer", "com.example.Mine$Builder").key());
        assertEquals("batchSize", rejected("batchSize", "0").key());
        assertEquals("includePattern", rejected("includePattern", "(").key());
        assertEquals("deletePolicy", rejected("deletePolicy", "sometimes").key());
        assertEquals("consumeOrder", rejected("consumeOrder", "alphabetical").key());
        assertEquals("decodeErrorPolicy", rejected("decodeErrorPolicy", "SKIP").key());
        assertEquals("inputCharset", rejected("inputCharset", "NOPE-8").key());
        assertEquals("deserializer.maxLineLength", rejected("deserializer.maxLineLength", "0").key());
        assertEquals("fileSuffix", rejected("fileSuffix", "").key());
        assertEquals("spoolDir", assertThrows(ConfigurationException.class, () -> new SpoolDirectorySourceFactory()
                .create(TestContexts.source("r1", Map.of(), processor, temp))).key());
    }

    private ConfigurationException rejected(String key, String value) {
        return assertThrows(ConfigurationException.class, () -> source(key, value));
    }

    @Test
    void aMissingSpoolDirFailsTheStartNamingTheKeyAndARelativeTrackerDirIsInsideIt() throws Exception {
        Map<String, String> properties = Map.of("spoolDir", temp.resolve("missing").toString());
        SpoolDirectorySource source = (SpoolDirectorySource) new SpoolDirectorySourceFactory()
                .create(TestContexts.source("r1", properties, processor, temp));
        IOException e = assertThrows(IOException.class, source::start);
        assertTrue(e.getMessage().contains("'spoolDir'"), e.getMessage());

        source("trackerDir", "meta");
        assertTrue(Files.isDirectory(spool.resolve("meta")));
        Path elsewhere = temp.resolve("tracker");
        write("a.log", lines(0, 2));
        source("trackerDir", elsewhere.toString(), "batchSize", "1").step();
        try (Stream<Path> files = Files.list(elsewhere)) {
            assertEquals(1, files.count());
        }
        assertFalse(Files.exists(spool.resolve(".flumespool")));
    }

    // ------------------------------------------------------------ the thread

    @Test
    void startedItPicksUpFilesAsTheyArriveAndStopsPromptly() throws Exception {
        SpoolDirectorySource source = source("pollDelay", "20", "batchSize", "3");
        source.start();
        try {
            drop("a.log", lines(0, 10));
            awaitAccepted(10);
            drop("b.log", lines(10, 12));
            awaitAccepted(12);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> spoolListing().equals(List.of("a.log.COMPLETED", "b.log.COMPLETED")));
        } finally {
            long before = System.nanoTime();
            source.stop();
            assertTrue(System.nanoTime() - before < 5_000_000_000L, "stop is prompt when idle");
        }
        assertEquals(numbered(0, 12), bodies());
    }

    @Test
    void startedItBacksOffOnAFullChannelAndDeliversEverythingOnce() throws Exception {
        write("a.log", lines(0, 6));
        processor.failNext(2);
        SpoolDirectorySource source = source("pollDelay", "20", "batchSize", "3", "maxBackoff", "300");
        source.start();
        try {
            awaitAccepted(6);
        } finally {
            source.stop();
        }
        assertEquals(numbered(0, 6), bodies());
        assertEquals(2, counters().get(SourceCounter.CHANNEL_WRITE_FAIL));
    }

    private void awaitAccepted(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> processor.accepted().size() >= count);
    }
}

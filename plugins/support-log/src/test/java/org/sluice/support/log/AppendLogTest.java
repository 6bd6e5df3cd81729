package org.sluice.support.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.sluice.testkit.FaultyFileChannel;
import org.sluice.testkit.FaultyFileChannel.Operation;

class AppendLogTest {
    private static final RecordFraming FRAMING = new RecordFraming(0x7E57AB1E, 1);
    private static final AppendLog.FileNames NAMES = new AppendLog.FileNames("t-", ".log");
    /** A 4-byte header naming the file, so that a test can tell where records start. */
    private static final AppendLog.HeaderFactory HEADER = id -> ByteBuffer.allocate(4).putInt(0, id);

    @TempDir
    Path root;

    private final List<AppendLog> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (AppendLog log : open) {
            log.close();
        }
    }

    private AppendLog log(List<Path> dirs, AppendLog.Placement placement, long maxFileSize, FileOpener opener)
            throws IOException {
        for (Path dir : dirs) {
            Files.createDirectories(dir);
        }
        AppendLog log = new AppendLog("test log", dirs, placement, NAMES, maxFileSize, HEADER, opener,
                LoggerFactory.getLogger(AppendLogTest.class));
        open.add(log);
        return log;
    }

    /** One framed record holding {@code text}. */
    private static ByteBuffer record(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(RecordFraming.HEADER + bytes.length);
        int start = FRAMING.begin(buffer);
        buffer.put(bytes);
        FRAMING.finish(buffer, start);
        return buffer.flip();
    }

    private static String read(AppendLog log, long pointer) throws IOException {
        return StandardCharsets.UTF_8.decode(FRAMING.read(log, pointer, 1 << 20)).toString();
    }

    private static long append(AppendLog.Writer writer, String text) throws IOException {
        AppendLog.Appended appended = writer.append(record(text), AppendLog.AppendHook.NONE);
        appended.file().syncTo(appended.end());
        return AppendLog.pointer(appended.file().id(), appended.start());
    }

    @Test
    void recordsAreReadBackByPointerAcrossFilesThatRollInTurnThroughTheDirectories() throws Exception {
        List<Path> dirs = List.of(root.resolve("a"), root.resolve("b"));
        AppendLog log = log(dirs, AppendLog.Placement.ONE_WRITER_IN_TURN, 64, FileOpener.DEFAULT);
        assertEquals(1, log.writerCount());
        List<Long> pointers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pointers.add(append(log.writer(0), "record number " + i));   // 27 bytes framed: two to a file
        }
        for (int i = 0; i < 6; i++) {
            assertEquals("record number " + i, read(log, pointers.get(i)));
        }
        Map<Integer, Path> files = log.files();
        assertEquals(Set.of(1, 2, 3), files.keySet());
        // File n goes to directory n % 2; each starts with its header.
        assertEquals(dirs.get(1).resolve("t-1.log"), files.get(1));
        assertEquals(dirs.get(0).resolve("t-2.log"), files.get(2));
        assertEquals(4, AppendLog.offset(pointers.get(0)));
        assertEquals(List.of(3), log.activeFileIds());
        assertEquals(3, log.firstWritableFileId());
    }

    @Test
    void eachDirectoryHasAWriterOfItsOwn() throws Exception {
        List<Path> dirs = List.of(root.resolve("a"), root.resolve("b"));
        AppendLog log = log(dirs, AppendLog.Placement.WRITER_PER_DIRECTORY, 1 << 20, FileOpener.DEFAULT);
        assertEquals(2, log.writerCount());
        long first = append(log.writer(0), "to a");
        long second = append(log.writer(1), "to b");
        assertEquals(dirs.get(0), log.path(AppendLog.fileId(first)).getParent());
        assertEquals(dirs.get(1), log.path(AppendLog.fileId(second)).getParent());
        assertEquals(dirs.get(0), log.writer(0).directory());
        assertEquals("to b", read(log, second));
    }

    @Test
    void aNewLogReadsTheFilesItFindsAndWritesOnlyNewOnes() throws Exception {
        List<Path> dirs = List.of(root.resolve("a"));
        AppendLog first = log(dirs, AppendLog.Placement.ONE_WRITER_IN_TURN, 1 << 20, FileOpener.DEFAULT);
        long old = append(first.writer(0), "old");
        first.close();
        open.remove(first);
        long size = Files.size(first.path(1));

        AppendLog second = log(dirs, AppendLog.Placement.ONE_WRITER_IN_TURN, 1 << 20, FileOpener.DEFAULT);
        assertEquals(2, second.nextFileId());
        assertEquals(2, second.firstWritableFileId(), "no file is written before the first append");
        long fresh = append(second.writer(0), "new");
        assertEquals(2, AppendLog.fileId(fresh));
        assertEquals(size, Files.size(second.path(1)), "a file found at start is only read");
        assertEquals("old", read(second, old));
        assertFalse(second.delete(2), "the file being written stays");
        assertTrue(second.delete(1));
        assertFalse(Files.exists(root.resolve("a").resolve("t-1.log")));
        assertThrows(CorruptRecordException.class, () -> read(second, old), "a deleted file's records are gone");
    }

    @Test
    void theSameIdInTwoDirectoriesIsRefusedNamingBoth() throws Exception {
        Files.createDirectories(root.resolve("a"));
        Files.createDirectories(root.resolve("b"));
        Files.write(root.resolve("a").resolve("t-4.log"), new byte[4]);
        Files.write(root.resolve("b").resolve("t-4.log"), new byte[4]);
        Files.write(root.resolve("b").resolve("t-x.log"), new byte[4]);   // not a file of the log: left alone
        IOException e = assertThrows(IOException.class, () -> log(List.of(root.resolve("a"), root.resolve("b")),
                AppendLog.Placement.WRITER_PER_DIRECTORY, 1 << 20, FileOpener.DEFAULT));
        assertTrue(e.getMessage().contains("a/t-4.log") && e.getMessage().contains("b/t-4.log"), e.getMessage());
    }

    @Test
    void aFailedWriteIsCutOffSoThatTheNextRecordFollowsTheLastGoodOne() throws Exception {
        AtomicInteger failWrites = new AtomicInteger();
        AppendLog log = log(List.of(root.resolve("a")), AppendLog.Placement.ONE_WRITER_IN_TURN, 1 << 20,
                faulty((operation, file) -> {
                    if (operation == Operation.WRITE && failWrites.getAndDecrement() > 0) {
                        throw new IOException("No space left on device");
                    }
                }));
        long good = append(log.writer(0), "good");
        long end = log.writer(0).current().written();
        failWrites.set(1);
        List<String> undone = new ArrayList<>();
        AppendLog.AppendHook hook = new AppendLog.AppendHook() {
            @Override
            public void beforeWrite(LogFile file, long start, ByteBuffer records) {
            }

            @Override
            public void afterFailedWrite(LogFile file, long start, ByteBuffer records) {
                undone.add(file.id() + "@" + start);
            }
        };
        assertThrows(IOException.class, () -> log.writer(0).append(record("lost to a full disk"), hook));
        assertEquals(List.of("1@" + end), undone, "the owner undoes what it did for the write");
        assertEquals(end, Files.size(log.path(1)), "half a record was written, and cut off again");
        long next = append(log.writer(0), "next");
        assertEquals(end, AppendLog.offset(next));
        assertEquals(List.of("good", "next"), scan(log.path(1)));
        assertEquals("good", read(log, good));
    }

    @Test
    void aWriteThatCannotBeCutOffRetiresItsFile() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        AppendLog log = log(List.of(root.resolve("a")), AppendLog.Placement.ONE_WRITER_IN_TURN, 1 << 20,
                faulty((operation, file) -> {
                    if ((operation == Operation.WRITE || operation == Operation.TRUNCATE) && failures.get() > 0) {
                        failures.decrementAndGet();
                        throw new IOException("I/O error");
                    }
                }));
        long good = append(log.writer(0), "good");
        failures.set(2);
        assertThrows(LogFile.RetireException.class, () -> log.writer(0).append(record("torn"),
                AppendLog.AppendHook.NONE));
        long next = append(log.writer(0), "next");
        assertEquals(2, AppendLog.fileId(next), "the torn file takes no more records");
        assertEquals("good", read(log, good));
        assertEquals("next", read(log, next));
    }

    @Test
    void aFailedForceFailsItsFileForGoodAndTheWriterStartsANewOne() throws Exception {
        AtomicInteger failForces = new AtomicInteger();
        AppendLog log = log(List.of(root.resolve("a")), AppendLog.Placement.ONE_WRITER_IN_TURN, 1 << 20,
                faulty((operation, file) -> {
                    if (operation == Operation.FORCE && failForces.getAndDecrement() > 0) {
                        throw new IOException("fsync: Input/output error");
                    }
                }));
        long durable = append(log.writer(0), "durable");
        failForces.set(1);
        AppendLog.Appended unsure = log.writer(0).append(record("unsure"), AppendLog.AppendHook.NONE);
        assertThrows(IOException.class, () -> unsure.file().syncTo(unsure.end()));
        // The disk would now report a force as done without the pages it dropped: nothing after the failure counts.
        IOException again = assertThrows(IOException.class, () -> unsure.file().syncTo(unsure.end()));
        assertTrue(again.getMessage().contains("could not be forced"), again.getMessage());
        assertTrue(unsure.file().failed());
        long next = append(log.writer(0), "next");
        assertNotEquals(unsure.file().id(), AppendLog.fileId(next));
        assertEquals("durable", read(log, durable));
        assertEquals("next", read(log, next));
    }

    @Test
    void commitsWaitingWhileAFileIsForcedShareTheNextForce() throws Exception {
        AtomicInteger forces = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch forcing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AppendLog log = log(List.of(root.resolve("a")), AppendLog.Placement.ONE_WRITER_IN_TURN, 1 << 20,
                faulty((operation, file) -> {
                    if (operation == Operation.FORCE && armed.get() && forces.incrementAndGet() == 1) {
                        // The first force is held, as a slow disk holds it, until the others have appended.
                        forcing.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }
                }));
        AppendLog.Writer writer = log.writer(0);
        append(writer, "file made");
        armed.set(true);
        List<Thread> committers = new ArrayList<>();
        Set<Throwable> failures = new CopyOnWriteArraySet<>();
        java.util.concurrent.CountDownLatch appended = new java.util.concurrent.CountDownLatch(8);
        for (int i = 0; i < 9; i++) {
            String text = "commit " + i;
            boolean first = i == 0;
            Thread thread = new Thread(() -> {
                try {
                    AppendLog.Appended a = writer.append(record(text), AppendLog.AppendHook.NONE);
                    if (!first) {
                        appended.countDown();
                    }
                    a.file().syncTo(a.end());
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            committers.add(thread);
            thread.start();
            if (first) {
                forcing.await();
            }
        }
        appended.await();
        release.countDown();
        for (Thread thread : committers) {
            thread.join(30_000);
        }
        assertEquals(Set.of(), failures);
        assertEquals(2, forces.get(), "the held force, then one for the eight that appended meanwhile");
    }

    private static FileOpener faulty(FaultyFileChannel.Faults faults) {
        return (path, purpose) -> new FaultyFileChannel(FileOpener.DEFAULT.open(path, purpose), path, faults);
    }

    /** The texts of the records of a file, after its 4-byte header, and its damage. */
    private static List<String> scan(Path file) throws IOException {
        return RecordFramingTest.scan(FRAMING, RecordFraming.map(file), 4);
    }
}

package org.sluice.channel.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.testkit.ChannelTransactions;
import org.sluice.testkit.TestContexts;

class FileChannelTest {
    @TempDir
    Path data;

    private final AtomicLong freeSpace = new AtomicLong(Long.MAX_VALUE);
    private final FileChannelFactory factory = new FileChannelFactory(directory -> freeSpace.get());
    private final List<FileChannel> running = new ArrayList<>();
    private ChannelContext context;

    @AfterEach
    void stopAll() {
        running.forEach(FileChannel::stop);
    }

    /** Tests leave checkpoints to the test: none on a timer, none on close unless asked. */
    private FileChannel channel(Map<String, String> overrides) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of("checkpointInterval", "600000",
                "checkpointOnClose", "false", "keep-alive", "0"));
        properties.putAll(overrides);
        context = TestContexts.channel("c1", properties, data);
        FileChannel channel = (FileChannel) factory.create(context);
        channel.start();
        running.add(channel);
        return channel;
    }

    private FileChannel restart(FileChannel channel, Map<String, String> overrides) throws Exception {
        channel.stop();
        running.remove(channel);
        return channel(overrides);
    }

    private Path home() {
        return data.resolve(TestContexts.AGENT).resolve("c1");
    }

    private Path checkpointFile() {
        return home().resolve("checkpoint").resolve(Checkpoint.FILE);
    }

    private List<Path> dataFiles() throws IOException {
        return new ArrayList<>(DataLog.list(home().resolve("data")).values());
    }

    @Test
    void putsBecomeVisibleOnlyOnCommit() throws Exception {
        FileChannel channel = channel(Map.of());
        Transaction tx = channel.getTransaction();
        tx.begin();
        channel.put(event("a"));
        channel.put(event("b"));
        assertEquals(List.of(), onOtherThread(() -> takeAll(channel)), "uncommitted puts are invisible");
        tx.commit();
        tx.close();
        assertEquals(List.of("a", "b"), onOtherThread(() -> takeAll(channel)));
    }

    @Test
    void headersAndBodiesSurviveTheDisk() throws Exception {
        FileChannel channel = channel(Map.of());
        Event sent = EventBuilder.withBody("h\u00e9llo \ud83d\ude00".getBytes(StandardCharsets.UTF_8),
                Map.of("host", "w\u00e9b1", "empty", ""));
        putCommitted(channel, sent);
        channel = restart(channel, Map.of());
        Transaction tx = channel.getTransaction();
        tx.begin();
        Event got = channel.take();
        tx.commit();
        tx.close();
        assertEquals(sent.getHeaders(), got.getHeaders());
        assertEquals(new String(sent.getBody(), StandardCharsets.UTF_8), new String(got.getBody(), StandardCharsets.UTF_8));
    }

    @Test
    void rollbacksDiscardPutsAndReturnTakesInOrder() throws Exception {
        FileChannel channel = channel(Map.of());
        Transaction put = channel.getTransaction();
        put.begin();
        channel.put(event("lost"));
        put.rollback();
        put.close();
        putCommitted(channel, "e0", "e1", "e2");

        Transaction take = channel.getTransaction();
        take.begin();
        assertEquals("e0", body(channel.take()));
        assertEquals("e1", body(channel.take()));
        take.rollback();
        take.close();

        assertEquals(3, channel.size());
        assertEquals(List.of("e0", "e1", "e2"), takeAll(channel));
        assertEquals(0, channel.size());
    }

    @Test
    void restartKeepsCommittedEventsAndDropsUncommittedOnes() throws Exception {
        FileChannel channel = channel(Map.of());
        putCommitted(channel, "a", "b", "c");
        Transaction open = channel.getTransaction();
        open.begin();
        channel.put(event("never committed"));
        // The process "dies" here: the open transaction is never committed.
        channel = restart(channel, Map.of());
        assertEquals(List.of("a", "b", "c"), takeAll(channel));
    }

    @Test
    void committedTakesStayTakenAcrossRestarts() throws Exception {
        FileChannel channel = channel(Map.of());
        putCommitted(channel, "a", "b", "c", "d");
        assertEquals(List.of("a", "b"), take(channel, 2));
        channel = restart(channel, Map.of());
        assertEquals(List.of("c", "d"), take(channel, 10));
        channel = restart(channel, Map.of());
        assertEquals(List.of(), takeAll(channel));
    }

    @Test
    void replayWithoutAnyCheckpoint() throws Exception {
        FileChannel channel = channel(Map.of());
        putCommitted(channel, "a", "b", "c");
        take(channel, 1);
        channel.stop();
        running.remove(channel);
        Files.delete(checkpointFile());
        channel = channel(Map.of());
        assertTrue(channel.recoveredFrom().contains("full replay"), channel.recoveredFrom());
        assertEquals(List.of("b", "c"), takeAll(channel));
    }

    @Test
    void checkpointThenReplayOfLaterRecords() throws Exception {
        FileChannel channel = channel(Map.of());
        putCommitted(channel, "a", "b", "c");
        take(channel, 1);
        channel.checkpoint();
        putCommitted(channel, "d", "e");
        take(channel, 1);
        channel = restart(channel, Map.of());
        assertTrue(channel.recoveredFrom().contains("checkpoint in"), channel.recoveredFrom());
        assertEquals(List.of("c", "d", "e"), takeAll(channel));
    }

    @Test
    void checkpointOnCloseRecordsOpenTakesAsStillThere() throws Exception {
        FileChannel channel = channel(Map.of("checkpointOnClose", "true"));
        putCommitted(channel, "a", "b");
        Transaction tx = channel.getTransaction();
        tx.begin();
        assertEquals("a", body(channel.take()));
        channel.checkpoint();
        tx.rollback();
        tx.close();
        channel = restart(channel, Map.of());
        assertEquals(List.of("a", "b"), takeAll(channel));
    }

    @Test
    void recordTruncatedMidWriteLosesOnlyThatTransaction() throws Exception {
        FileChannel channel = channel(Map.of());
        putCommitted(channel, "a", "b");
        putCommitted(channel, "c");
        channel.stop();
        running.remove(channel);
        Path file = dataFiles().get(0);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 5); // the second transaction's COMMIT record is torn
        }
        channel = channel(Map.of());
        assertEquals(List.of("a", "b"), takeAll(channel));
        assertEquals(1, context.counter().get(FileChannel.CORRUPT_RECORDS));
    }

    @Test
    void flippedBitLosesOnlyTheDamagedRecord() throws Exception {
        FileChannel channel = channel(Map.of());
        putCommitted(channel, "first-event");
        putCommitted(channel, "second-event");
        putCommitted(channel, "third-event");
        channel.stop();
        running.remove(channel);
        Path file = dataFiles().get(0);
        byte[] bytes = Files.readAllBytes(file);
        int at = indexOf(bytes, "second-event".getBytes(StandardCharsets.UTF_8));
        bytes[at + 3] ^= 0x10;
        Files.write(file, bytes);
        channel = channel(Map.of());
        assertEquals(List.of("first-event", "third-event"), takeAll(channel));
        assertEquals(1, context.counter().get(FileChannel.CORRUPT_RECORDS));
    }

    @Test
    void zeroedCheckpointFallsBackToFullReplay() throws Exception {
        FileChannel channel = channel(Map.of("checkpointOnClose", "true"));
        putCommitted(channel, "a", "b", "c");
        take(channel, 1);
        channel.stop();
        running.remove(channel);
        Files.write(checkpointFile(), new byte[(int) Files.size(checkpointFile())]);
        channel = channel(Map.of());
        assertTrue(channel.recoveredFrom().contains("full replay"), channel.recoveredFrom());
        assertEquals(List.of("b", "c"), takeAll(channel));
    }

    @Test
    void missingCheckpointFallsBackToFullReplay() throws Exception {
        FileChannel channel = channel(Map.of("checkpointOnClose", "true"));
        putCommitted(channel, "a", "b", "c");
        take(channel, 2);
        channel.stop();
        running.remove(channel);
        Files.delete(checkpointFile());
        channel = channel(Map.of());
        assertEquals(List.of("c"), takeAll(channel));
    }

    @Test
    void damagedCheckpointFallsBackToTheBackup() throws Exception {
        Map<String, String> dual = Map.of("useDualCheckpoints", "true", "checkpointOnClose", "true");
        FileChannel channel = channel(dual);
        putCommitted(channel, "a", "b", "c");
        take(channel, 1);
        channel.stop();
        running.remove(channel);
        byte[] bytes = Files.readAllBytes(checkpointFile());
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(checkpointFile(), bytes);
        channel = channel(dual);
        assertTrue(channel.recoveredFrom().contains("backup"), channel.recoveredFrom());
        assertEquals(List.of("b", "c"), takeAll(channel));
    }

    @Test
    void filesRollAndUnreferencedOnesAreDeletedAfterACheckpoint() throws Exception {
        FileChannel channel = channel(Map.of("maxFileSize", "2048"));
        for (int i = 0; i < 40; i++) {
            putCommitted(channel, "event-" + i + "-" + "x".repeat(100));
        }
        int written = dataFiles().size();
        assertTrue(written > 3, "rolled into " + written + " files");
        assertEquals(35, take(channel, 35).size());
        channel.checkpoint();
        assertTrue(dataFiles().size() < written, dataFiles().size() + " files left of " + written);
        channel = restart(channel, Map.of("maxFileSize", "2048"));
        List<String> rest = takeAll(channel);
        assertEquals(5, rest.size());
        assertTrue(rest.get(0).startsWith("event-35-"), rest.get(0));
    }

    @Test
    void putsAreRefusedBelowMinimumRequiredSpaceAndResumeByThemselves() throws Exception {
        FileChannel channel = channel(Map.of("minimumRequiredSpace", "1000"));
        putCommitted(channel, "before");
        freeSpace.set(999);
        ChannelException refused = assertThrows(ChannelException.class, () -> putCommitted(channel, "refused"));
        assertTrue(refused.getMessage().contains("c1") && refused.getMessage().contains("999")
                && refused.getMessage().contains(home().resolve("data").toString()), refused.getMessage());
        assertEquals(1, channel.size());
        assertEquals(List.of("before"), take(channel, 1), "takes still work");
        freeSpace.set(1000);
        putCommitted(channel, "after");
        FileChannel reopened = restart(channel, Map.of("minimumRequiredSpace", "1000"));
        assertEquals(List.of("after"), takeAll(reopened));
    }

    @Test
    void publishesSizeAndCapacity() throws Exception {
        FileChannel channel = channel(Map.of("capacity", "50", "transactionCapacity", "10"));
        putCommitted(channel, "a", "b", "c");
        take(channel, 1);
        assertEquals(50, context.counter().get(ChannelCounter.CHANNEL_CAPACITY));
        assertEquals(2, context.counter().get(ChannelCounter.CHANNEL_SIZE));
    }

    @Test
    void fullChannelRefusesPutsAfterKeepAlive() throws Exception {
        FileChannel channel = channel(Map.of("capacity", "2", "transactionCapacity", "2"));
        putCommitted(channel, "a", "b");
        assertThrows(org.sluice.api.channel.ChannelFullException.class, () -> putCommitted(channel, "c"));
        assertEquals(2, channel.size());
    }

    @Test
    void transactionCapacityIsEnforced() throws Exception {
        FileChannel channel = channel(Map.of("capacity", "10", "transactionCapacity", "2"));
        Transaction tx = channel.getTransaction();
        tx.begin();
        try {
            channel.put(event("1"));
            channel.put(event("2"));
            assertThrows(ChannelException.class, () -> channel.put(event("3")));
            tx.rollback();
        } finally {
            tx.close();
        }
    }

    @Test
    void unsyncedModeKeepsEventsAcrossAStop() throws Exception {
        FileChannel channel = channel(Map.of("fsyncPerTransaction", "false", "fsyncInterval", "1"));
        putCommitted(channel, "a", "b");
        channel = restart(channel, Map.of("fsyncPerTransaction", "false"));
        assertEquals(List.of("a", "b"), takeAll(channel));
    }

    @Test
    void severalDataDirectoriesShareTheLoadAndRecoverTogether() throws Exception {
        String dirs = data.resolve("disk1") + "," + data.resolve("disk2");
        FileChannel channel = channel(Map.of("dataDirs", dirs));
        for (int i = 0; i < 10; i++) {
            putCommitted(channel, "e" + i);
        }
        assertEquals(5, take(channel, 5).size());
        assertTrue(Files.list(data.resolve("disk1")).anyMatch(p -> p.getFileName().toString().startsWith("log-")));
        assertTrue(Files.list(data.resolve("disk2")).anyMatch(p -> p.getFileName().toString().startsWith("log-")));
        channel.stop();
        running.remove(channel);
        Files.delete(checkpointFile());
        channel = channel(Map.of("dataDirs", dirs));
        assertEquals(List.of("e5", "e6", "e7", "e8", "e9"), takeAll(channel));
    }

    @Test
    void twoChannelsCannotShareDirectories() throws Exception {
        channel(Map.of());
        ChannelContext other = TestContexts.channel("c1", Map.of("minimumRequiredSpace", "0"), data);
        FileChannel second = (FileChannel) factory.create(other);
        ChannelException refused = assertThrows(ChannelException.class, second::start);
        assertTrue(refused.getMessage().contains("in use"), refused.getMessage());
    }

    @Test
    void badValuesNameTheirKey() {
        for (Map.Entry<String, String> bad : Map.of("capacity", "0", "transactionCapacity", "2000000",
                "checkpointInterval", "10", "maxFileSize", "10", "keep-alive", "-1", "fsyncInterval", "0").entrySet()) {
            ChannelContext ctx = TestContexts.channel("c1", Map.of(bad.getKey(), bad.getValue()), data);
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> factory.create(ctx),
                    bad.toString());
            assertEquals(bad.getKey(), e.key());
        }
    }

    @Test
    void concurrentProducersAndConsumersNeitherLoseNorDuplicate() throws Exception {
        FileChannel channel = channel(Map.of("transactionCapacity", "50", "keep-alive", "3"));
        int producers = 4;
        int perProducer = 1500;
        ExecutorService pool = Executors.newFixedThreadPool(producers + 3);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                puts.add(pool.submit(() -> {
                    for (int i = 0; i < perProducer; i += 10) {
                        String[] batch = new String[10];
                        for (int j = 0; j < 10; j++) {
                            batch[j] = producer + ":" + (i + j);
                        }
                        putCommitted(channel, batch);
                    }
                    return null;
                }));
            }
            Map<String, Integer> seen = new ConcurrentHashMap<>();
            AtomicInteger total = new AtomicInteger();
            List<Future<?>> takes = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                takes.add(pool.submit(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (total.get() < producers * perProducer && System.nanoTime() < deadline) {
                        for (String body : take(channel, 25)) {
                            seen.merge(body, 1, Integer::sum);
                            total.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : puts) {
                f.get(60, TimeUnit.SECONDS);
            }
            for (Future<?> f : takes) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(producers * perProducer, seen.size());
            assertTrue(seen.values().stream().allMatch(n -> n == 1), "no event taken twice");
            assertEquals(0, channel.size());
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    static Event event(String body) {
        return EventBuilder.withBody(body, StandardCharsets.UTF_8);
    }

    static String body(Event event) {
        return new String(event.getBody(), StandardCharsets.UTF_8);
    }

    static void putCommitted(Channel channel, String... bodies) {
        Event[] events = new Event[bodies.length];
        for (int i = 0; i < bodies.length; i++) {
            events[i] = event(bodies[i]);
        }
        putCommitted(channel, events);
    }

    static void putCommitted(Channel channel, Event... events) {
        ChannelTransactions.putCommitted(channel, List.of(events));
    }

    static List<String> take(Channel channel, int max) {
        return ChannelTransactions.takeBodies(channel, max);
    }

    static List<String> takeAll(Channel channel) {
        return ChannelTransactions.takeAllBodies(channel, 100);
    }

    private static <T> T onOtherThread(java.util.concurrent.Callable<T> task) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).get(10, TimeUnit.SECONDS);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}

package org.sluice.channel.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.ChannelFullException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.testkit.ChannelTransactions;
import org.sluice.testkit.TestContexts;

class MemoryChannelTest {
    @TempDir
    Path data;

    private final MemoryChannelFactory factory = new MemoryChannelFactory();
    private ChannelContext context;

    private MemoryChannel channel(Map<String, String> properties) throws Exception {
        context = TestContexts.channel("c1", properties, data);
        MemoryChannel channel = (MemoryChannel) factory.create(context);
        channel.start();
        return channel;
    }

    @Test
    void putsBecomeVisibleOnlyOnCommit() throws Exception {
        MemoryChannel channel = channel(Map.of());
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
    void rolledBackPutsAreDiscarded() throws Exception {
        MemoryChannel channel = channel(Map.of());
        Transaction tx = channel.getTransaction();
        tx.begin();
        channel.put(event("a"));
        tx.rollback();
        tx.close();

        assertEquals(0, channel.size());
        assertEquals(List.of(), takeAll(channel));
    }

    @Test
    void rolledBackTakesReturnToTheHeadInOrder() throws Exception {
        MemoryChannel channel = channel(Map.of());
        putCommitted(channel, "e0", "e1", "e2", "e3", "e4");

        Transaction tx = channel.getTransaction();
        tx.begin();
        assertEquals("e0", body(channel.take()));
        assertEquals("e1", body(channel.take()));
        assertEquals("e2", body(channel.take()));
        tx.rollback();
        tx.close();

        assertEquals(List.of("e0", "e1", "e2", "e3", "e4"), takeAll(channel));
    }

    @Test
    void aCommittedTakeReturnsWhatItDidNotHandOutToTheHead() throws Exception {
        // A thread's takes are reserved in runs as long as its previous transaction's; a shorter
        // transaction must leave the rest queued, in order.
        MemoryChannel channel = channel(Map.of());
        putCommitted(channel, "e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9");
        assertEquals(List.of("e0", "e1", "e2", "e3", "e4"), take(channel, 5));
        assertEquals(List.of("e5", "e6"), take(channel, 2));

        assertEquals(3, channel.size());
        assertEquals(List.of("e7", "e8", "e9"), onOtherThread(() -> takeAll(channel)));
    }

    @Test
    void aFirstTakeOnAnEmptyChannelReceivesAnEventCommittedWhileItWaits() throws Exception {
        MemoryChannel channel = channel(Map.of("keep-alive", "3"));
        CompletableFuture<List<String>> sink = CompletableFuture.supplyAsync(() -> take(channel, 5));
        Thread.sleep(100);
        putCommitted(channel, "late");

        // The waiting take got the event; the transaction's later takes did not wait for four more.
        assertEquals(List.of("late"), sink.get(2, TimeUnit.SECONDS));
    }

    @Test
    void anEmptyTakeWaitsAtMostHalfASecondAndLaterTakesDoNotWait() throws Exception {
        MemoryChannel channel = channel(Map.of("keep-alive", "3"));
        long start = System.nanoTime();
        assertEquals(List.of(), take(channel, 10));
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(waitedMillis >= 400 && waitedMillis < 1500, "waited " + waitedMillis + " ms");
    }

    @Test
    void aStoppedChannelHandsOutWhatItHoldsWithoutWaiting() throws Exception {
        MemoryChannel channel = channel(Map.of("keep-alive", "3"));
        putCommitted(channel, "a", "b");
        channel.stop();

        long start = System.nanoTime();
        assertEquals(List.of("a", "b"), take(channel, 10));
        assertEquals(List.of(), take(channel, 10));
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(300), "a stopped channel waited");
    }

    @Test
    void stoppingWakesATakeThatWaits() throws Exception {
        MemoryChannel channel = channel(Map.of("keep-alive", "3"));
        CompletableFuture<List<String>> sink = CompletableFuture.supplyAsync(() -> take(channel, 5));
        Thread.sleep(100);
        long start = System.nanoTime();
        channel.stop();

        assertEquals(List.of(), sink.get(2, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(300), "stop did not wake the take");
    }

    @Test
    void aStoppedChannelRefusesPutsSoNothingIsAcknowledgedIntoIt() throws Exception {
        // The runtime hands a stopped channel's events to its successor: a source thread that outlived its source
        // and put into the old instance would have its events acknowledged and then lost.
        MemoryChannel channel = channel(Map.of());
        putCommitted(channel, "a");
        channel.stop();

        ChannelException refused = assertThrows(ChannelException.class, () -> putCommitted(channel, "late"));
        assertTrue(refused.getMessage().contains("c1") && refused.getMessage().contains("stopped"),
                refused.getMessage());
        assertEquals(List.of("a"), take(channel, 10), "what it held is still handed out, and nothing more");
    }

    @Test
    void stoppingFailsAPutThatWaitsForRoom() throws Exception {
        MemoryChannel channel = channel(Map.of("capacity", "1", "transactionCapacity", "1", "keep-alive", "3"));
        putCommitted(channel, "a");
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> putCommitted(channel, "b"));
        Thread.sleep(100);
        long start = System.nanoTime();
        channel.stop();

        java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> waiting.get(2, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof ChannelException, String.valueOf(failed.getCause()));
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1000), "stop did not wake the put");
        assertEquals(List.of("a"), take(channel, 1));
        assertEquals(List.of(), take(channel, 1));
    }

    @Test
    void aFullChannelRefusesTheCommitAndKeepsWhatItHolds() throws Exception {
        MemoryChannel channel = channel(Map.of("capacity", "3", "transactionCapacity", "3", "keep-alive", "0"));
        putCommitted(channel, "a", "b", "c");

        ChannelFullException full = assertThrows(ChannelFullException.class, () -> putCommitted(channel, "d"));

        assertTrue(full.getMessage().contains("c1"), full.getMessage());
        assertEquals(List.of("a", "b", "c"), takeAll(channel));
    }

    @Test
    void eventsTakenInAnOpenTransactionKeepTheirPlace() throws Exception {
        MemoryChannel channel = channel(Map.of("capacity", "2", "transactionCapacity", "2", "keep-alive", "0"));
        putCommitted(channel, "a", "b");
        Transaction tx = channel.getTransaction();
        tx.begin();
        assertEquals("a", body(channel.take()));

        assertThrows(ChannelFullException.class, () -> onOtherThread(() -> {
            putCommitted(channel, "c");
            return null;
        }));

        tx.commit();
        tx.close();
        onOtherThread(() -> {
            putCommitted(channel, "c");
            return null;
        });
        assertEquals(List.of("b", "c"), takeAll(channel));
    }

    @Test
    void aPutCommitWaitsUpToKeepAliveForRoom() throws Exception {
        MemoryChannel channel = channel(Map.of("capacity", "1", "transactionCapacity", "1", "keep-alive", "1"));
        putCommitted(channel, "a");

        long start = System.nanoTime();
        assertThrows(ChannelFullException.class, () -> putCommitted(channel, "b"));
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(waitedMillis >= 900, "waited " + waitedMillis + " ms for keep-alive = 1 s");
    }

    @Test
    void aWaitingPutCommitSucceedsWhenATakeFreesRoom() throws Exception {
        MemoryChannel channel = channel(Map.of("capacity", "1", "transactionCapacity", "1", "keep-alive", "10"));
        putCommitted(channel, "a");

        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> putCommitted(channel, "b"));
        Thread.sleep(200);
        assertFalse(producer.isDone(), "the put commit waits for room");
        assertEquals(List.of("a"), take(channel, 1));

        producer.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("b"), takeAll(channel));
    }

    @Test
    void aTransactionPutsAtMostTransactionCapacityEvents() throws Exception {
        MemoryChannel channel = channel(Map.of("capacity", "10", "transactionCapacity", "3"));
        ChannelException tooMany = assertThrows(ChannelException.class,
                () -> putCommitted(channel, "a", "b", "c", "d"));

        assertTrue(tooMany.getMessage().contains("c1"), tooMany.getMessage());
        assertTrue(tooMany.getMessage().contains("transactionCapacity"), tooMany.getMessage());
        assertEquals(0, channel.size(), "the failed transaction put nothing");
        putCommitted(channel, "a", "b", "c");
        assertEquals(3, channel.size());
    }

    @Test
    void aTransactionTakesAtMostTransactionCapacityEvents() throws Exception {
        MemoryChannel channel = channel(Map.of("capacity", "10", "transactionCapacity", "3"));
        putCommitted(channel, "a", "b", "c");
        putCommitted(channel, "d");

        Transaction tx = channel.getTransaction();
        tx.begin();
        for (int i = 0; i < 3; i++) {
            channel.take();
        }
        assertThrows(ChannelException.class, channel::take);
        tx.rollback();
        tx.close();

        assertEquals(List.of("a", "b", "c"), take(channel, 3));
    }

    @Test
    void byteCapacityCountsBodiesInHundredByteSlotsAfterTheBuffer() throws Exception {
        // 1250 bytes less 20 % = 1000 bytes = 10 slots.
        MemoryChannel channel = channel(Map.of("byteCapacity", "1250", "keep-alive", "0"));
        putCommitted(channel, bodyOf(500), bodyOf(401));
        assertEquals(10, channel.usedByteSlots());

        assertThrows(ChannelFullException.class, () -> putCommitted(channel, ""), "an empty body takes a slot");
        take(channel, 1);
        putCommitted(channel, bodyOf(100), "", bodyOf(201));

        assertEquals(5 + 1 + 1 + 3, channel.usedByteSlots());
    }

    @Test
    void byteCapacityDefaultsToEightyPercentOfTheHeap() {
        long heap = Runtime.getRuntime().maxMemory();
        assertEquals((long) ((long) (heap * 0.8) * 0.8 / 100),
                MemoryChannelFactory.byteCapacitySlots((long) (heap * 0.8), 20));
        assertEquals(Long.MAX_VALUE, MemoryChannelFactory.byteCapacitySlots(0, 20), "under one slot: no limit");
    }

    @Test
    void reportsSizeAndCapacityButLeavesPutAndTakeCountsToThePlatform() throws Exception {
        MemoryChannel channel = channel(Map.of("capacity", "50", "transactionCapacity", "10"));
        putCommitted(channel, "a", "b", "c");
        take(channel, 1);

        ComponentCounters counters = TestContexts.countersOf(context);
        assertEquals(50, counters.get(ChannelCounter.CHANNEL_CAPACITY));
        assertEquals(2, counters.get(ChannelCounter.CHANNEL_SIZE));
        assertEquals(0, counters.get(ChannelCounter.EVENT_PUT_ATTEMPT));
        assertEquals(0, counters.get(ChannelCounter.EVENT_TAKE_SUCCESS));
    }

    @Test
    void manyProducersAndConsumersNeitherLoseNorDuplicate() throws Exception {
        int producers = 4;
        int perProducer = 20_000;
        MemoryChannel channel = channel(Map.of("capacity", "500", "transactionCapacity", "100", "keep-alive", "5"));
        ExecutorService pool = Executors.newFixedThreadPool(producers * 2);
        try {
            List<Future<?>> producing = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                producing.add(pool.submit(() -> {
                    for (int i = 0; i < perProducer; i += 50) {
                        List<Event> batch = new ArrayList<>();
                        for (int j = i; j < i + 50; j++) {
                            batch.add(event(producer + ":" + j));
                        }
                        putCommitted(channel, batch);
                    }
                    return null;
                }));
            }
            List<Future<Map<String, Integer>>> consuming = new ArrayList<>();
            for (int c = 0; c < producers; c++) {
                int batchSize = 1 + c * 33;
                consuming.add(pool.submit(() -> consume(channel, batchSize, producing)));
            }
            Map<String, Integer> seen = new HashMap<>();
            for (Future<Map<String, Integer>> consumer : consuming) {
                consumer.get(60, TimeUnit.SECONDS).forEach((k, v) -> seen.merge(k, v, Integer::sum));
            }
            for (Future<?> producer : producing) {
                producer.get();
            }

            assertEquals(producers * perProducer, seen.size(), "every event arrived");
            assertTrue(seen.values().stream().allMatch(n -> n == 1), "no event arrived twice");
            assertEquals(0, channel.size());
            assertEquals(0, channel.usedByteSlots());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Takes in transactions of batchSize, rolling back every seventh, until the producers are done and the channel is empty. */
    private static Map<String, Integer> consume(Channel channel, int batchSize, List<Future<?>> producers) {
        Map<String, Integer> seen = new HashMap<>();
        int transactions = 0;
        while (true) {
            boolean producersDone = producers.stream().allMatch(Future::isDone);
            Transaction tx = channel.getTransaction();
            tx.begin();
            List<String> taken = new ArrayList<>();
            for (Event e; taken.size() < batchSize && (e = channel.take()) != null; ) {
                taken.add(body(e));
            }
            if (++transactions % 7 == 0) {
                tx.rollback();
            } else {
                tx.commit();
                taken.forEach(b -> seen.merge(b, 1, Integer::sum));
            }
            tx.close();
            if (taken.isEmpty() && producersDone) {
                return seen;
            }
        }
    }

    @Test
    void rejectsATransactionCapacityAboveCapacity() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> channel(Map.of("capacity", "10", "transactionCapacity", "11")));
        assertEquals("transactionCapacity", e.key());
        assertTrue(e.getMessage().contains("c1"), e.getMessage());
    }

    @Test
    void rejectsNonsenseValuesNamingTheKey() {
        assertEquals("keep-alive", assertThrows(ConfigurationException.class,
                () -> channel(Map.of("keep-alive", "-1"))).key());
        assertEquals("byteCapacityBufferPercentage", assertThrows(ConfigurationException.class,
                () -> channel(Map.of("byteCapacityBufferPercentage", "101"))).key());
    }

    @Test
    void anInvalidCapacityFallsBackToFlumesDefaultAsInFlume() throws Exception {
        // The finding: an invalid capacity failed the channel (and stopped its source and sink), where Flume runs
        // it with its default capacity, 100, and a warning.
        for (String invalid : List.of("0", "-1", "many")) {
            MemoryChannel channel = channel(Map.of("capacity", invalid, "transactionCapacity", invalid,
                    "keep-alive", "0"));
            List<String> hundred = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                hundred.add("e" + i);
            }
            putCommitted(channel, hundred.toArray(new String[0]));
            assertThrows(ChannelFullException.class, () -> putCommitted(channel, "one too many"), invalid);
        }
    }

    @Test
    void flumesDefaultsAreAHundredEventsAndAHundredPerTransaction() throws Exception {
        MemoryChannel channel = channel(Map.of("keep-alive", "0"));
        List<String> hundred = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            hundred.add("e" + i);
        }
        putCommitted(channel, hundred.toArray(new String[0]));
        assertThrows(ChannelFullException.class, () -> putCommitted(channel, "e100"));
        assertEquals(hundred, take(channel, 100));
    }

    // --- helpers

    static Event event(String body) {
        return EventBuilder.withBody(body, StandardCharsets.UTF_8);
    }

    static String body(Event event) {
        return new String(event.getBody(), StandardCharsets.UTF_8);
    }

    private static String bodyOf(int bytes) {
        return "x".repeat(bytes);
    }

    static void putCommitted(Channel channel, String... bodies) {
        List<Event> events = new ArrayList<>();
        for (String body : bodies) {
            events.add(event(body));
        }
        putCommitted(channel, events);
    }

    static void putCommitted(Channel channel, List<Event> events) {
        ChannelTransactions.putCommitted(channel, events);
    }

    static List<String> take(Channel channel, int max) {
        return ChannelTransactions.takeBodies(channel, max);
    }

    /** Everything queued, one event per transaction so any transactionCapacity fits. */
    static List<String> takeAll(Channel channel) {
        return ChannelTransactions.takeAllBodies(channel, 1);
    }

    private static <T> T onOtherThread(java.util.concurrent.Callable<T> work) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(work).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw e;
        } finally {
            thread.shutdownNow();
        }
    }
}

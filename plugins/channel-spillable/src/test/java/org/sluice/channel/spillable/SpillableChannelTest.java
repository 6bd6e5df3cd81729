package org.sluice.channel.spillable;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.api.testkit.ChannelTransactions.putBodies;
import static org.sluice.api.testkit.ChannelTransactions.takeAllBodies;
import static org.sluice.api.testkit.ChannelTransactions.takeBodies;
import static org.sluice.api.testkit.TextEvents.body;
import static org.sluice.api.testkit.TextEvents.event;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.ChannelFullException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.testkit.ChannelTransactions;
import org.sluice.support.log.DurableLogKeys;
import org.sluice.testkit.StartedChannels;
import org.sluice.testkit.StoredBytes;
import org.sluice.testkit.TestContexts;

/**
 * What only the spillable channel does: the order across memory and overflow, what a crash and a clean stop
 * keep, its byte accounting, overflowTimeout, the overflow's files and damage, its keys. The channel contract
 * is in SpillableChannelContractTest.
 */
class SpillableChannelTest {
    @TempDir
    Path data;

    private final SpillableChannelFactory factory = new SpillableChannelFactory();
    @RegisterExtension
    final StartedChannels<SpillableChannel> started = new StartedChannels<>(factory, SpillableChannel.class,
            Map.of("memoryCapacity", "3", "overflowTimeout", "0", "minimumRequiredSpace", "0"));

    /** Small memory, no waiting for it, no free-space floor: tests decide where events go. */
    private SpillableChannel channel(Map<String, String> overrides) throws Exception {
        return started.start(data, overrides);
    }

    private SpillableChannel restart(SpillableChannel channel, Map<String, String> overrides) throws Exception {
        started.stop(channel);
        return channel(overrides);
    }

    /** A crash: the log's files are released without stop() saving the memory. */
    private SpillableChannel crashAndReopen(SpillableChannel channel, Map<String, String> overrides) throws Exception {
        channel.log().close();
        started.forget(channel);
        return channel(overrides);
    }

    @Test
    void takesAreFifoAcrossMemoryAndOverflow() throws Exception {
        SpillableChannel channel = channel(Map.of());
        putBodies(channel, "m1", "m2");       // memory
        putBodies(channel, "o1", "o2");       // no room for two more: overflow
        putBodies(channel, "m3");             // room for one: memory, while the overflow is in use
        putBodies(channel, "o3");             // memory full: overflow
        assertEquals(3, channel.memorySize());
        assertEquals(6, channel.size());
        assertEquals(List.of("m1", "m2", "o1"), takeBodies(channel, 3));
        putBodies(channel, "m4", "m5");
        assertEquals(List.of("o2", "m3", "o3", "m4", "m5"), takeAllBodies(channel, 100));
    }

    @Test
    void rollbackReturnsTakesFromBothStoresInOrder() throws Exception {
        SpillableChannel channel = channel(Map.of());
        putBodies(channel, "m1", "m2", "m3");
        putBodies(channel, "o1", "o2");
        putBodies(channel, "m4"); // memory full: overflow
        Transaction tx = channel.getTransaction();
        tx.begin();
        assertEquals("m1", body(channel.take()));
        assertEquals("m2", body(channel.take()));
        assertEquals("m3", body(channel.take()));
        assertEquals("o1", body(channel.take()));
        tx.rollback();
        tx.close();
        Transaction put = channel.getTransaction();
        put.begin();
        channel.put(event("lost"));
        put.rollback();
        put.close();
        assertEquals(List.of("m1", "m2", "m3", "o1", "o2", "m4"), takeAllBodies(channel, 100));
    }

    @Test
    void aCrashKeepsTheOverflowAndLosesTheMemory() throws Exception {
        SpillableChannel channel = channel(Map.of());
        putBodies(channel, "m1", "m2", "m3");
        putBodies(channel, "o1", "o2");
        assertEquals(List.of("m1"), takeBodies(channel, 1));
        putBodies(channel, "m4");             // memory has room again: it goes there, behind the overflow
        putBodies(channel, "o3");
        assertEquals(List.of("m2", "m3", "o1"), takeBodies(channel, 3));
        Transaction open = channel.getTransaction();
        open.begin();
        channel.put(event("never committed"));
        channel = crashAndReopen(channel, Map.of());
        assertEquals(List.of("o2", "o3"), takeAllBodies(channel, 100), "m4 was in memory");
        channel = crashAndReopen(channel, Map.of());
        assertEquals(List.of(), takeAllBodies(channel, 100), "committed overflow takes stay taken");
    }

    @Test
    void aCleanStopKeepsEverythingInOrder() throws Exception {
        SpillableChannel channel = channel(Map.of());
        putBodies(channel, "m1", "m2");
        putBodies(channel, "o1", "o2");
        putBodies(channel, "m3");
        putBodies(channel, "o3");
        channel = restart(channel, Map.of());
        assertEquals(6, channel.size());
        assertEquals(List.of("m1", "m2", "o1", "o2", "m3", "o3"), takeAllBodies(channel, 100));
    }

    @Test
    void headersAndBodiesSurviveTheOverflow() throws Exception {
        SpillableChannel channel = channel(Map.of("memoryCapacity", "0"));
        Event sent = EventBuilder.withBody("h\u00e9llo".getBytes(StandardCharsets.UTF_8),
                Map.of("host", "w\u00e9b1", "empty", ""));
        ChannelTransactions.putCommitted(channel, List.of(sent, EventBuilder.withBody(new byte[0], Map.of())));
        channel = crashAndReopen(channel, Map.of("memoryCapacity", "0"));
        Transaction tx = channel.getTransaction();
        tx.begin();
        Event got = channel.take();
        Event empty = channel.take();
        tx.commit();
        tx.close();
        assertEquals(sent.getHeaders(), got.getHeaders());
        assertEquals("h\u00e9llo", body(got));
        assertEquals(0, empty.getBody().length);
    }

    @Test
    void memoryFullWithoutOverflowRefusesPutsNamingTheKeys() throws Exception {
        SpillableChannel channel = channel(Map.of("overflowCapacity", "0"));
        putBodies(channel, "a", "b", "c");
        ChannelFullException full = assertThrows(ChannelFullException.class, () -> putBodies(channel, "d"));
        assertTrue(full.getMessage().contains("memoryCapacity = 3") && full.getMessage().contains("overflowCapacity"),
                full.getMessage());
    }

    @Test
    void byteCapacityCountsBodiesInAvgEventSizeSlots() throws Exception {
        // 1000 bytes less 20 %: 800 bytes, 8 slots of 100 bytes.
        SpillableChannel channel = channel(Map.of("memoryCapacity", "100", "byteCapacity", "1000",
                "avgEventSize", "100", "overflowCapacity", "0"));
        putBodies(channel, "x".repeat(400), "x".repeat(301));
        ChannelFullException full = assertThrows(ChannelFullException.class, () -> putBodies(channel, "y"));
        assertTrue(full.getMessage().contains("byteCapacity"), full.getMessage());
    }

    @Test
    void overflowCapacityRefusesPutsNamingTheKey() throws Exception {
        // transactionCapacity may not exceed the overflow's capacity, as in Flume.
        SpillableChannel channel = channel(Map.of("overflowCapacity", "2", "transactionCapacity", "2"));
        putBodies(channel, "m1", "m2");
        putBodies(channel, "m3");
        putBodies(channel, "o1", "o2");
        ChannelFullException full = assertThrows(ChannelFullException.class, () -> putBodies(channel, "o3"));
        assertTrue(full.getMessage().contains("overflowCapacity = 2"), full.getMessage());
        assertEquals(5, channel.size());
    }

    @Test
    void aPutWaitsOverflowTimeoutForMemoryBeforeSpilling() throws Exception {
        SpillableChannel channel = channel(Map.of("overflowTimeout", "5"));
        putBodies(channel, "m1", "m2", "m3");
        FutureTask<Void> put = new FutureTask<>(() -> putBodies(channel, "m4"), null);
        Thread putter = new Thread(put, "putter");
        putter.start();
        await("the put waits for memory").atMost(Duration.ofSeconds(4))
                .until(() -> putter.getState() == Thread.State.TIMED_WAITING || put.isDone());
        assertFalse(put.isDone(), "the put waits for memory instead of spilling at once");
        assertEquals(List.of("m1"), takeBodies(channel, 1));
        put.get(5, TimeUnit.SECONDS);
        assertEquals(3, channel.memorySize(), "it went to memory, not to the overflow");
    }

    @Test
    void fullyTakenFilesAreDeleted() throws Exception {
        SpillableChannel channel = channel(Map.of("memoryCapacity", "0", "maxFileSize", "1024"));
        for (int i = 0; i < 40; i++) {
            putBodies(channel, "event-" + i + "-" + "p".repeat(100));
        }
        assertTrue(logFiles().size() > 3, "the log rolled: " + logFiles());
        assertEquals(40, takeAllBodies(channel, 100).size());
        putBodies(channel, "last");
        assertTrue(logFiles().size() <= 2, "taken files are deleted: " + logFiles());
        channel = crashAndReopen(channel, Map.of("memoryCapacity", "0", "maxFileSize", "1024"));
        assertEquals(List.of("last"), takeAllBodies(channel, 100));
    }

    @Test
    void aTornLastRecordIsDroppedAndADamagedOneSkipped() throws Exception {
        SpillableChannel channel = channel(Map.of("memoryCapacity", "0"));
        putBodies(channel, "a");
        putBodies(channel, "b");
        putBodies(channel, "c");
        channel.log().close();
        started.forget(channel);
        Path file = logFiles().get(0);
        byte[] bytes = Files.readAllBytes(file);
        int second = StoredBytes.offsetOf(bytes, "b");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(second);
            raf.write('X');                    // damages the record of "b"
            raf.setLength(bytes.length - 2);   // cuts the record of "c" short
        }
        channel = channel(Map.of("memoryCapacity", "0"));
        assertEquals(List.of("a"), takeAllBodies(channel, 100));
        assertEquals(1, started.context().counter().get(SpillableChannel.CORRUPT_RECORDS));
    }

    @Test
    void twoChannelsCannotShareDirectories() throws Exception {
        channel(Map.of());
        SpillableChannel second = (SpillableChannel) factory.create(TestContexts.channel("c1",
                Map.of("minimumRequiredSpace", "0"), data));
        ChannelException e = assertThrows(ChannelException.class, second::start);
        assertTrue(String.valueOf(e.getCause()).contains("in use"), String.valueOf(e.getCause()));
    }

    @Test
    void capacityIsMemoryAndOverflowTogether() throws Exception {
        SpillableChannel channel = channel(Map.of("overflowCapacity", "10", "transactionCapacity", "10"));
        putBodies(channel, "a", "b");
        putBodies(channel, "c", "d");
        assertEquals(13, started.context().counter().get(ChannelCounter.CHANNEL_CAPACITY));
        assertEquals(4, started.context().counter().get(ChannelCounter.CHANNEL_SIZE));
    }

    @Test
    void outOfRangeValuesTakeFlumesDefaultOrBoundWhereFlumeDoes() throws Exception {
        // Flume runs these: a negative or unparsable memoryCapacity is 10000 and a bad transactionCapacity 10000,
        // with a warning; a negative overflowTimeout does not wait; a buffer percentage above 100 leaves no byte
        // limit; memoryCapacity and overflowCapacity both 0 take the default overflowCapacity.
        SpillableChannel.Settings settings = channel(Map.of("memoryCapacity", "-1", "transactionCapacity", "0",
                "overflowTimeout", "-1", "byteCapacityBufferPercentage", "101", "maxFileSize", "9999999999"))
                .settings();
        assertEquals(10000, settings.memoryCapacity());
        assertEquals(10000, settings.transactionCapacity());
        assertEquals(0, settings.overflowTimeoutNanos());
        assertEquals(Integer.MAX_VALUE, settings.byteCapacitySlots());
        assertEquals(DurableLogKeys.MIN_REQUIRED_SPACE, settings.minimumRequiredSpace());
        SpillableChannel.Settings nothingHeld = ((SpillableChannel) factory.create(TestContexts.channel("c2",
                Map.of("memoryCapacity", "0", "overflowCapacity", "0"), data))).settings();
        assertEquals(SpillableChannelFactory.DEFAULT_OVERFLOW_CAPACITY, nothingHeld.overflowCapacity());
        SpillableChannel.Settings unparsable = ((SpillableChannel) factory.create(TestContexts.channel("c3",
                Map.of("memoryCapacity", "lots", "overflowCapacity", "many"), data))).settings();
        assertEquals(10000, unparsable.memoryCapacity());
        assertEquals(SpillableChannelFactory.DEFAULT_OVERFLOW_CAPACITY, unparsable.overflowCapacity());
    }

    @Test
    void valuesFlumeRefusesNameTheirKey() {
        // Flume fails these: transactions larger than the overflow (its file channel's Preconditions), an
        // fsyncInterval of 0 when the timer is used (the scheduler refuses it). Sluice also refuses an
        // avgEventSize below 1, which makes every put of Flume's fail, and files too small for a record.
        assertKey("transactionCapacity", Map.of("overflowCapacity", "10"));
        assertKey("fsyncInterval", Map.of("fsyncPerTransaction", "false", "fsyncInterval", "0"));
        assertKey("avgEventSize", Map.of("avgEventSize", "0"));
        assertKey("maxFileSize", Map.of("maxFileSize", "10"));
        assertKey("encryption.activeKey", Map.of("encryption.activeKey", "k"));
    }

    private void assertKey(String key, Map<String, String> properties) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> factory.create(TestContexts.channel("c1", properties, data)));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    private List<Path> logFiles() throws Exception {
        try (Stream<Path> files = Files.list(data.resolve(TestContexts.AGENT).resolve("c1").resolve("data"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(OverflowLog.PREFIX)).sorted().toList();
        }
    }
}

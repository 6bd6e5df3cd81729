package org.sluice.channel.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.api.testkit.ChannelTransactions.putBodies;
import static org.sluice.api.testkit.ChannelTransactions.takeBodies;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.ChannelFullException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.component.ConfigurationException;
import org.sluice.testkit.TestContexts;

/** What only the memory channel does: its byte accounting, its keys' checks and Flume's defaults. The channel contract is in MemoryChannelContractTest. */
class MemoryChannelTest {
    @TempDir
    Path data;

    private final MemoryChannelFactory factory = new MemoryChannelFactory();

    private MemoryChannel channel(Map<String, String> properties) throws Exception {
        MemoryChannel channel = (MemoryChannel) factory.create(TestContexts.channel("c1", properties, data));
        channel.start();
        return channel;
    }

    @Test
    void byteCapacityCountsBodiesInHundredByteSlotsAfterTheBuffer() throws Exception {
        // 1250 bytes less 20 % = 1000 bytes = 10 slots.
        MemoryChannel channel = channel(Map.of("byteCapacity", "1250", "keep-alive", "0"));
        putBodies(channel, bodyOf(500), bodyOf(401));
        assertEquals(10, channel.usedByteSlots());

        assertThrows(ChannelFullException.class, () -> putBodies(channel, ""), "an empty body takes a slot");
        takeBodies(channel, 1);
        putBodies(channel, bodyOf(100), "", bodyOf(201));

        assertEquals(5 + 1 + 1 + 3, channel.usedByteSlots());
    }

    @Test
    void eachEventKeepsItsByteSlotsThroughRollbackAndPartlyTakenRuns() throws Exception {
        MemoryChannel channel = channel(Map.of("byteCapacity", "1250", "keep-alive", "0"));
        putBodies(channel, "a", bodyOf(201));
        assertEquals(List.of("a", bodyOf(201)), takeBodies(channel, 2));
        // This thread's takes now reserve runs of two events: c and d leave the queue together.
        putBodies(channel, bodyOf(100), bodyOf(401));
        assertEquals(1 + 5, channel.usedByteSlots());

        Transaction rolledBack = channel.getTransaction();
        rolledBack.begin();
        assertEquals(bodyOf(100), new String(channel.take().getBody(), StandardCharsets.UTF_8));
        rolledBack.rollback();
        rolledBack.close();
        assertEquals(1 + 5, channel.usedByteSlots(), "a rolled back take frees nothing");

        assertEquals(List.of(bodyOf(100)), takeBodies(channel, 1));
        assertEquals(5, channel.usedByteSlots(), "the committed take frees its own event's slot, not its run's");
        putBodies(channel, bodyOf(500));
        assertThrows(ChannelFullException.class, () -> putBodies(channel, ""), "the 401 bytes still count 5 slots");

        assertEquals(List.of(bodyOf(401), bodyOf(500)), takeBodies(channel, 2));
        assertEquals(0, channel.usedByteSlots());
    }

    @Test
    void byteCapacityDefaultsToEightyPercentOfTheHeap() {
        long heap = Runtime.getRuntime().maxMemory();
        assertEquals((long) ((long) (heap * 0.8) * 0.8 / 100),
                MemoryChannelFactory.byteCapacitySlots((long) (heap * 0.8), 20));
        assertEquals(Long.MAX_VALUE, MemoryChannelFactory.byteCapacitySlots(0, 20), "under one slot: no limit");
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
            putBodies(channel, hundred.toArray(new String[0]));
            assertThrows(ChannelFullException.class, () -> putBodies(channel, "one too many"), invalid);
        }
    }

    @Test
    void flumesDefaultsAreAHundredEventsAndAHundredPerTransaction() throws Exception {
        MemoryChannel channel = channel(Map.of("keep-alive", "0"));
        List<String> hundred = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            hundred.add("e" + i);
        }
        putBodies(channel, hundred.toArray(new String[0]));
        assertThrows(ChannelFullException.class, () -> putBodies(channel, "e100"));
        assertEquals(hundred, takeBodies(channel, 100));
    }

    private static String bodyOf(int bytes) {
        return "x".repeat(bytes);
    }
}

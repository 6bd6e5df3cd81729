package org.sluice.flume.counters;

import java.util.Map;
import java.util.Set;

import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.counter.SourceCounter;

/**
 * The keys Flume 1.11's counter classes keep their values under ({@code src.events.received}), and the names those
 * values have in Flume's JMX attributes and HTTP JSON ({@code EventReceivedCount}), which are Sluice's counter names.
 * A key not listed here (a plugin's own counter subclass) keeps its key as its name.
 */
public final class FlumeCounterNames {
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("src.events.received", SourceCounter.EVENT_RECEIVED),
            Map.entry("src.events.accepted", SourceCounter.EVENT_ACCEPTED),
            Map.entry("src.append.received", SourceCounter.APPEND_RECEIVED),
            Map.entry("src.append.accepted", SourceCounter.APPEND_ACCEPTED),
            Map.entry("src.append-batch.received", SourceCounter.APPEND_BATCH_RECEIVED),
            Map.entry("src.append-batch.accepted", SourceCounter.APPEND_BATCH_ACCEPTED),
            Map.entry("src.open-connection.count", SourceCounter.OPEN_CONNECTIONS),
            Map.entry("src.event.read.fail", SourceCounter.EVENT_READ_FAIL),
            Map.entry("src.generic.processing.fail", SourceCounter.GENERIC_PROCESSING_FAIL),
            Map.entry("src.channel.write.fail", SourceCounter.CHANNEL_WRITE_FAIL),
            Map.entry("sink.connection.creation.count", SinkCounter.CONNECTION_CREATED),
            Map.entry("sink.connection.closed.count", SinkCounter.CONNECTION_CLOSED),
            Map.entry("sink.connection.failed.count", SinkCounter.CONNECTION_FAILED),
            Map.entry("sink.batch.empty", SinkCounter.BATCH_EMPTY),
            Map.entry("sink.batch.underflow", SinkCounter.BATCH_UNDERFLOW),
            Map.entry("sink.batch.complete", SinkCounter.BATCH_COMPLETE),
            Map.entry("sink.event.drain.attempt", SinkCounter.EVENT_DRAIN_ATTEMPT),
            // Flume's own spelling of the key.
            Map.entry("sink.event.drain.sucess", SinkCounter.EVENT_DRAIN_SUCCESS),
            Map.entry("sink.event.write.fail", SinkCounter.EVENT_WRITE_FAIL),
            Map.entry("sink.channel.read.fail", SinkCounter.CHANNEL_READ_FAIL),
            Map.entry("channel.current.size", ChannelCounter.CHANNEL_SIZE),
            Map.entry("channel.capacity", ChannelCounter.CHANNEL_CAPACITY),
            Map.entry("channel.event.put.attempt", ChannelCounter.EVENT_PUT_ATTEMPT),
            Map.entry("channel.event.put.success", ChannelCounter.EVENT_PUT_SUCCESS),
            Map.entry("channel.event.take.attempt", ChannelCounter.EVENT_TAKE_ATTEMPT),
            Map.entry("channel.event.take.success", ChannelCounter.EVENT_TAKE_SUCCESS));

    /**
     * The channel counters Sluice's runtime keeps for every channel around each transaction; a Flume channel's own
     * counts of them would count every put and take twice.
     */
    private static final Set<String> COUNTED_BY_PLATFORM = Set.of(ChannelCounter.EVENT_PUT_ATTEMPT,
            ChannelCounter.EVENT_PUT_SUCCESS, ChannelCounter.EVENT_TAKE_ATTEMPT, ChannelCounter.EVENT_TAKE_SUCCESS);

    private FlumeCounterNames() {
    }

    /** Sluice's (and Flume's JMX) name of a Flume counter key. */
    public static String nameOf(String flumeKey) {
        return NAMES.getOrDefault(flumeKey, flumeKey);
    }

    static boolean countedByPlatform(String name) {
        return COUNTED_BY_PLATFORM.contains(name);
    }
}

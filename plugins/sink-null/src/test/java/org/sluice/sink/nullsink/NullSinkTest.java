package org.sluice.sink.nullsink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.api.testkit.TestChannel;
import org.sluice.support.sink.FaultyChannel;
import org.sluice.testkit.TestContexts;

class NullSinkTest {
    @TempDir
    Path data;

    private final NullSinkFactory factory = new NullSinkFactory();

    @Test
    void drainsInBatchesOfBatchSizeAndBacksOffWhenEmpty() throws Exception {
        TestChannel channel = new TestChannel(1000);
        channel.putCommitted(events(250));
        SinkContext context = TestContexts.sink("k1", Map.of("batchSize", "100"), channel, data);
        Sink sink = factory.create(context);
        sink.start();

        assertEquals(Sink.Status.READY, sink.process());
        assertEquals(150, channel.size());
        assertEquals(Sink.Status.READY, sink.process());
        assertEquals(Sink.Status.READY, sink.process());
        assertEquals(0, channel.size());
        assertEquals(Sink.Status.BACKOFF, sink.process());
        sink.stop();

        ComponentCounters counters = TestContexts.countersOf(context);
        assertEquals(250, counters.get(SinkCounter.EVENT_DRAIN_ATTEMPT));
        assertEquals(250, counters.get(SinkCounter.EVENT_DRAIN_SUCCESS));
        assertEquals(2, counters.get(SinkCounter.BATCH_COMPLETE));
        assertEquals(1, counters.get(SinkCounter.BATCH_UNDERFLOW));
        assertEquals(1, counters.get(SinkCounter.BATCH_EMPTY));
        assertEquals(4, channel.commits() - 1, "one committed take per process() after the put");
    }

    @Test
    void defaultBatchIsFlumes100() throws Exception {
        TestChannel channel = new TestChannel(1000);
        channel.putCommitted(events(101));
        Sink sink = factory.create(TestContexts.sink("k1", Map.of(), channel, data));

        sink.process();

        assertEquals(1, channel.size());
    }

    @Test
    void channelFailureRollsBackAndKeepsEvents() throws Exception {
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(events(10));
        SinkContext context = TestContexts.sink("k1", Map.of("batchSize", "10"),
                new FaultyChannel(channel).failTakesAfter(5), data);
        Sink sink = factory.create(context);

        EventDeliveryException failure = assertThrows(EventDeliveryException.class, sink::process);

        assertTrue(failure.getMessage().contains("k1"), failure.getMessage());
        assertEquals(10, channel.size());
        assertEquals(1, channel.rollbacks());
        ComponentCounters counters = TestContexts.countersOf(context);
        assertEquals(1, counters.get(SinkCounter.CHANNEL_READ_FAIL));
        assertEquals(0, counters.get(SinkCounter.EVENT_DRAIN_SUCCESS));
    }

    @Test
    void rejectsABatchSizeBelowOne() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> factory.create(TestContexts.sink("k1", Map.of("batchSize", "0"), new TestChannel(1), data)));
        assertEquals("batchSize", e.key());
    }

    static List<Event> events(int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(EventBuilder.withBody("e" + i, StandardCharsets.UTF_8));
        }
        return events;
    }
}

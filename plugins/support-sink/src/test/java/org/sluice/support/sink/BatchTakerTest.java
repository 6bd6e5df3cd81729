package org.sluice.support.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink.Status;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.testkit.TestChannel;
import org.sluice.testkit.TestContexts;

class BatchTakerTest {
    @TempDir
    Path data;

    private final TestChannel events = new TestChannel(100);
    private final FaultyChannel channel = new FaultyChannel(events);
    private final Recorder writer = new Recorder(channel.calls());

    @Test
    void aBatchIsWrittenFlushedAndThenCommitted() throws Exception {
        events.putCommitted(events(5));
        SinkContext context = context();
        BatchTaker taker = new BatchTaker(context, 3, "test sink k1");

        assertEquals(Status.READY, taker.takeBatch(writer));
        assertEquals(List.of("write e0", "write e1", "write e2", "flush 3", "commit", "committed 3"), channel.calls());
        assertEquals(2, events.size());

        channel.calls().clear();
        assertEquals(Status.READY, taker.takeBatch(writer));
        assertEquals(List.of("write e3", "write e4", "flush 2", "commit", "committed 2"), channel.calls());

        channel.calls().clear();
        // An empty channel: the commit still happens (the transaction is done), and the runner backs off.
        assertEquals(Status.BACKOFF, taker.takeBatch(writer));
        assertEquals(List.of("flush 0", "commit", "committed 0"), channel.calls());

        var counters = TestContexts.countersOf(context);
        assertEquals(5, counters.get(SinkCounter.EVENT_DRAIN_ATTEMPT));
        assertEquals(5, counters.get(SinkCounter.EVENT_DRAIN_SUCCESS));
        assertEquals(1, counters.get(SinkCounter.BATCH_COMPLETE));
        assertEquals(1, counters.get(SinkCounter.BATCH_UNDERFLOW));
        assertEquals(1, counters.get(SinkCounter.BATCH_EMPTY));
        assertEquals(1 + 3, events.commits(), "the put, then the three batches");
    }

    @Test
    void aWriteThatFailsIsAbandonedRolledBackAndCountedAsTheWritersFailure() throws Exception {
        events.putCommitted(events(5));
        SinkContext context = context();
        writer.failWriteOf = "e2";

        EventDeliveryException failure = assertThrows(EventDeliveryException.class,
                () -> new BatchTaker(context, 5, "test sink k1").takeBatch(writer));

        assertEquals("test sink k1 could not deliver a batch of 3 events to test destination; they stay in the "
                + "channel", failure.getMessage());
        assertTrue(failure.getCause() instanceof IOException);
        assertEquals(List.of("write e0", "write e1", "write e2", "abandon IOException", "rollback"), channel.calls());
        // Every event is back, in its order.
        assertEquals(List.of("e0", "e1", "e2", "e3", "e4"), bodies(events.drain()));
        var counters = TestContexts.countersOf(context);
        assertEquals(1, counters.get(SinkCounter.EVENT_WRITE_FAIL));
        assertEquals(0, counters.get(SinkCounter.CHANNEL_READ_FAIL));
        assertEquals(3, counters.get(SinkCounter.EVENT_DRAIN_ATTEMPT));
        assertEquals(0, counters.get(SinkCounter.EVENT_DRAIN_SUCCESS));
    }

    @Test
    void aFlushThatFailsKeepsTheEventsInTheChannel() {
        events.putCommitted(events(2));
        writer.failFlush = true;

        assertThrows(EventDeliveryException.class, () -> new BatchTaker(context(), 5, "k1").takeBatch(writer));

        assertEquals(List.of("write e0", "write e1", "flush 2", "abandon IOException", "rollback"), channel.calls());
        assertEquals(2, events.size());
    }

    @Test
    void aTakeOrCommitThatFailsIsCountedAsTheChannelsFailure() {
        events.putCommitted(events(4));
        SinkContext context = context();
        channel.failTakesAfter(1);
        assertThrows(EventDeliveryException.class, () -> new BatchTaker(context, 4, "k1").takeBatch(writer));
        assertEquals(List.of("write e0", "abandon ChannelException", "rollback"), channel.calls());

        channel.calls().clear();
        channel.failTakesAfter(Integer.MAX_VALUE).failNextCommit();
        assertThrows(EventDeliveryException.class, () -> new BatchTaker(context, 4, "k1").takeBatch(writer));
        assertEquals(List.of("write e0", "write e1", "write e2", "write e3", "flush 4", "abandon ChannelException",
                "rollback"), channel.calls());

        assertEquals(4, events.size());
        var counters = TestContexts.countersOf(context);
        assertEquals(2, counters.get(SinkCounter.CHANNEL_READ_FAIL));
        assertEquals(0, counters.get(SinkCounter.EVENT_WRITE_FAIL));
    }

    @Test
    void aFailingRollbackOrAbandonDoesNotHideTheFirstCause() {
        events.putCommitted(events(1));
        writer.failWriteOf = "e0";
        writer.failAbandon = true;
        channel.failRollbacks();

        EventDeliveryException failure = assertThrows(EventDeliveryException.class,
                () -> new BatchTaker(context(), 5, "k1").takeBatch(writer));

        assertTrue(failure.getCause() instanceof IOException);
        assertEquals(2, failure.getCause().getSuppressed().length);
        // The abandon threw, and the rollback was still attempted.
        assertEquals(List.of("write e0", "abandon IOException", "rollback"), channel.calls());
    }

    @Test
    void anErrorIsRethrownAsItIsAfterTheRollback() {
        events.putCommitted(events(1));
        OutOfMemoryError error = new OutOfMemoryError("test");
        BatchWriter failing = event -> {
            throw error;
        };
        assertSame(error, assertThrows(OutOfMemoryError.class, () -> new BatchTaker(context(), 5, "k1")
                .takeBatch(failing)));
        assertEquals(1, events.size());
        assertEquals(1, events.rollbacks());
    }

    @Test
    void aWritersOwnDeliveryExceptionIsPassedOnAsItIs() {
        events.putCommitted(events(1));
        EventDeliveryException refused = new EventDeliveryException("test: the peer answered FAILED");
        BatchWriter writer = new BatchWriter() {
            @Override
            public void write(Event event) {
                // Collected for one request, sent by flush.
            }

            @Override
            public void flush(int written) throws EventDeliveryException {
                throw refused;
            }
        };
        SinkContext context = context();
        assertSame(refused, assertThrows(EventDeliveryException.class,
                () -> new BatchTaker(context, 5, "k1").takeBatch(writer)));
        assertEquals(1, events.size());
        assertEquals(1, TestContexts.countersOf(context).get(SinkCounter.EVENT_WRITE_FAIL));
    }

    @Test
    void aBatchSizeBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BatchTaker(context(), 0, "k1"));
    }

    private SinkContext context() {
        return TestContexts.sink("k1", Map.of(), channel, data);
    }

    private static List<Event> events(int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(EventBuilder.withBody("e" + i, StandardCharsets.UTF_8));
        }
        return events;
    }

    private static List<String> bodies(List<Event> events) {
        return events.stream().map(e -> new String(e.getBody(), StandardCharsets.UTF_8)).toList();
    }

    /** A writer that records what it is asked to do, and fails where told. */
    private static final class Recorder implements BatchWriter {
        private final List<String> calls;
        String failWriteOf;
        boolean failFlush;
        boolean failAbandon;

        Recorder(List<String> calls) {
            this.calls = calls;
        }

        @Override
        public void write(Event event) throws IOException {
            String body = new String(event.getBody(), StandardCharsets.UTF_8);
            calls.add("write " + body);
            if (body.equals(failWriteOf)) {
                throw new IOException("test: write failed");
            }
        }

        @Override
        public void flush(int written) throws IOException {
            calls.add("flush " + written);
            if (failFlush) {
                throw new IOException("test: flush failed");
            }
        }

        @Override
        public void committed(int written) {
            calls.add("committed " + written);
        }

        @Override
        public String destination() {
            return "test destination";
        }

        @Override
        public void abandon(Throwable cause) {
            calls.add("abandon " + cause.getClass().getSimpleName());
            if (failAbandon) {
                throw new IllegalStateException("test: abandon failed");
            }
        }
    }
}

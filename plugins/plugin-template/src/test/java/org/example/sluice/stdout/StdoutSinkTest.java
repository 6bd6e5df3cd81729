package org.example.sluice.stdout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.testkit.Contexts;
import org.sluice.api.testkit.TestChannel;
import org.sluice.api.testkit.TextEvents;

/**
 * The sink's unit test, on Sluice's API test kit (org.sluice:org.sluice.api.testkit, test scope): a context as
 * the agent would make it from the keys given here, and a transactional channel to take from.
 */
class StdoutSinkTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final TestChannel channel = new TestChannel(100);

    private SinkContext context(Map<String, String> properties) {
        return Contexts.API_ONLY.sink("k1", properties, channel, null);
    }

    @Test
    void printsEachBodyAsALineInBatchesAndBacksOffWhenEmpty() throws Exception {
        SinkContext context = context(Map.of("batchSize", "2"));
        channel.putCommitted(TextEvents.events("one", "two", "three"));
        Sink sink = sinkPrintingTo(context, new PrintStream(printed, false, StandardCharsets.UTF_8));

        assertEquals(Sink.Status.READY, sink.process());
        assertEquals(Sink.Status.READY, sink.process());
        assertEquals(Sink.Status.BACKOFF, sink.process());

        assertEquals("one\ntwo\nthree\n", printed.toString(StandardCharsets.UTF_8));
        assertEquals(3, context.counter().get(SinkCounter.EVENT_DRAIN_SUCCESS));
        assertEquals(1, context.counter().get(SinkCounter.BATCH_COMPLETE));
        assertEquals(1, context.counter().get(SinkCounter.BATCH_UNDERFLOW));
        assertEquals(1, context.counter().get(SinkCounter.BATCH_EMPTY));
    }

    @Test
    void printsHeadersWhenAsked() throws Exception {
        SinkContext context = context(Map.of("printHeaders", "true"));
        channel.putCommitted(List.of(EventBuilder.withBody("body", StandardCharsets.UTF_8, Map.of("host", "web1"))));
        Sink sink = sinkPrintingTo(context, new PrintStream(printed, false, StandardCharsets.UTF_8));

        sink.process();

        assertEquals("{host=web1} body\n", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFailedWriteRollsBackSoTheEventsStayInTheChannel() throws Exception {
        SinkContext context = context(Map.of());
        List<Event> events = TextEvents.events("one", "two");
        channel.putCommitted(events);
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("test: pipe closed");
            }
        };
        Sink sink = sinkPrintingTo(context, new PrintStream(broken));

        assertThrows(EventDeliveryException.class, sink::process);

        assertEquals(1, channel.rollbacks());
        assertEquals(events, channel.drain(), "both events are back in the channel, in order");
        assertEquals(1, context.counter().get(SinkCounter.EVENT_WRITE_FAIL));
        assertEquals(0, context.counter().get(SinkCounter.EVENT_DRAIN_SUCCESS));
    }

    @Test
    void refusesABatchSizeBelowOneNamingTheKey() {
        SinkContext context = context(Map.of("batchSize", "0"));

        // The bound is the element's @Range: the kit's view refuses the value as the agent's and validate do.
        ConfigurationException refused = assertThrows(ConfigurationException.class,
                () -> context.config(StdoutSinkFactory.Config.class));
        assertEquals("batchSize", refused.key());
        assertTrue(refused.getMessage().contains("must be at least 1, was 0"), refused.getMessage());

        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new StdoutSinkFactory().create(context));
        assertEquals("batchSize", e.key());
    }

    private static Sink sinkPrintingTo(SinkContext context, PrintStream out) throws ConfigurationException {
        StdoutSinkFactory.Config config = context.config(StdoutSinkFactory.Config.class);
        return new StdoutSink(context.channel(), context.counter(), out, config.batchSize(), config.printHeaders());
    }
}

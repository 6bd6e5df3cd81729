package org.example.sluice.stdout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

class StdoutSinkTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @Test
    void printsEachBodyAsALineInBatchesAndBacksOffWhenEmpty() throws Exception {
        FakeSinkContext context = new FakeSinkContext(Map.of("batchSize", "2"));
        List.of("one", "two", "three").forEach(body -> context.channel().add(event(body)));
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
        FakeSinkContext context = new FakeSinkContext(Map.of("printHeaders", "true"));
        context.channel().add(EventBuilder.withBody("body", StandardCharsets.UTF_8, Map.of("host", "web1")));
        Sink sink = sinkPrintingTo(context, new PrintStream(printed, false, StandardCharsets.UTF_8));

        sink.process();

        assertEquals("{host=web1} body\n", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFailedWriteRollsBackSoTheEventsStayInTheChannel() throws Exception {
        FakeSinkContext context = new FakeSinkContext(Map.of());
        Event first = event("one");
        Event second = event("two");
        context.channel().add(first);
        context.channel().add(second);
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("test: pipe closed");
            }
        };
        Sink sink = sinkPrintingTo(context, new PrintStream(broken));

        assertThrows(EventDeliveryException.class, sink::process);

        assertEquals(List.of(first, second), context.channel().contents());
        assertEquals(1, context.counter().get(SinkCounter.EVENT_WRITE_FAIL));
        assertEquals(0, context.counter().get(SinkCounter.EVENT_DRAIN_SUCCESS));
    }

    @Test
    void rejectsABatchSizeBelowOneNamingTheKey() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new StdoutSinkFactory().create(new FakeSinkContext(Map.of("batchSize", "0"))));
        assertEquals("batchSize", e.key());
    }

    private static Sink sinkPrintingTo(FakeSinkContext context, PrintStream out) throws ConfigurationException {
        StdoutSinkFactory.Config config = context.config(StdoutSinkFactory.Config.class);
        return new StdoutSink(context.channel(), context.counter(), out, config.batchSize(), config.printHeaders());
    }

    private static Event event(String body) {
        return EventBuilder.withBody(body, StandardCharsets.UTF_8);
    }
}

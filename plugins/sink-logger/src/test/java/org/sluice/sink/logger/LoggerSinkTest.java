package org.sluice.sink.logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.api.testkit.TestChannel;
import org.sluice.testkit.TestContexts;

class LoggerSinkTest {
    @TempDir
    Path data;

    private final List<LogEvent> logged = new CopyOnWriteArrayList<>();
    private LoggerContext logContext;
    private AbstractAppender capture;

    @BeforeEach
    void captureTheSinksLogger() {
        logContext = (LoggerContext) LogManager.getContext(false);
        capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                logged.add(event.toImmutable());
            }
        };
        capture.start();
        Configuration configuration = logContext.getConfiguration();
        LoggerConfig loggerConfig = new LoggerConfig(LoggerSink.LOGGER_NAME, Level.INFO, false);
        loggerConfig.addAppender(capture, Level.ALL, null);
        configuration.addLogger(LoggerSink.LOGGER_NAME, loggerConfig);
        logContext.updateLoggers();
    }

    @AfterEach
    void release() {
        logContext.getConfiguration().removeLogger(LoggerSink.LOGGER_NAME);
        logContext.updateLoggers();
        capture.stop();
    }

    @Test
    void logsLikeFlumesUserGuideExample() throws Exception {
        drain(Map.of(), EventBuilder.withBody("Hello world!\r", StandardCharsets.US_ASCII));

        assertEquals(List.of("Event: { headers:{} body: 48 65 6C 6C 6F 20 77 6F 72 6C 64 21 0D          Hello world!. }"),
                messages());
        LogEvent line = logged.get(0);
        assertEquals(Level.INFO, line.getLevel());
        assertEquals("org.apache.flume.sink.LoggerSink", line.getLoggerName());
    }

    @Test
    void showsHeadersAndOnlyTheFirst16BytesByDefault() throws Exception {
        drain(Map.of(), EventBuilder.withBody("abcdefghijklmnopqrstuvwxyz", StandardCharsets.US_ASCII,
                Map.of("host", "web1")));

        assertEquals(List.of("Event: { headers:{host=web1} body: 61 62 63 64 65 66 67 68 69 6A 6B 6C 6D 6E 6F 70 "
                + "abcdefghijklmnop }"), messages());
    }

    @Test
    void maxBytesToLogBeyondOneLineAddsLinesWithTheirOffset() throws Exception {
        drain(Map.of("maxBytesToLog", "20"), EventBuilder.withBody("abcdefghijklmnopqrstuvwxyz",
                StandardCharsets.US_ASCII));

        String eol = System.lineSeparator();
        assertEquals(List.of("Event: { headers:{} body: 61 62 63 64 65 66 67 68 69 6A 6B 6C 6D 6E 6F 70 abcdefghijklmnop"
                + eol + "00000010 71 72 73 74" + " ".repeat(12 * 3 + 1) + "qrst }"), messages());
    }

    @Test
    void nonPrintableBytesShowAsDotsAndAnEmptyBodyAsNothing() throws Exception {
        drain(Map.of(), EventBuilder.withBody(new byte[] {0x00, (byte) 0xC3, (byte) 0xA9, 0x7F, 0x41}),
                EventBuilder.withBody(new byte[0]));

        assertEquals(List.of("Event: { headers:{} body: 00 C3 A9 7F 41" + " ".repeat(11 * 3 + 1) + "....A }",
                "Event: { headers:{} body: }"), messages());
    }

    @Test
    void takesOneEventPerTransactionLikeFlumeUnlessBatchSizeIsSet() throws Exception {
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(events(5));
        SinkContext context = TestContexts.sink("k1", Map.of(), channel, data);
        Sink sink = new LoggerSinkFactory().create(context);

        assertEquals(Sink.Status.READY, sink.process());
        assertEquals(4, channel.size());

        Sink batching = new LoggerSinkFactory().create(TestContexts.sink("k2", Map.of("batchSize", "3"), channel, data));
        assertEquals(Sink.Status.READY, batching.process());
        assertEquals(1, channel.size());
        assertEquals(4, logged.size());
    }

    @Test
    void countsDrainsAndBatchesAndBacksOffWhenTheChannelIsEmpty() throws Exception {
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(events(4));
        SinkContext context = TestContexts.sink("k1", Map.of("batchSize", "3"), channel, data);
        Sink sink = new LoggerSinkFactory().create(context);

        assertEquals(Sink.Status.READY, sink.process());
        assertEquals(Sink.Status.READY, sink.process());
        assertEquals(Sink.Status.BACKOFF, sink.process());

        ComponentCounters counters = TestContexts.countersOf(context);
        assertEquals(4, counters.get(SinkCounter.EVENT_DRAIN_ATTEMPT));
        assertEquals(4, counters.get(SinkCounter.EVENT_DRAIN_SUCCESS));
        assertEquals(1, counters.get(SinkCounter.BATCH_COMPLETE));
        assertEquals(1, counters.get(SinkCounter.BATCH_UNDERFLOW));
        assertEquals(1, counters.get(SinkCounter.BATCH_EMPTY));
        assertEquals(0, channel.size());
    }

    @Test
    void rejectsANegativeMaxBytesToLog() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> new LoggerSinkFactory()
                .create(TestContexts.sink("k1", Map.of("maxBytesToLog", "-1"), new TestChannel(1), data)));
        assertEquals("maxBytesToLog", e.key());
    }

    private void drain(Map<String, String> properties, Event... events) throws Exception {
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(List.of(events));
        Sink sink = new LoggerSinkFactory().create(TestContexts.sink("k1", properties, channel, data));
        sink.start();
        while (sink.process() == Sink.Status.READY) {
            // until the channel is empty
        }
        sink.stop();
        assertEquals(0, channel.size());
    }

    private List<String> messages() {
        List<String> out = new ArrayList<>();
        logged.forEach(e -> out.add(e.getMessage().getFormattedMessage()));
        return out;
    }

    private static List<Event> events(int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(EventBuilder.withBody("e" + i, StandardCharsets.UTF_8));
        }
        return events;
    }
}

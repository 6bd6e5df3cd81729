package org.sluice.source.seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.source.PollableSource;
import org.sluice.api.source.PollableSource.Status;
import org.sluice.api.source.SourceContext;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

class SequenceGeneratorSourceTest {
    @TempDir
    Path data;

    private final RecordingChannelProcessor processor = new RecordingChannelProcessor();
    private SourceContext context;

    private PollableSource source(Map<String, String> properties) throws ConfigurationException {
        context = TestContexts.source("r1", properties, processor, data);
        return (PollableSource) new SequenceGeneratorSourceFactory().create(context);
    }

    private List<String> bodies() {
        return processor.accepted().stream().map(e -> new String(e.getBody(), StandardCharsets.US_ASCII))
                .collect(Collectors.toList());
    }

    private static List<String> numbers(long from, long to) {
        return LongStream.range(from, to).mapToObj(Long::toString).collect(Collectors.toList());
    }

    @Test
    void sendsBatchSizeNumbersPerCallThenBacksOffAtTotalEvents() throws Exception {
        PollableSource source = source(Map.of("batchSize", "4", "totalEvents", "10"));

        assertEquals(Status.READY, source.process());
        assertEquals(numbers(0, 4), bodies());
        assertEquals(Status.READY, source.process());
        assertEquals(Status.BACKOFF, source.process(), "only 2 were left");
        assertEquals(Status.BACKOFF, source.process());

        assertEquals(numbers(0, 10), bodies());
        ComponentCounters counters = TestContexts.countersOf(context);
        assertEquals(10, counters.get(SourceCounter.EVENT_ACCEPTED));
        assertEquals(3, counters.get(SourceCounter.APPEND_BATCH_ACCEPTED));
    }

    @Test
    void flumesDefaultsAreOneEventPerCallWithoutEnd() throws Exception {
        PollableSource source = source(Map.of());
        for (int i = 0; i < 5; i++) {
            assertEquals(Status.READY, source.process());
        }
        assertEquals(numbers(0, 5), bodies());
        assertEquals(1000L, source.backoffSleepIncrement());
        assertEquals(5000L, source.maxBackoffSleep());
        assertEquals(0, TestContexts.countersOf(context).get(SourceCounter.APPEND_BATCH_ACCEPTED),
                "single events are not batches, as in Flume");
    }

    @Test
    void aRefusedBatchIsRetriedWithTheSameNumbers() throws Exception {
        PollableSource source = source(Map.of("batchSize", "3", "totalEvents", "6"));
        assertEquals(Status.READY, source.process());
        processor.failNext(2);

        assertEquals(Status.BACKOFF, source.process());
        assertEquals(Status.BACKOFF, source.process());
        assertEquals(Status.READY, source.process());

        assertEquals(numbers(0, 6), bodies(), "no number skipped or repeated");
        ComponentCounters counters = TestContexts.countersOf(context);
        assertEquals(2, counters.get(SourceCounter.CHANNEL_WRITE_FAIL));
        assertEquals(6, counters.get(SourceCounter.EVENT_ACCEPTED));
    }

    @Test
    void aRefusedSingleEventIsRetried() throws Exception {
        PollableSource source = source(Map.of("totalEvents", "2"));
        processor.failNext(1);

        assertEquals(Status.BACKOFF, source.process());
        assertEquals(Status.READY, source.process());
        assertEquals(Status.READY, source.process());
        assertEquals(Status.BACKOFF, source.process());

        assertEquals(numbers(0, 2), bodies());
    }

    @Test
    void readsFlumesPollableSourceBackoffKeys() throws Exception {
        PollableSource source = source(Map.of("backoffSleepIncrement", "50", "maxBackoffSleep", "300"));
        assertEquals(50L, source.backoffSleepIncrement());
        assertEquals(300L, source.maxBackoffSleep());
    }

    @Test
    void refusesABatchSizeBelowOneAsFlumeDoes() {
        for (String key : List.of("batchSize", "backoffSleepIncrement", "maxBackoffSleep")) {
            assertEquals(key, assertThrows(ConfigurationException.class,
                    () -> source(Map.of(key, key.equals("batchSize") ? "0" : "-1"))).key());
        }
    }

    @Test
    void aNegativeTotalEventsSendsNothingAsInFlume() throws Exception {
        PollableSource source = source(Map.of("totalEvents", "-1"));
        assertEquals(Status.BACKOFF, source.process());
        assertEquals(List.of(), bodies());
    }
}

package org.sluice.sinkprocessor.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkProcessor;
import org.sluice.api.testkit.SwitchableSink;
import org.sluice.testkit.TestContexts;

class FailoverSinkProcessorTest {

    private final List<String> calls = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));
    private final Map<String, SwitchableSink> sinks = new LinkedHashMap<>();

    private SinkProcessor processor(Map<String, String> properties, String... names) throws ConfigurationException {
        for (String name : names) {
            sinks.put(name, new SwitchableSink(name, calls));
        }
        return new FailoverSinkProcessorFactory(now::get).create(
                TestContexts.sinkProcessor("g1", properties, new LinkedHashMap<>(sinks)));
    }

    private void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private List<String> callsOf(SinkProcessor processor, int times) throws EventDeliveryException {
        return SwitchableSink.callsOf(processor, times, calls);
    }

    @Test
    void theHighestPriorityTakesEveryBatchWhileItDelivers() throws Exception {
        // The Flume User Guide's example: k2 (10) before k1 (5).
        SinkProcessor processor = processor(Map.of("priority.k1", "5", "priority.k2", "10", "maxpenalty", "10000"),
                "k1", "k2");

        assertEquals(List.of("k2", "k2", "k2"), callsOf(processor, 3));
    }

    @Test
    void aFailureHandsTheSameCallToTheNextSinkAndPenalisesTheFailedOne() throws Exception {
        SinkProcessor processor = processor(Map.of("priority.k1", "10", "priority.k2", "5"), "k1", "k2");
        sinks.get("k1").failing(true);

        assertEquals(Sink.Status.READY, processor.process());
        assertEquals(List.of("k1", "k2"), calls);

        // Within its first penalty (1 s) k1 is left alone.
        advanceMillis(900);
        assertEquals(List.of("k2", "k2"), callsOf(processor, 2));
    }

    @Test
    void trafficMovesBackWhenThePenalisedSinkIsDueAndDeliversAgain() throws Exception {
        SinkProcessor processor = processor(Map.of("priority.k1", "10", "priority.k2", "5"), "k1", "k2");
        sinks.get("k1").failing(true);
        processor.process();
        sinks.get("k1").failing(false);

        advanceMillis(1_000);
        assertEquals(List.of("k1", "k1", "k1"), callsOf(processor, 3));
    }

    @Test
    void penaltiesDoubleWithConsecutiveFailuresUpToMaxpenalty() throws Exception {
        SinkProcessor processor = processor(Map.of("priority.k1", "10", "priority.k2", "5", "maxpenalty", "5000"),
                "k1", "k2");
        sinks.get("k1").failing(true);
        List<Long> penalties = new ArrayList<>();
        processor.process();
        for (int failure = 2; failure <= 5; failure++) {
            long waited = 0;
            do {
                advanceMillis(100);
                waited += 100;
                calls.clear();
                processor.process();
            } while (!calls.contains("k1"));
            penalties.add(waited);
        }

        assertEquals(List.of(1_000L, 2_000L, 4_000L, 5_000L), penalties);
    }

    @Test
    void aBackoffDoesNotEndAPenalty() throws Exception {
        SinkProcessor processor = processor(Map.of("priority.k1", "10", "priority.k2", "5", "maxpenalty", "30000"),
                "k1", "k2");
        sinks.get("k1").failing(true);
        processor.process();
        advanceMillis(1_000);
        sinks.get("k1").failing(false);
        sinks.get("k1").answer(Sink.Status.BACKOFF);
        assertEquals(Sink.Status.BACKOFF, processor.process());

        // Still counted as failing: the next failure is its second in a row, penalised 2 s.
        sinks.get("k1").failing(true);
        processor.process();
        advanceMillis(1_500);
        assertEquals(List.of("k2"), callsOf(processor, 1));
        advanceMillis(500);
        assertTrue(callsOf(processor, 1).contains("k1"));
    }

    @Test
    void whenEverySinkFailsTheCallFailsAndTheEventsStayInTheChannel() throws Exception {
        SinkProcessor processor = processor(Map.of(), "k1", "k2");
        sinks.values().forEach(s -> s.failing(true));

        EventDeliveryException all = assertThrows(EventDeliveryException.class, processor::process);
        assertTrue(all.getMessage().contains("g1"), all.getMessage());
        assertEquals(1, all.getSuppressed().length, "both failures are reported");

        // Both penalised: nothing is called until one is due.
        calls.clear();
        assertThrows(EventDeliveryException.class, processor::process);
        assertEquals(List.of(), calls);
    }

    @Test
    void unrankedSinksFollowRankedOnesInTheGroupsOrder() throws Exception {
        SinkProcessor processor = processor(Map.of("priority.k3", "1"), "k1", "k2", "k3");
        sinks.get("k3").failing(true);
        sinks.get("k1").failing(true);

        processor.process();
        assertEquals(List.of("k3", "k1", "k2"), calls);
    }

    @Test
    void sharedPrioritiesKeepBothSinksInTheGroupsOrder() throws Exception {
        SinkProcessor processor = processor(Map.of("priority.k1", "5", "priority.k2", "5"), "k1", "k2");
        sinks.get("k1").failing(true);

        processor.process();
        assertEquals(List.of("k1", "k2"), calls);
    }

    @Test
    void badKeysAreErrorsNamingTheKey() {
        Map<String, org.sluice.api.sink.Sink> two = new LinkedHashMap<>();
        two.put("k1", new SwitchableSink("k1", calls));
        two.put("k2", new SwitchableSink("k2", calls));
        FailoverSinkProcessorFactory factory = new FailoverSinkProcessorFactory();

        ConfigurationException notANumber = assertThrows(ConfigurationException.class, () -> factory.create(
                TestContexts.sinkProcessor("g1", Map.of("priority.k1", "high"), two)));
        assertTrue(notANumber.getMessage().contains("priority.k1"), notANumber.getMessage());

        ConfigurationException stranger = assertThrows(ConfigurationException.class, () -> factory.create(
                TestContexts.sinkProcessor("g1", Map.of("priority.k9", "1"), two)));
        assertTrue(stranger.getMessage().contains("priority.k9"), stranger.getMessage());
    }

    @Test
    void aMaxpenaltyOfZeroRetriesAFailedSinkAtOnceAndAnUnparsableOneIsTheDefaultAsInFlume() throws Exception {
        assertEquals(List.of("k1"), callsAfterK1FailedOnce("0", 0), "no penalty: k1 is tried again at once");
        assertEquals(List.of("k2"), callsAfterK1FailedOnce("lots", 900), "the default's first penalty, 1 s");
    }

    /** The next call's sinks, after k1 (ranked first) failed once and recovered, and {@code millis} passed. */
    private List<String> callsAfterK1FailedOnce(String maxpenalty, long millis) throws Exception {
        SinkProcessor processor = processor(Map.of("priority.k1", "10", "priority.k2", "5", "maxpenalty",
                maxpenalty), "k1", "k2");
        sinks.get("k1").failing(true);
        processor.process();
        sinks.get("k1").failing(false);
        advanceMillis(millis);
        return callsOf(processor, 1);
    }
}

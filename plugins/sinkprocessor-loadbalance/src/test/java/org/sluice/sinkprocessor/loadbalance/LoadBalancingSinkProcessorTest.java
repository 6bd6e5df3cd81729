package org.sluice.sinkprocessor.loadbalance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkProcessor;
import org.sluice.api.sink.SinkSelector;
import org.sluice.api.sink.SinkSelectorContext;
import org.sluice.api.testkit.SwitchableSink;
import org.sluice.testkit.TestContexts;

class LoadBalancingSinkProcessorTest {

    private final List<String> calls = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));
    private final Deque<Integer> randomNumbers = new ArrayDeque<>();
    private final Map<String, SwitchableSink> sinks = new LinkedHashMap<>();

    private SinkProcessor processor(Map<String, String> properties, String... names) throws ConfigurationException {
        for (String name : names) {
            sinks.put(name, new SwitchableSink(name, calls));
        }
        return factory().create(TestContexts.sinkProcessor("g1", properties, new LinkedHashMap<>(sinks)));
    }

    private LoadBalancingSinkProcessorFactory factory() {
        return new LoadBalancingSinkProcessorFactory(now::get, bound -> {
            int next = randomNumbers.isEmpty() ? 0 : randomNumbers.removeFirst();
            return Math.floorMod(next, bound);
        });
    }

    private void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private List<String> callsOf(SinkProcessor processor, int times) throws EventDeliveryException {
        return SwitchableSink.callsOf(processor, times, calls);
    }

    @Test
    void roundRobinIsTheDefaultAndGivesEachSinkItsTurn() throws Exception {
        SinkProcessor processor = processor(Map.of(), "k1", "k2", "k3");

        assertEquals(List.of("k1", "k2", "k3", "k1", "k2", "k3"), callsOf(processor, 6));
    }

    @Test
    void aFailedSinkHandsTheSameCallToTheNextOne() throws Exception {
        SinkProcessor processor = processor(Map.of(), "k1", "k2", "k3");
        sinks.get("k2").failing(true);

        assertEquals(List.of("k1", "k2", "k3", "k3"), callsOf(processor, 3));
    }

    @Test
    void withoutBackoffAFailedSinkIsOfferedEveryTurn() throws Exception {
        SinkProcessor processor = processor(Map.of("backoff", "false"), "k1", "k2");
        sinks.get("k1").failing(true);

        assertEquals(List.of("k1", "k2", "k2", "k1", "k2"), callsOf(processor, 3));
    }

    @Test
    void withBackoffAFailedSinkIsLeftOutForATimeThatDoublesUpToMaxTimeOut() throws Exception {
        SinkProcessor processor = processor(Map.of("backoff", "true", "selector.maxTimeOut", "3000"), "k1", "k2");
        sinks.get("k1").failing(true);
        List<Long> leftOut = new ArrayList<>();
        processor.process();
        for (int failure = 2; failure <= 4; failure++) {
            long waited = 0;
            do {
                advanceMillis(100);
                waited += 100;
                calls.clear();
                processor.process();
                processor.process();
            } while (!calls.contains("k1"));
            leftOut.add(waited);
        }

        assertEquals(List.of(1_000L, 2_000L, 3_000L), leftOut);
    }

    @Test
    void aDeliveryEndsTheFailureRecord() throws Exception {
        SinkProcessor processor = processor(Map.of("backoff", "true"), "k1", "k2");
        sinks.get("k1").failing(true);
        processor.process();
        advanceMillis(1_000);
        sinks.get("k1").failing(false);
        callsOf(processor, 2);

        // Its next failure is a first one again: left out 1 s, not 2 s.
        sinks.get("k1").failing(true);
        callsOf(processor, 2);
        advanceMillis(1_000);
        sinks.get("k1").failing(false);
        assertTrue(callsOf(processor, 2).contains("k1"));
    }

    @Test
    void aBackoffEndsTheCallWithoutOfferingTheBatchElsewhere() throws Exception {
        SinkProcessor processor = processor(Map.of(), "k1", "k2");
        sinks.get("k1").answer(Sink.Status.BACKOFF);

        assertEquals(Sink.Status.BACKOFF, processor.process());
        assertEquals(List.of("k1"), calls);
    }

    @Test
    void randomOffersEverySinkInAShuffledOrder() throws Exception {
        SinkProcessor processor = processor(Map.of("selector", "random"), "k1", "k2", "k3");
        sinks.values().forEach(s -> s.failing(true));
        randomNumbers.addAll(List.of(0, 0));

        assertThrows(EventDeliveryException.class, processor::process);
        // Fisher-Yates with 0, 0: [0,1,2] -> swap(2,0) -> [2,1,0] -> swap(1,0) -> [1,2,0].
        assertEquals(List.of("k2", "k3", "k1"), calls);
        assertEquals(new TreeSet<>(sinks.keySet()), new TreeSet<>(calls));
    }

    @Test
    void whenEverySinkFailsTheCallFailsNamingTheGroup() throws Exception {
        SinkProcessor processor = processor(Map.of("backoff", "true"), "k1", "k2");
        sinks.values().forEach(s -> s.failing(true));

        EventDeliveryException all = assertThrows(EventDeliveryException.class, processor::process);
        assertTrue(all.getMessage().contains("g1"), all.getMessage());
        assertEquals(1, all.getSuppressed().length);

        calls.clear();
        assertThrows(EventDeliveryException.class, processor::process);
        assertEquals(List.of(), calls, "sinks left out are not called");
    }

    @Test
    void badKeysAreErrorsNamingTheKey() {
        Map<String, Sink> two = new LinkedHashMap<>();
        two.put("k1", new SwitchableSink("k1", calls));
        two.put("k2", new SwitchableSink("k2", calls));

        // A custom selector the platform did not hand over (it always does once the factory named the key).
        ConfigurationException custom = assertThrows(ConfigurationException.class, () -> factory().create(
                TestContexts.sinkProcessor("g1", Map.of("selector", "com.example.MySelector"), two)));
        assertTrue(custom.getMessage().contains("'selector'"), custom.getMessage());
        assertTrue(custom.getMessage().contains("com.example.MySelector"), custom.getMessage());

        ConfigurationException timeout = assertThrows(ConfigurationException.class, () -> factory().create(
                TestContexts.sinkProcessor("g1", Map.of("selector.maxTimeOut", "-1"), two)));
        assertTrue(timeout.getMessage().contains("selector.maxTimeOut"), timeout.getMessage());
    }

    @Test
    void builtInSelectorNamesAreReadInAnyCase() throws Exception {
        SinkProcessor roundRobin = processor(Map.of("selector", "ROUND_ROBIN"), "k1", "k2");
        assertEquals(List.of("k1", "k2", "k1"), callsOf(roundRobin, 3));

        SinkProcessor random = factory().create(TestContexts.sinkProcessor("g1", Map.of("selector", " Random "),
                new LinkedHashMap<>(sinks)));
        randomNumbers.addAll(List.of(0));
        // Fisher-Yates with 0 over two sinks: [0,1] -> swap(1,0) -> [1,0].
        assertEquals(List.of("k2"), callsOf(random, 1));
    }

    @Test
    void onlyACustomSelectorIsAskedOfTheRegistry() {
        LoadBalancingSinkProcessorFactory factory = factory();

        assertEquals(null, factory.sinkSelectorKey(Map.of("type", "load_balance")));
        assertEquals(null, factory.sinkSelectorKey(Map.of("selector", "round_robin")));
        assertEquals(null, factory.sinkSelectorKey(Map.of("selector", "RANDOM")));
        assertEquals("selector", factory.sinkSelectorKey(Map.of("selector", "com.example.flume.WeightedSelector")));
        assertEquals("selector", factory.sinkSelectorKey(Map.of("selector", "reverse")));
    }

    @Test
    void aCustomSelectorChoosesTheOrderAndHearsOfEachFailure() throws Exception {
        for (String name : List.of("k1", "k2", "k3")) {
            sinks.put(name, new SwitchableSink(name, calls));
        }
        ReverseSelector selector = new ReverseSelector(TestContexts.sinkSelector("g1", Map.of(), new LinkedHashMap<>(sinks)));
        SinkProcessor processor = factory().create(TestContexts.sinkProcessor("g1",
                Map.of("selector", "com.example.Reverse"), new LinkedHashMap<>(sinks), selector));

        assertEquals(List.of("k3", "k3"), callsOf(processor, 2));

        sinks.get("k3").failing(true);
        assertEquals(List.of("k3", "k2"), callsOf(processor, 1));
        assertEquals(List.of(sinks.get("k3")), selector.failed);
    }

    @Test
    void withACustomSelectorBackoffIsTheSelectorsBusinessAsInFlume() throws Exception {
        for (String name : List.of("k1", "k2")) {
            sinks.put(name, new SwitchableSink(name, calls));
        }
        ReverseSelector selector = new ReverseSelector(TestContexts.sinkSelector("g1", Map.of(), new LinkedHashMap<>(sinks)));
        SinkProcessor processor = factory().create(TestContexts.sinkProcessor("g1", Map.of("selector",
                "com.example.Reverse", "backoff", "true"), new LinkedHashMap<>(sinks), selector));
        sinks.get("k2").failing(true);

        // The processor does not leave k2 out: this selector keeps offering it first.
        assertEquals(List.of("k2", "k1", "k2", "k1", "k2", "k1"), callsOf(processor, 3));
        assertEquals(3, selector.failed.size());
    }

    @Test
    void aCustomSelectorThatOffersNoSinkOrAStrangerFailsTheCallNamingIt() throws Exception {
        sinks.put("k1", new SwitchableSink("k1", calls));
        Sink stranger = new SwitchableSink("other", calls);
        List<Sink> offer = new ArrayList<>();
        SinkSelector scripted = new SinkSelector() {
            @Override
            public Iterator<Sink> createSinkIterator() {
                return List.copyOf(offer).iterator();
            }

            @Override
            public void informSinkFailed(Sink failedSink) {
            }
        };
        SinkProcessor processor = factory().create(TestContexts.sinkProcessor("g1",
                Map.of("selector", "scripted"), new LinkedHashMap<>(sinks), scripted));

        EventDeliveryException none = assertThrows(EventDeliveryException.class, processor::process);
        assertTrue(none.getMessage().contains("'scripted' offered no sink"), none.getMessage());

        offer.add(stranger);
        EventDeliveryException foreign = assertThrows(EventDeliveryException.class, processor::process);
        assertTrue(foreign.getMessage().contains("not a sink of the group"), foreign.getMessage());
        assertEquals(List.of(), calls, "a sink outside the group is never called");
    }

    /** Offers the group's sinks last to first, every time; records what it is told failed. */
    private static final class ReverseSelector implements SinkSelector {
        private final List<Sink> reversed;
        final List<Sink> failed = new ArrayList<>();

        ReverseSelector(SinkSelectorContext context) {
            reversed = new ArrayList<>(context.sinks());
            Collections.reverse(reversed);
        }

        @Override
        public Iterator<Sink> createSinkIterator() {
            return reversed.iterator();
        }

        @Override
        public void informSinkFailed(Sink failedSink) {
            failed.add(failedSink);
        }
    }
}

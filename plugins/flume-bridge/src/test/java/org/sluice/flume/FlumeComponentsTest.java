package org.sluice.flume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelFullException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.selector.ChannelSelector;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkProcessor;
import org.sluice.api.source.PollableSource;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.api.testkit.SwitchableSink;
import org.sluice.api.testkit.TestChannel;
import org.sluice.api.testkit.TextEvents;
import org.sluice.testkit.TestContexts;

/**
 * Each kind of Flume component the bridge adapts, exercised with Flume 1.11.0's own classes as the plugin: they are
 * compiled against Flume's API exactly as a third party's are.
 */
class FlumeComponentsTest {
    private static final PluginClasses FLUME = PluginClasses.of(FlumeComponentsTest.class.getClassLoader(), "flume");

    @TempDir
    Path data;

    @Test
    void aPollableSourceHandsItsEventsToSluicesProcessorAndCountsThem() throws Exception {
        RecordingChannelProcessor processor = new RecordingChannelProcessor();
        SourceContext context = TestContexts.source("r1", Map.of("type", "org.apache.flume.source.SequenceGeneratorSource",
                "totalEvents", "5", "batchSize", "2"), processor, data);
        Source source = new FlumeSourceFactory(FLUME, "org.apache.flume.source.SequenceGeneratorSource")
                .create(context);
        PollableSource pollable = (PollableSource) source;
        source.start();
        try {
            // Three batches of two make the generator's five events; then it backs off.
            for (int i = 0; i < 3; i++) {
                pollable.process();
            }
            assertEquals(PollableSource.Status.BACKOFF, pollable.process());
        } finally {
            source.stop();
        }
        assertEquals(List.of("0", "1", "2", "3", "4"), TextEvents.bodies(processor.accepted()));
        assertEquals(5, context.counter().get(SourceCounter.EVENT_ACCEPTED),
                "the generator's Flume SourceCounter counts into the source's Sluice counters");
    }

    @Test
    void aRefusedBatchReachesTheFlumeSourceAsFlumesChannelException() throws Exception {
        RecordingChannelProcessor processor = new RecordingChannelProcessor();
        processor.failNext(1);
        SourceContext context = TestContexts.source("r1", Map.of("totalEvents", "2", "batchSize", "2"), processor, data);
        PollableSource source = (PollableSource) new FlumeSourceFactory(FLUME,
                "org.apache.flume.source.SequenceGeneratorSource").create(context);
        source.start();
        try {
            // The generator catches Flume's ChannelException and counts it; the batch is made again next time.
            source.process();
            assertEquals(1, context.counter().get(SourceCounter.CHANNEL_WRITE_FAIL));
            assertTrue(processor.accepted().isEmpty());
            source.process();
        } finally {
            source.stop();
        }
        assertEquals(List.of("0", "1"), TextEvents.bodies(processor.accepted()));
    }

    @Test
    void aFlumeChannelKeepsSluicesTransactionContract() throws Exception {
        Channel channel = new FlumeChannelFactory(FLUME, "org.apache.flume.channel.MemoryChannel").create(
                TestContexts.channel("c1", Map.of("capacity", "2", "transactionCapacity", "2", "keep-alive", "0"),
                        data));
        channel.start();
        try {
            put(channel, "a", "b");
            Transaction full = channel.getTransaction();
            full.begin();
            channel.put(TextEvents.event("c"));
            assertThrows(ChannelFullException.class, full::commit, "Flume's full channel is Sluice's");
            full.rollback();
            full.close();

            Transaction take = channel.getTransaction();
            take.begin();
            Event first = channel.take();
            take.rollback();
            take.close();
            assertEquals("a", TextEvents.body(first));
            assertEquals(List.of("a", "b"), take(channel, 2), "a rolled back take returns the event, in order");
        } finally {
            channel.stop();
        }
    }

    @Test
    void aFlumeInterceptorChangesAndKeepsEveryEvent() throws Exception {
        Interceptor interceptor = new FlumeInterceptorFactory(FLUME,
                "org.apache.flume.interceptor.StaticInterceptor$Builder").create(TestContexts.plain(
                        ComponentKind.INTERCEPTOR, "r1.interceptors.i1", Map.of("type", "static", "key", "dc",
                                "value", "east")));
        interceptor.start();
        try {
            Event one = TextEvents.event("one");
            Event same = interceptor.intercept(one);
            assertSame(one, same, "the Sluice event itself comes back, changed in place");
            assertEquals("east", one.getHeaders().get("dc"));
            List<Event> batch = interceptor.intercept(TextEvents.events("two", "three"));
            assertEquals(List.of("two", "three"), TextEvents.bodies(batch));
            assertTrue(batch.stream().allMatch(event -> "east".equals(event.getHeaders().get("dc"))));
        } finally {
            interceptor.stop();
        }
    }

    @Test
    void aFlumeInterceptorMayDropEvents() throws Exception {
        Interceptor interceptor = new FlumeInterceptorFactory(FLUME,
                "org.apache.flume.interceptor.RegexFilteringInterceptor$Builder").create(TestContexts.plain(
                        ComponentKind.INTERCEPTOR, "r1.interceptors.i1", Map.of("regex", "^keep", "excludeEvents",
                                "false")));
        interceptor.start();
        assertEquals(List.of("keep me"), TextEvents.bodies(interceptor.intercept(TextEvents.events("drop me",
                "keep me"))));
        assertEquals(null, interceptor.intercept(TextEvents.event("drop")));
        interceptor.stop();
    }

    @Test
    void aFlumeChannelSelectorChoosesAmongTheSourcesSluiceChannels() throws Exception {
        TestChannel cz = new TestChannel(10);
        TestChannel us = new TestChannel(10);
        Map<String, Channel> channels = new LinkedHashMap<>();
        channels.put("cz", cz);
        channels.put("us", us);
        ChannelSelector selector = new FlumeChannelSelectorFactory(FLUME,
                "org.apache.flume.channel.MultiplexingChannelSelector").create(TestContexts.selector("r1",
                        Map.of("type", "multiplexing", "header", "country", "mapping.CZ", "cz", "default", "us"),
                        channels));
        Event czech = TextEvents.event("x");
        czech.getHeaders().put("country", "CZ");
        assertEquals(List.of(cz), selector.requiredChannels(czech));
        assertEquals(List.of(us), selector.requiredChannels(TextEvents.event("y")));
        assertTrue(selector.optionalChannels(czech).isEmpty());
    }

    @Test
    void aFlumeSinkProcessorRunsTheGroupsSluiceSinks() throws Exception {
        List<String> calls = new ArrayList<>();
        SwitchableSink first = new SwitchableSink("k1", calls);
        SwitchableSink second = new SwitchableSink("k2", calls);
        Map<String, Sink> sinks = new LinkedHashMap<>();
        sinks.put("k1", first);
        sinks.put("k2", second);
        SinkProcessor processor = new FlumeSinkProcessorFactory(FLUME, "org.apache.flume.sink.FailoverSinkProcessor")
                .create(TestContexts.sinkProcessor("g1", Map.of("type", "failover", "priority.k1", "10",
                        "priority.k2", "5"), sinks));
        processor.start();
        try {
            processor.process();
            assertEquals(List.of("k1"), calls, "the higher priority sink runs");
            first.failing(true);
            processor.process();
            assertEquals(List.of("k1", "k1", "k2"), calls, "its failure moves the batch to the other sink");
        } finally {
            processor.stop();
        }
    }

    @Test
    void flumeBuiltInsAreFoundOnlyWhereTheyAre() {
        ConfigurationExceptionAssert.assertFails(() -> new FlumeSourceFactory(FLUME, "com.example.Missing").create(
                TestContexts.source("r1", Map.of(), new RecordingChannelProcessor(), data)), "cannot be loaded");
    }

    private static void put(Channel channel, String... bodies) {
        Transaction transaction = channel.getTransaction();
        transaction.begin();
        for (Event event : TextEvents.events(bodies)) {
            channel.put(event);
        }
        transaction.commit();
        transaction.close();
    }

    private static List<String> take(Channel channel, int count) {
        List<String> bodies = new ArrayList<>();
        Transaction transaction = channel.getTransaction();
        transaction.begin();
        for (int i = 0; i < count; i++) {
            bodies.add(TextEvents.body(channel.take()));
        }
        transaction.commit();
        transaction.close();
        return bodies;
    }

    /** Checks that a factory call fails as a configuration error whose message says {@code expected}. */
    static final class ConfigurationExceptionAssert {
        interface Call {
            Object run() throws Exception;
        }

        static void assertFails(Call call, String expected) {
            Exception failure = assertThrows(org.sluice.api.component.ConfigurationException.class, call::run);
            assertTrue(failure.getMessage().contains(expected), failure.getMessage());
        }
    }
}

package org.sluice.sinkprocessor.defaultprocessor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkProcessor;
import org.sluice.testkit.TestContexts;

class DefaultSinkProcessorTest {
    private final DefaultSinkProcessorFactory factory = new DefaultSinkProcessorFactory();

    /** A sink that answers from a script: a status, or an exception to throw. */
    static final class ScriptedSink implements Sink {
        final Deque<Object> script = new ArrayDeque<>();
        int calls;

        @Override
        public Status process() throws EventDeliveryException {
            calls++;
            Object next = script.removeFirst();
            if (next instanceof EventDeliveryException) {
                throw (EventDeliveryException) next;
            }
            return (Status) next;
        }
    }

    private SinkProcessor processor(Map<String, Sink> sinks) throws ConfigurationException {
        return factory.create(TestContexts.sinkProcessor("g1", Map.of(), sinks));
    }

    @Test
    void eachProcessRunsTheOnlySinkAndReturnsWhatItReturned() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        EventDeliveryException failure = new EventDeliveryException("k1 failed");
        sink.script.add(Sink.Status.READY);
        sink.script.add(Sink.Status.BACKOFF);
        sink.script.add(failure);
        SinkProcessor processor = processor(Map.of("k1", sink));

        assertEquals(Sink.Status.READY, processor.process());
        assertEquals(Sink.Status.BACKOFF, processor.process());
        assertSame(failure, assertThrows(EventDeliveryException.class, processor::process));
        assertEquals(3, sink.calls);
    }

    @Test
    void moreThanOneSinkIsAConfigurationErrorNamingThem() {
        Map<String, Sink> sinks = new LinkedHashMap<>();
        sinks.put("k1", new ScriptedSink());
        sinks.put("k2", new ScriptedSink());

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> processor(sinks));

        assertEquals("sinks", e.key());
        assertTrue(e.getMessage().contains("k1") && e.getMessage().contains("k2"), e.getMessage());
        assertTrue(e.getMessage().contains("g1"), e.getMessage());
    }

    @Test
    void noSinkIsAConfigurationError() {
        assertEquals("sinks", assertThrows(ConfigurationException.class, () -> processor(Map.of())).key());
    }
}

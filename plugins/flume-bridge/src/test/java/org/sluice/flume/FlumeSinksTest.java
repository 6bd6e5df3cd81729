package org.sluice.flume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.testkit.TestChannel;
import org.sluice.api.testkit.TextEvents;
import org.sluice.testkit.TestContexts;

/**
 * Flume 1.11.0's own http sink (the flume-http-sink jar from Maven Central, unchanged) run through the bridge against a
 * local HTTP server: what users rely on is that events reach the server, stay in the channel when it fails, and are
 * counted under Flume's names in Sluice's counters.
 */
class FlumeSinksTest {
    private static final String HTTP_SINK = "org.apache.flume.sink.http.HttpSink";

    @TempDir
    Path data;

    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/events", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private Sink httpSink(SinkContext context) throws ConfigurationException {
        return new FlumeSinkFactory(PluginClasses.of(getClass().getClassLoader(), "test"), HTTP_SINK).create(context);
    }

    /** The Flume User Guide's example: a 200 commits, counts and does not back off; anything else rolls back. */
    private Map<String, String> keys() {
        return Map.of("type", HTTP_SINK, "channel", "c1", "endpoint",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/events", "incrementMetrics.200", "true",
                "backoff.200", "false", "rollback.200", "false");
    }

    @Test
    void deliversEachEventAndCountsUnderFlumesNames() throws Exception {
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(TextEvents.events("one", "two", "three"));
        SinkContext context = TestContexts.sink("k1", keys(), channel, data);
        Sink sink = httpSink(context);
        sink.start();
        try {
            // Flume's http sink posts one event per transaction, and backs off on an empty channel.
            for (int i = 0; i < 3; i++) {
                assertEquals(Sink.Status.READY, sink.process());
            }
            assertEquals(Sink.Status.BACKOFF, sink.process());
        } finally {
            sink.stop();
        }
        assertEquals(List.of("one", "two", "three"), received);
        assertEquals(0, channel.size());
        // Flume's SinkCounter inside the http sink counts into the sink's Sluice counters.
        assertEquals(3, context.counter().get(SinkCounter.EVENT_DRAIN_SUCCESS));
        assertEquals(3, context.counter().get(SinkCounter.EVENT_DRAIN_ATTEMPT));
    }

    @Test
    void aFailingServerLeavesTheEventInTheChannel() throws Exception {
        status.set(503);
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(TextEvents.events("kept"));
        SinkContext context = TestContexts.sink("k1", keys(), channel, data);
        Sink sink = httpSink(context);
        sink.start();
        try {
            sink.process();
        } finally {
            sink.stop();
        }
        assertEquals(List.of("kept"), received, "the server saw it once");
        assertEquals(List.of("kept"), TextEvents.bodies(channel.drain()), "rolled back, not lost");
        assertEquals(0, context.counter().get(SinkCounter.EVENT_DRAIN_SUCCESS));
    }

    @Test
    void aBadKeyFailsTheConfigurationNamingTheComponent() {
        TestChannel channel = new TestChannel(10);
        Map<String, String> keys = Map.of("type", HTTP_SINK, "channel", "c1", "endpoint", "not a url");
        ConfigurationException failure = assertThrows(ConfigurationException.class,
                () -> httpSink(TestContexts.sink("k1", keys, channel, data)));
        assertTrue(failure.getMessage().contains("'k1'"), failure.getMessage());
        assertTrue(failure.getMessage().contains("refused its configuration"), failure.getMessage());
    }

    @Test
    void aClassThatIsNotASinkIsRefused() {
        TestChannel channel = new TestChannel(10);
        ConfigurationException failure = assertThrows(ConfigurationException.class,
                () -> new FlumeSinkFactory(PluginClasses.of(getClass().getClassLoader(), "test"),
                        "org.apache.flume.channel.MemoryChannel").create(TestContexts.sink("k1", Map.of(), channel,
                                data)));
        assertTrue(failure.getMessage().contains("is not a org.apache.flume.Sink"), failure.getMessage());
    }
}

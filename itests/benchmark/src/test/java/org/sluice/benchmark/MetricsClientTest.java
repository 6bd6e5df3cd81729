package org.sluice.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MetricsClientTest {

    private static final CounterRef TAKES = CounterRef.parse("CHANNEL.c1/EventTakeSuccessCount");

    @Test
    void readsCounterWrittenAsStringOrNumber() throws IOException {
        assertEquals(OptionalLong.of(42), MetricsClient.valueOf("{\"CHANNEL.c1\":{\"EventTakeSuccessCount\":\"42\"}}", TAKES, "t"));
        assertEquals(OptionalLong.of(43), MetricsClient.valueOf("{\"CHANNEL.c1\":{\"EventTakeSuccessCount\":43}}", TAKES, "t"));
    }

    @Test
    void emptyWhileGroupOrCounterIsMissing() throws IOException {
        assertEquals(OptionalLong.empty(), MetricsClient.valueOf("{}", TAKES, "t"));
        assertEquals(OptionalLong.empty(), MetricsClient.valueOf("{\"CHANNEL.c2\":{\"EventTakeSuccessCount\":\"1\"}}", TAKES, "t"));
        assertEquals(OptionalLong.empty(), MetricsClient.valueOf("{\"CHANNEL.c1\":{\"ChannelSize\":\"1\"}}", TAKES, "t"));
    }

    @Test
    void failsOnWhatIsNotACounter() {
        IOException e = assertThrows(IOException.class,
                () -> MetricsClient.valueOf("{\"CHANNEL.c1\":{\"EventTakeSuccessCount\":\"1.5\"}}", TAKES, "http://x/metrics"));
        assertTrue(e.getMessage().contains("CHANNEL.c1/EventTakeSuccessCount is '1.5'"), e.getMessage());
        assertThrows(IOException.class, () -> MetricsClient.valueOf("[1]", TAKES, "t"));
        assertThrows(IOException.class, () -> MetricsClient.valueOf("<html/>", TAKES, "t"));
    }

    @Test
    void readsOverHttp() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = "{\"CHANNEL.c1\":{\"EventTakeSuccessCount\":\"7\"}}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            assertEquals(OptionalLong.of(7), new MetricsClient(server.getAddress().getPort()).read(TAKES));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void counterRefSplitsAtTheLastSlash() {
        assertEquals(new CounterRef("SINK.k1", "EventDrainSuccessCount"), CounterRef.parse("SINK.k1/EventDrainSuccessCount"));
        assertThrows(IllegalArgumentException.class, () -> CounterRef.parse("SINK.k1.EventDrainSuccessCount"));
        assertThrows(IllegalArgumentException.class, () -> CounterRef.parse("SINK.k1/"));
    }
}

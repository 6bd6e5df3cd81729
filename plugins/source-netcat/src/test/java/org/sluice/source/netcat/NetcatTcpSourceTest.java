package org.sluice.source.netcat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.source.SourceContext;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

class NetcatTcpSourceTest {
    @TempDir
    Path data;

    private final RecordingChannelProcessor processor = new RecordingChannelProcessor();
    private SourceContext context;
    private NetcatTcpSource source;

    private NetcatTcpSource start(Map<String, String> extra) throws Exception {
        context = TestContexts.listeningSource(extra, processor, data);
        source = (NetcatTcpSource) new NetcatSourceFactory().create(context);
        source.start();
        return source;
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    /** A test client: lines out, answers in. */
    private static final class Client implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final BufferedReader in;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            out = socket.getOutputStream();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String answer() throws IOException {
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private List<String> bodies() {
        return processor.accepted().stream().map(e -> new String(e.getBody(), StandardCharsets.UTF_8))
                .collect(Collectors.toList());
    }

    @Test
    void eachLineBecomesAnEventAndIsAnsweredOk() throws Exception {
        start(Map.of());
        try (Client client = new Client(source.localPort())) {
            client.send("hello\nwörld\n\nlast");
            assertEquals("OK", client.answer());
            assertEquals("OK", client.answer());
            assertEquals("OK", client.answer());
            client.send(" line\n");
            assertEquals("OK", client.answer());
        }
        assertEquals(List.of("hello", "wörld", "", "last line"), bodies());
        ComponentCounters counters = TestContexts.countersOf(context);
        assertEquals(4, counters.get(SourceCounter.EVENT_RECEIVED));
        assertEquals(4, counters.get(SourceCounter.EVENT_ACCEPTED));
    }

    @Test
    void aRefusedLineIsAnsweredFailedAndTheConnectionStaysOpen() throws Exception {
        start(Map.of());
        try (Client client = new Client(source.localPort())) {
            processor.failNext(1);
            client.send("first\n");
            String answer = client.answer();
            assertTrue(answer.startsWith("FAILED: "), answer);
            assertTrue(answer.contains("refused"), "the channel's reason is passed on: " + answer);

            client.send("first\n");
            assertEquals("OK", client.answer());
        }
        assertEquals(List.of("first"), bodies());
        ComponentCounters counters = TestContexts.countersOf(context);
        assertEquals(1, counters.get(SourceCounter.CHANNEL_WRITE_FAIL));
        assertEquals(2, counters.get(SourceCounter.EVENT_RECEIVED));
        assertEquals(1, counters.get(SourceCounter.EVENT_ACCEPTED));
    }

    @Test
    void aLineLongerThanMaxLineLengthFailsAndClosesTheConnection() throws Exception {
        start(Map.of("max-line-length", "10"));
        try (Client client = new Client(source.localPort())) {
            client.send("123456789\n");
            assertEquals("OK", client.answer(), "9 chars and the newline fit in 10");
            client.send("1234567890\n");
            assertEquals("FAILED: Event exceeds the maximum length (10 chars, including newline)", client.answer());
            assertNull(client.answer(), "the source closed the connection");
        }
        assertEquals(List.of("123456789"), bodies());
        assertEquals(1, TestContexts.countersOf(context).get(SourceCounter.EVENT_READ_FAIL));
    }

    @Test
    void withoutAckEveryEventOnlyFailuresAreAnswered() throws Exception {
        start(Map.of("ack-every-event", "false"));
        try (Client client = new Client(source.localPort())) {
            client.send("a\nb\n");
            await("both lines accepted").atMost(Duration.ofSeconds(10)).until(() -> processor.accepted().size() == 2);
            processor.failNext(1);
            client.send("c\n");
            assertTrue(client.answer().startsWith("FAILED: "));
        }
        assertEquals(List.of("a", "b"), bodies());
    }

    @Test
    void decodesTheConfiguredEncodingIntoUtf8Bodies() throws Exception {
        start(Map.of("encoding", "ISO-8859-1"));
        try (Client client = new Client(source.localPort())) {
            client.out.write(new byte[] {'c', (byte) 0xE9, '\n'});
            client.out.flush();
            assertEquals("OK", client.answer());
        }
        assertEquals(List.of("cé"), bodies());
    }

    @Test
    void servesClientsConcurrentlyAndCountsOpenConnections() throws Exception {
        start(Map.of());
        try (Client one = new Client(source.localPort()); Client two = new Client(source.localPort())) {
            two.send("from two\n");
            assertEquals("OK", two.answer());
            one.send("from one\n");
            assertEquals("OK", one.answer());
            assertEquals(2, TestContexts.countersOf(context).get(SourceCounter.OPEN_CONNECTIONS));
        }
        assertEquals(List.of("from two", "from one"), bodies());
    }

    @Test
    void stopClosesTheListenerAndOpenConnections() throws Exception {
        start(Map.of());
        int port = source.localPort();
        Client client = new Client(port);
        client.send("x\n");
        assertEquals("OK", client.answer());

        long began = System.nanoTime();
        source.stop();
        source = null;

        assertTrue(System.nanoTime() - began < 5_000_000_000L, "stop returns in bounded time");
        assertNull(client.answer(), "the client's connection was closed");
        client.close();
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void aPortInUseFailsStartNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            context = TestContexts.source("r1", Map.of("bind", "127.0.0.1", "port", String.valueOf(port)), processor,
                    data);
            NetcatTcpSource clash = (NetcatTcpSource) new NetcatSourceFactory().create(context);
            IOException e = assertThrows(IOException.class, clash::start);
            assertTrue(e.getMessage().contains(String.valueOf(port)), e.getMessage());
            assertTrue(e.getMessage().contains("r1"), e.getMessage());
        }
    }

    @Test
    void bindAndPortAreRequiredAndCheckedNamingTheKey() {
        NetcatSourceFactory factory = new NetcatSourceFactory();
        assertEquals("bind", assertThrows(ConfigurationException.class,
                () -> factory.create(TestContexts.source("r1", Map.of("port", "1"), processor, data))).key());
        assertEquals("port", assertThrows(ConfigurationException.class,
                () -> factory.create(TestContexts.source("r1", Map.of("bind", "x"), processor, data))).key());
        assertEquals("port", assertThrows(ConfigurationException.class, () -> factory.create(
                TestContexts.source("r1", Map.of("bind", "x", "port", "70000"), processor, data))).key());
        assertEquals("encoding", assertThrows(ConfigurationException.class, () -> factory.create(TestContexts
                .source("r1", Map.of("bind", "x", "port", "1", "encoding", "no-such"), processor, data))).key());
    }
}

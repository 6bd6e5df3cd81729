package org.sluice.source.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.http.BadRequestException;
import org.sluice.api.source.http.HttpSourceHandlerFactory;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.support.tls.TestKeyStores;
import org.sluice.testkit.TestContexts;

/** The http source over real HTTP: Flume's answers, its handlers, Sluice's bounds and gzip. */
class HttpSourceTest {
    private static final String EVENTS = "[{\"headers\": {\"timestamp\": \"434324343\", \"host\": \"random_host\"}, "
            + "\"body\": \"random_body\"}, {\"headers\": {\"namenode\": \"nn\", \"n\": 7}, \"body\": \"really\"}]";

    @TempDir
    Path data;

    private final RecordingChannelProcessor processor = new RecordingChannelProcessor();
    private final HttpSourceFactory factory = new HttpSourceFactory();
    private final List<HttpSource> started = new ArrayList<>();
    private HttpClient client = HttpClient.newHttpClient();
    private SourceContext context;

    @AfterEach
    void stop() {
        for (HttpSource source : started) {
            source.stop();
        }
    }

    private String start(Map<String, String> keys) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of("port", "0", "bind", "127.0.0.1"));
        properties.putAll(keys);
        context = TestContexts.source("r1", properties, processor, data);
        HttpSource source = (HttpSource) factory.create(context);
        source.start();
        started.add(source);
        return (keys.containsKey("ssl") ? "https" : "http") + "://127.0.0.1:" + source.localPort() + "/";
    }

    private HttpResponse<String> post(String url, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers
                .ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String json) throws Exception {
        return post(url, json.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json; charset=UTF-8");
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private SourceCounter counter() {
        return TestContexts.countersOf(context);
    }

    private static String body(Event event) {
        return new String(event.getBody(), StandardCharsets.UTF_8);
    }

    @Test
    void theUserGuidesJsonIsCommittedBeforeTheAnswer() throws Exception {
        String url = start(Map.of());
        HttpResponse<String> response = post(url, EVENTS);
        assertEquals(200, response.statusCode());
        List<Event> events = processor.accepted();
        assertEquals(2, events.size());
        assertEquals(Map.of("timestamp", "434324343", "host", "random_host"), events.get(0).getHeaders());
        assertEquals("random_body", body(events.get(0)));
        assertEquals(Map.of("namenode", "nn", "n", "7"), events.get(1).getHeaders());
        assertEquals(1, counter().get(SourceCounter.APPEND_BATCH_ACCEPTED));
        assertEquals(2, counter().get(SourceCounter.EVENT_ACCEPTED));
    }

    @Test
    void bodiesReadIntoReusedArraysKeepToThemselves() throws Exception {
        // Each request thread reads bodies into the array it read the previous one into: a short body after a long
        // one must be read to its own end only, and events must keep nothing of the array.
        String url = start(Map.of());
        String longText = "L".repeat(3000);
        StringBuilder longJson = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            longJson.append(i == 0 ? "" : ",").append("{\"headers\": {\"i\": \"").append(i)
                    .append("\"}, \"body\": \"").append(longText).append("\"}");
        }
        String strictLong = longJson.append(']').toString();
        // The same in Flume's lenient form, which the Jackson path reads.
        String lenientLong = strictLong.replace("\"body\"", "body");
        int expected = 0;
        for (int round = 0; round < 12; round++) {
            assertEquals(200, post(url, round % 2 == 0 ? strictLong : lenientLong).statusCode());
            assertEquals(200, post(url, "[{\"body\": \"s" + round + "\"}]").statusCode());
            assertEquals(200, post(url, "[{body: 'l" + round + "'}]").statusCode());
            expected += 42;
            assertEquals(expected, processor.accepted().size());
        }
        List<Event> events = processor.accepted();
        for (int round = 0; round < 12; round++) {
            List<Event> ofRound = events.subList(round * 42, round * 42 + 42);
            for (int i = 0; i < 40; i++) {
                assertEquals(longText, body(ofRound.get(i)), "round " + round + ", event " + i);
                assertEquals(Map.of("i", String.valueOf(i)), ofRound.get(i).getHeaders());
            }
            assertEquals("s" + round, body(ofRound.get(40)));
            assertEquals("l" + round, body(ofRound.get(41)));
        }
    }

    @Test
    void aBodyTheHandlerCannotReadIs400AndNothingIsKept() throws Exception {
        String url = start(Map.of());
        for (String bad : List.of("[{\"body\": \"one\"}, {\"body\": ", "{\"body\": \"x\"}", "", "[1, 2]",
                "[{\"headers\": {\"h\": {\"nested\": 1}}}]", "[] trailing")) {
            HttpResponse<String> response = post(url, bad);
            assertEquals(400, response.statusCode(), bad + ": " + response.body());
        }
        assertEquals(0, processor.accepted().size());
        assertEquals(6, counter().get(SourceCounter.EVENT_READ_FAIL));
        // Flume's Gson reads leniently: so does this handler.
        assertEquals(200, post(url, "[{body: 'single quoted' /* a comment */}]").statusCode());
        assertEquals("single quoted", body(processor.accepted().get(0)));
    }

    @Test
    void aFullChannelIs503AndTheSameRequestLaterIs200() throws Exception {
        String url = start(Map.of());
        processor.failNext(1);
        assertEquals(503, post(url, EVENTS).statusCode());
        assertEquals(0, processor.accepted().size());
        assertEquals(1, counter().get(SourceCounter.CHANNEL_WRITE_FAIL));
        assertEquals(200, post(url, EVENTS).statusCode());
        assertEquals(2, processor.accepted().size());
    }

    @Test
    void requestsAreBoundedAndCounted() throws Exception {
        String url = start(Map.of("max-request-size", "1000", "max-events-per-request", "3"));
        StringBuilder big = new StringBuilder("[{\"body\": \"");
        big.append("x".repeat(2000)).append("\"}]");
        assertEquals(413, post(url, big.toString()).statusCode());
        // Without a length up front (chunked), the bound holds as the body arrives.
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(big.toString().getBytes(StandardCharsets.UTF_8)))).build();
        assertEquals(413, client.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode());
        // A small gzip body that inflates beyond the bound.
        byte[] bomb = gzip(("[{\"body\": \"" + "y".repeat(100_000) + "\"}]").getBytes(StandardCharsets.UTF_8));
        assertTrue(bomb.length < 1000);
        assertEquals(413, post(url, bomb, "Content-Encoding", "gzip").statusCode());
        assertEquals(413, post(url, "[{}, {}, {}, {}]").statusCode());
        assertEquals(0, processor.accepted().size());
        assertEquals(4, counter().get(EventsHandler.TOO_LARGE_COUNTER));
        assertEquals(200, post(url, "[{}, {}, {}]").statusCode());
    }

    @Test
    void aFewBytesPerHeaderCannotDecodeToGigabytes() throws Exception {
        // 2 MB of one-digit headers would be some 40 MB of map entries and strings on the heap: beyond what a request
        // of its size may decode to (4 times its size plus 16 MiB), so it is refused before it is all made.
        String url = start(Map.of());
        StringBuilder json = new StringBuilder("[{\"headers\": {");
        for (int i = 0; json.length() < 2_000_000; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(Integer.toString(i, 36)).append("\":1");
        }
        json.append("}}]");
        assertEquals(413, post(url, json.toString()).statusCode());
        assertEquals(0, processor.accepted().size());
        assertEquals(200, post(url, EVENTS).statusCode());
    }

    @Test
    void gzipBodiesAreAcceptedAndOtherEncodingsRefused() throws Exception {
        String url = start(Map.of());
        assertEquals(200, post(url, gzip(EVENTS.getBytes(StandardCharsets.UTF_8)), "Content-Encoding", "gzip",
                "Content-Type", "application/json").statusCode());
        assertEquals("random_body", body(processor.accepted().get(0)));
        assertEquals(400, post(url, EVENTS.getBytes(StandardCharsets.UTF_8), "Content-Encoding", "gzip").statusCode());
        assertEquals(415, post(url, EVENTS.getBytes(StandardCharsets.UTF_8), "Content-Encoding", "br").statusCode());
        assertEquals(2, processor.accepted().size());
    }

    @Test
    void utf16RequestsGiveUtf16Bodies() throws Exception {
        String url = start(Map.of());
        byte[] json = "[{\"body\": \"\u00e9t\u00e9\"}]".getBytes(StandardCharsets.UTF_16);
        assertEquals(200, post(url, json, "Content-Type", "application/json; charset=UTF-16").statusCode());
        assertEquals("\u00e9t\u00e9", new String(processor.accepted().get(0).getBody(), StandardCharsets.UTF_16));
        assertEquals(400, post(url, json, "Content-Type", "application/json; charset=ISO-8859-1").statusCode());
    }

    @Test
    void blobHandlerKeepsTheBodyWholeAndTheParametersAsHeaders() throws Exception {
        String url = start(Map.of("handler", BlobHandler.FLUME_NAME, "handler.maxBlobLength", "10"));
        assertEquals(200, post(url + "upload?type=pdf&type=ignored&name=a", new byte[] {1, 2, 3}).statusCode());
        assertEquals(Map.of("type", "pdf", "name", "a"), processor.accepted().get(0).getHeaders());
        assertEquals(3, processor.accepted().get(0).getBody().length);
        assertEquals(200, post(url, new byte[25]).statusCode());
        assertEquals(10, processor.accepted().get(1).getBody().length);
    }

    @Test
    void aHandlerOfAnotherBundleIsFoundByItsName() throws Exception {
        HttpSourceHandlerFactory rest = source -> request -> {
            String text = new String(request.body().readAllBytes(), StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                throw new BadRequestException("empty");
            }
            return List.of(new SimpleEvent(text.getBytes(StandardCharsets.UTF_8),
                    new HashMap<>(source.subProperties("handler."))));
        };
        Map<String, String> keys = Map.of("handler", "org.example.rest.RestHandler", "handler.nickname",
                "random props", "HttpConfiguration.sendServerVersion", "false", "ServerConnector.idleTimeout", "300");
        IOException waiting = assertThrows(IOException.class, () -> start(keys));
        assertTrue(waiting.getMessage().contains("org.example.rest.RestHandler"), waiting.getMessage());

        Map<String, Object> service = Map.of("sluice.type", new String[] {"org.example.rest.RestHandler"});
        factory.addHandler(rest, service);
        String url = start(keys);
        assertEquals(200, post(url, "plain text").statusCode());
        assertEquals(Map.of("nickname", "random props"), processor.accepted().get(0).getHeaders());
        assertEquals(400, post(url, "").statusCode());

        factory.removeHandler(rest, service);
        assertEquals(503, post(url, "while the bundle is away").statusCode());
        factory.addHandler(rest, service);
        assertEquals(200, post(url, "back").statusCode());
        assertEquals(2, processor.accepted().size());
    }

    @Test
    void garbageAndHugeHeadersCostTheirConnectionOnly() throws Exception {
        String url = start(Map.of());
        int port = URI.create(url).getPort();
        byte[][] junk = {new byte[] {0x16, 0x03, 0x01, 0, 5, 1, 2, 3, 4, 5}, "GET / HTTP/9.9\r\n\r\n".getBytes(
                StandardCharsets.US_ASCII), ("POST / HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(100_000)
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), ("POST / HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 99999999999\r\n\r\n").getBytes(StandardCharsets.US_ASCII)};
        for (byte[] bytes : junk) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(bytes);
                String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                // An error answer (400, 413, 431, 505 ...) or none.
                assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 4") || answer.startsWith("HTTP/1.1 5"),
                        answer);
            } catch (java.net.SocketException e) {
                // Closed by the server without an answer: as good.
            }
        }
        assertEquals(200, post(url, EVENTS).statusCode());
        assertEquals(2, processor.accepted().size());
    }

    @Test
    void bodiesThatComeInPiecesAreReadWhole() throws Exception {
        // A body whose first bytes come with the headers and the rest later, on one kept-alive connection, request
        // after request.
        String url = start(Map.of());
        int port = URI.create(url).getPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < 20; i++) {
                byte[] json = ("[{\"headers\": {\"i\": \"" + i + "\"}, \"body\": \"" + "p".repeat(5000) + i
                        + "\"}]").getBytes(StandardCharsets.UTF_8);
                out.write(head(json.length));
                int cut = 1 + i * json.length / 21;
                out.write(json, 0, cut);
                out.flush();
                // Most of the time the source has read the first piece before the rest comes; either way the body
                // must be read whole.
                Thread.sleep(10);
                out.write(json, cut, json.length - cut);
                out.flush();
                assertEquals("HTTP/1.1 200 OK", readAnswerHead(in), "request " + i);
            }
        }
        List<Event> events = processor.accepted();
        assertEquals(20, events.size());
        for (int i = 0; i < 20; i++) {
            assertEquals(Map.of("i", String.valueOf(i)), events.get(i).getHeaders());
            assertEquals("p".repeat(5000) + i, body(events.get(i)));
        }
    }

    @Test
    void connectionsAtOnceWithBodiesInPiecesAndSlowCommitsLoseNothing() throws Exception {
        // Four clients at once, every third body in two pieces, some commits slow (as a file channel's disk sync):
        // every request answered 200, every event kept once, each connection's in its order. Jetty 12.1.13 fails
        // this when a request is answered after its handler returned (an async read of the body): see
        // docs/benchmarks.md, http.
        int connections = 4;
        int requests = 300;
        List<Event> accepted = new ArrayList<>();
        ChannelProcessor slowAtTimes = new ChannelProcessor() {
            @Override
            public void processEvent(Event event) {
                processEventBatch(List.of(event));
            }

            @Override
            public void processEventBatch(List<Event> events) {
                int kept;
                synchronized (accepted) {
                    accepted.addAll(events);
                    kept = accepted.size();
                }
                if (kept % 37 == 0) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        HttpSource source = (HttpSource) factory.create(TestContexts.source("r2", Map.of("port", "0", "bind",
                "127.0.0.1"), slowAtTimes, data.resolve("r2")));
        source.start();
        started.add(source);
        ExecutorService clients = Executors.newFixedThreadPool(connections);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int connection = c;
                sent.add(clients.submit(() -> {
                    postOneByOne(source.localPort(), connection, requests);
                    return null;
                }));
            }
            for (Future<?> done : sent) {
                done.get(2, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(connections * requests, accepted.size());
        int[] next = new int[connections];
        for (Event event : accepted) {
            int connection = Integer.parseInt(event.getHeaders().get("c"));
            assertEquals(String.valueOf(next[connection]++), event.getHeaders().get("i"), "connection " + connection);
            assertEquals("b".repeat(2000) + event.getHeaders().get("i"), body(event));
        }
    }

    /** Posts one event per request over one connection; every third request's body comes in two pieces. */
    private static void postOneByOne(int port, int connection, int requests) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < requests; i++) {
                byte[] json = ("[{\"headers\": {\"c\": \"" + connection + "\", \"i\": \"" + i + "\"}, \"body\": \""
                        + "b".repeat(2000) + i + "\"}]").getBytes(StandardCharsets.UTF_8);
                byte[] head = head(json.length);
                if (i % 3 == 0) {
                    out.write(head);
                    out.write(json, 0, 1000);
                    out.flush();
                    Thread.sleep(1);
                    out.write(json, 1000, json.length - 1000);
                } else {
                    byte[] whole = Arrays.copyOf(head, head.length + json.length);
                    System.arraycopy(json, 0, whole, head.length, json.length);
                    out.write(whole);
                }
                out.flush();
                assertEquals("HTTP/1.1 200 OK", readAnswerHead(in), "connection " + connection + ", request " + i);
            }
        }
    }

    private static byte[] head(int contentLength) {
        return ("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + contentLength
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads an answer without a body (Content-Length: 0) and gives its status line. */
    private static String readAnswerHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the source closed the connection after: " + head);
            }
            head.append((char) b);
        }
        assertTrue(head.toString().toLowerCase(Locale.ROOT).contains("content-length: 0"), head.toString());
        return head.substring(0, head.indexOf("\r\n"));
    }

    @Test
    void jettyKeysAreChecked() throws Exception {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> start(Map.of("HttpConfiguration.noSuchSetting", "1")));
        assertTrue(e.getMessage().contains("HttpConfiguration.noSuchSetting"), e.getMessage());
        assertThrows(ConfigurationException.class, () -> start(Map.of("QueuedThreadPool.maxThreads", "many")));
    }

    @Test
    void httpsWithFlumesKeys() throws Exception {
        TestKeyStores stores = TestKeyStores.create(data, "JKS");
        String url = start(Map.of("ssl", "true", "keystore", stores.keyStore().toString(), "keystorePassword",
                TestKeyStores.PASSWORD));
        KeyStore trusted = KeyStore.getInstance("JKS");
        try (var in = Files.newInputStream(stores.trustStore())) {
            trusted.load(in, TestKeyStores.PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        client = HttpClient.newBuilder().sslContext(tls).build();
        assertEquals(200, post(url, EVENTS).statusCode());
        assertEquals(2, processor.accepted().size());
    }
}

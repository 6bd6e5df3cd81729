package org.sluice.itests.osgi.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server that Flume's http sink posts to: it answers 200 and keeps each body, a number sent by
 * {@link NetcatFeeder}.
 */
public final class HttpReceiver implements AutoCloseable {
    private final HttpServer server;
    private final Set<Long> numbers = ConcurrentHashMap.newKeySet();
    private final AtomicLong posts = new AtomicLong();

    private HttpReceiver(HttpServer server) {
        this.server = server;
    }

    public static HttpReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HttpReceiver receiver = new HttpReceiver(server);
        server.createContext("/events", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).trim();
            receiver.numbers.add(Long.parseLong(body));
            receiver.posts.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return receiver;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    public long posts() {
        return posts.get();
    }

    /** Waits until every number in [from, to) was received at least once. */
    public void awaitAll(long from, long to) {
        Await.until("every number in [" + from + ", " + to + ") posted to the HTTP server",
                () -> FileRollOutput.missing(numbers, from, to), java.util.List::isEmpty);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

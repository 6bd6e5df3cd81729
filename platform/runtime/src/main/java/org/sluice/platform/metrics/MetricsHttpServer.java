package org.sluice.platform.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import javax.management.MBeanServer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flume's JSON reporter ({@code HTTPMetricsServer}) on the JDK's HTTP server.
 *
 * <ul>
 * <li>{@code GET /metrics} (the path in any case, as Flume): 200, {@code application/json;charset=utf-8},
 * {@code {"SOURCE.r1":{"Type":"SOURCE","EventReceivedCount":"10",...},"CHANNEL.c1":{...}}}, every value a
 * string (see {@link FlumeJmxPoll}).</li>
 * <li>{@code GET /}: 200, the short HTML page with a link to {@code ./metrics} that Flume shows.</li>
 * <li>Any other path: 404.</li>
 * <li>{@code TRACE} and {@code OPTIONS}: 403, as Flume 1.11 answers them.</li>
 * <li>Other methods but {@code GET} and {@code HEAD}: 405 with {@code Allow: GET, HEAD}. Flume answers them
 * as a GET; the endpoint is read-only, so Sluice says so.</li>
 * </ul>
 */
public final class MetricsHttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpServer.class);

    private static final String JSON = "application/json;charset=utf-8";
    private static final String HTML = "text/html;charset=utf-8";
    private static final String TEXT = "text/plain;charset=utf-8";
    private static final String INDEX = "For Flume metrics please click <a href = \"./metrics\"> here</a>.";

    private final MBeanServer mbeans;
    private final HttpServer server;

    /**
     * Binds the address now (so a port in use fails here, not later) and serves once {@link #start()} is called.
     *
     * @throws IOException when the address cannot be bound
     */
    public MetricsHttpServer(InetSocketAddress address, MBeanServer mbeans) throws IOException {
        this.mbeans = mbeans;
        this.server = HttpServer.create(address, 0);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
    }

    /** The bound address; its port is the real one when port 0 was asked for. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops at once: a poll cut short is repeated by the poller, nothing is lost. */
    public void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (method.equalsIgnoreCase("TRACE") || method.equalsIgnoreCase("OPTIONS")) {
                respond(exchange, 403, TEXT, "Forbidden\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, TEXT, "Method " + method + " not allowed: use GET\n");
            } else if (path.equals("/")) {
                respond(exchange, 200, HTML, INDEX);
            } else if (path.equalsIgnoreCase("/metrics")) {
                respondMetrics(exchange);
            } else {
                respond(exchange, 404, TEXT, "Not found: " + path + "; the metrics are at /metrics\n");
            }
        }
    }

    private void respondMetrics(HttpExchange exchange) throws IOException {
        byte[] json;
        try {
            json = Json.objectOfObjects(FlumeJmxPoll.poll(mbeans));
        } catch (RuntimeException e) {
            LOG.error("Polling the MBeans for {} failed", exchange.getRequestURI(), e);
            respond(exchange, 500, TEXT, "The metrics cannot be read now: " + e + "\n");
            return;
        }
        respond(exchange, 200, JSON, json);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        respond(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] bytes)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

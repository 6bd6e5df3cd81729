package org.sluice.platform.metrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitoring port's HTTP/1.1 server, on one selector thread; what it answers is its {@link Handler}'s
 * ({@link MonitoringEndpoints}: Flume's JSON, the Prometheus formats, the probes).
 *
 * <ul>
 * <li>{@code GET} and {@code HEAD}: the handler's answer for the request's path (without its query) and
 * {@code Accept} header; {@code HEAD} without the body.</li>
 * <li>{@code TRACE} and {@code OPTIONS}: 403, as Flume 1.11 answers them.</li>
 * <li>Other methods: 405 with {@code Allow: GET, HEAD}. Flume answers them as a GET; the endpoints are read-only,
 * so Sluice says so.</li>
 * </ul>
 *
 * <p>No client can stop it serving the others. Sockets never block, so a client that sends half a request, or
 * reads its answer slowly, holds no thread; a request must arrive whole within {@link #REQUEST_TIMEOUT_MILLIS} and
 * its answer be read within the same time again, else the connection is closed; a request head larger than
 * {@link #MAX_HEAD_BYTES} is answered 431; at most {@link #MAX_CONNECTIONS} connections are open, and one more
 * closes the oldest. Every answer closes its connection. (The JDK's HttpServer reads a request head on its one
 * dispatcher thread unless given other threads, and its time limits and connection bound are JVM-wide system
 * properties, some missing on Java 17: one half-sent header stopped it for everyone.)
 */
public final class MetricsHttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpServer.class);

    /** The time a client has to send its request, and again to read the answer. */
    static final long REQUEST_TIMEOUT_MILLIS = 10_000;
    /** The largest request head (request line and headers) read. */
    static final int MAX_HEAD_BYTES = 16 * 1024;
    /** Connections open at once; one more closes the oldest. */
    static final int MAX_CONNECTIONS = 64;

    private static final String TEXT = "text/plain;charset=utf-8";

    /** What a {@code GET} or {@code HEAD} is answered; called on the server's one thread. */
    interface Handler {
        /**
         * @param path   the request's path, without its query, as sent
         * @param accept the request's {@code Accept} header, its values joined by commas; null when absent
         */
        Answer answer(String path, String accept);
    }

    /** A status, its body's media type, the body. */
    record Answer(int status, String contentType, byte[] body) {
        static Answer of(int status, String contentType, String body) {
            return new Answer(status, contentType, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Handler handler;
    private final long requestTimeoutNanos;
    private final ServerSocketChannel listener;
    private final Selector selector;
    private final List<Exchange> open = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopping;

    /** One connection: its request as it arrives, then its answer as it leaves. */
    private static final class Exchange {
        final SocketChannel channel;
        long deadline;
        ByteBuffer head = ByteBuffer.allocate(1024);
        ByteBuffer answer;

        Exchange(SocketChannel channel, long deadline) {
            this.channel = channel;
            this.deadline = deadline;
        }
    }

    /**
     * Binds the address now (so a port in use fails here, not later) and serves once {@link #start()} is called.
     *
     * @throws IOException when the address cannot be bound
     */
    MetricsHttpServer(InetSocketAddress address, Handler handler) throws IOException {
        this(address, handler, REQUEST_TIMEOUT_MILLIS);
    }

    MetricsHttpServer(InetSocketAddress address, Handler handler, long requestTimeoutMillis) throws IOException {
        this.handler = handler;
        this.requestTimeoutNanos = requestTimeoutMillis * 1_000_000;
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(address, 64);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            listener.close();
            selector.close();
            throw e;
        }
        this.thread = new Thread(this::serve, "sluice-metrics-http");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** The bound address; its port is the real one when port 0 was asked for. */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the metrics server's socket is closed", e);
        }
    }

    /** Stops at once: a poll cut short is repeated by the poller, nothing is lost. */
    public void stop() {
        stopping = true;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            closeEverything();
        }
    }

    private void serve() {
        try {
            while (!stopping) {
                selector.select(250);
                for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext();) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    try {
                        if (key.isAcceptable()) {
                            accept();
                        } else if (key.isReadable()) {
                            read(key, (Exchange) key.attachment());
                        } else if (key.isWritable()) {
                            write(key, (Exchange) key.attachment());
                        }
                    } catch (IOException | RuntimeException e) {
                        // One client's connection failed (reset, closed): only it is closed.
                        if (key.attachment() instanceof Exchange exchange) {
                            close(exchange);
                        }
                        LOG.debug("metrics connection failed: {}", e.toString());
                    }
                }
                closeExpired();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("The HTTP metrics server stopped serving", e);
        } finally {
            closeEverything();
        }
    }

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = listener.accept()) != null) {
            if (open.size() >= MAX_CONNECTIONS) {
                // The oldest goes: a scraper's request takes milliseconds, so it is a slow or idle one.
                close(open.get(0));
            }
            channel.configureBlocking(false);
            Exchange exchange = new Exchange(channel, System.nanoTime() + requestTimeoutNanos);
            channel.register(selector, SelectionKey.OP_READ, exchange);
            open.add(exchange);
        }
    }

    private void read(SelectionKey key, Exchange exchange) throws IOException {
        if (!exchange.head.hasRemaining()) {
            if (exchange.head.capacity() >= MAX_HEAD_BYTES) {
                answer(key, exchange, "GET", 431, TEXT, "Request header fields too large\n", null);
                return;
            }
            ByteBuffer larger = ByteBuffer.allocate(Math.min(MAX_HEAD_BYTES, exchange.head.capacity() * 4));
            exchange.head.flip();
            larger.put(exchange.head);
            exchange.head = larger;
        }
        int read = exchange.channel.read(exchange.head);
        if (read < 0) {
            close(exchange);
            return;
        }
        int end = endOfHead(exchange.head);
        if (end >= 0) {
            handle(key, exchange, new String(exchange.head.array(), 0, end, StandardCharsets.ISO_8859_1));
        }
    }

    /** The length of the request line and headers once a blank line ends them, else -1. */
    private static int endOfHead(ByteBuffer head) {
        byte[] bytes = head.array();
        for (int i = 3; i < head.position(); i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i - 3;
            }
            if (bytes[i] == '\n' && bytes[i - 1] == '\n') {
                return i - 1;
            }
        }
        return -1;
    }

    private void handle(SelectionKey key, Exchange exchange, String head) {
        List<String> lines = head.lines().toList();
        String[] parts = lines.isEmpty() ? new String[0] : lines.get(0).split(" ");
        if (parts.length < 2 || parts.length > 3) {
            answer(key, exchange, "GET", 400, TEXT, "Bad request\n", null);
            return;
        }
        String method = parts[0];
        String path;
        try {
            path = new URI(parts[1]).getPath();
        } catch (URISyntaxException e) {
            answer(key, exchange, method, 400, TEXT, "Bad request\n", null);
            return;
        }
        if (path == null) {
            path = "";
        }
        if (method.equalsIgnoreCase("TRACE") || method.equalsIgnoreCase("OPTIONS")) {
            answer(key, exchange, method, 403, TEXT, "Forbidden\n", null);
        } else if (!method.equals("GET") && !method.equals("HEAD")) {
            answer(key, exchange, method, 405, TEXT, "Method not allowed: use GET\n", "Allow: GET, HEAD");
        } else {
            Answer answer = handler.answer(path, header(lines, "Accept"));
            answer(key, exchange, method, answer.status(), answer.contentType(), answer.body(), null);
        }
    }

    /** A header's values joined by commas (as HTTP allows a repeated header to be read), or null. */
    private static String header(List<String> lines, String name) {
        StringBuilder value = null;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':');
            if (colon == name.length() && line.regionMatches(true, 0, name, 0, colon)) {
                value = value == null ? new StringBuilder() : value.append(',');
                value.append(line.substring(colon + 1).trim());
            }
        }
        return value == null ? null : value.toString();
    }

    private void answer(SelectionKey key, Exchange exchange, String method, int status, String contentType,
            String body, String extraHeader) {
        answer(key, exchange, method, status, contentType, body.getBytes(StandardCharsets.UTF_8), extraHeader);
    }

    private void answer(SelectionKey key, Exchange exchange, String method, int status, String contentType,
            byte[] bytes, String extraHeader) {
        StringBuilder head = new StringBuilder(160).append("HTTP/1.1 ").append(status).append(' ')
                .append(reason(status)).append("\r\nContent-Type: ").append(contentType)
                .append("\r\nConnection: close\r\n");
        if (extraHeader != null) {
            head.append(extraHeader).append("\r\n");
        }
        boolean withBody = !method.equals("HEAD");
        // HEAD is answered without a body and without a length, as the JDK's server and Flume's Jetty do.
        if (withBody) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer answer = ByteBuffer.allocate(headBytes.length + (withBody ? bytes.length : 0));
        answer.put(headBytes);
        if (withBody) {
            answer.put(bytes);
        }
        answer.flip();
        exchange.answer = answer;
        exchange.head = null;
        exchange.deadline = System.nanoTime() + requestTimeoutNanos;
        key.interestOps(SelectionKey.OP_WRITE);
    }

    private void write(SelectionKey key, Exchange exchange) throws IOException {
        exchange.channel.write(exchange.answer);
        if (!exchange.answer.hasRemaining()) {
            close(exchange);
        }
    }

    private void closeExpired() {
        long now = System.nanoTime();
        for (Exchange exchange : new ArrayList<>(open)) {
            if (now - exchange.deadline > 0) {
                LOG.debug("metrics connection closed: no whole request or no reader in time");
                close(exchange);
            }
        }
    }

    private void close(Exchange exchange) {
        open.remove(exchange);
        try {
            exchange.channel.close();
        } catch (IOException e) {
            // Closing only releases the socket.
        }
    }

    private void closeEverything() {
        for (Exchange exchange : new ArrayList<>(open)) {
            close(exchange);
        }
        try {
            listener.close();
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the metrics server's socket failed: {}", e.toString());
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 503 -> "Service Unavailable";
            case 431 -> "Request Header Fields Too Large";
            default -> "Internal Server Error";
        };
    }
}

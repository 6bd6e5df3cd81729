package org.sluice.benchmark;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds an http source with Flume JSONHandler batches: a few connections, each POSTing one batch after another over a
 * kept-alive HTTP/1.1 connection and waiting for its answer. A batch answered with anything but 200 counts as refused.
 *
 * <p>The request is built once and written as bytes, and the answer's status line and headers are read by hand: an
 * HTTP client library (the JDK's costs about as much CPU per event as the agents do) would take the CPU the agents
 * are measured on, on the same machine. Runs inside the harness's JVM.
 */
final class HttpLoadGenerator implements LoadGenerator {
    private final Scenario.HttpLoad load;
    private final byte[] request;
    private final LoadThreads threads = new LoadThreads();
    private final AtomicLong rejected = new AtomicLong();
    private final List<Socket> sockets = new ArrayList<>();

    HttpLoadGenerator(Scenario.HttpLoad load) {
        this.load = load;
        StringBuilder json = new StringBuilder("[");
        String body = "x".repeat(load.eventBytes());
        for (int i = 0; i < load.batchSize(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"headers\":{\"host\":\"bench-host\",\"seq\":\"").append(i)
                    .append("\"},\"body\":\"").append(body).append("\"}");
        }
        byte[] batch = json.append(']').toString().getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST / HTTP/1.1\r\nHost: " + load.target().getHostString() + ":" + load.target().getPort()
                + "\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: " + batch.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        this.request = new byte[head.length + batch.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(batch, 0, request, head.length, batch.length);
    }

    @Override
    public void start(Duration connectTimeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        for (int c = 0; c < load.connections(); c++) {
            Socket socket = NetcatLoadGenerator.connect(load.target(), deadline);
            synchronized (sockets) {
                sockets.add(socket);
            }
            threads.start("http-load-" + c, () -> post(socket, deadline));
        }
    }

    /** POSTs over one connection, and over a new one when the agent closes it (after an error answer). */
    private void post(Socket first, long deadline) throws IOException, InterruptedException {
        Socket socket = first;
        while (threads.running()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            boolean open = true;
            while (open && threads.running()) {
                out.write(request);
                out.flush();
                Answer answer = readAnswer(in);
                if (answer.status != 200) {
                    rejected.incrementAndGet();
                }
                open = !answer.close;
            }
            socket.close();
            if (threads.running()) {
                socket = NetcatLoadGenerator.connect(load.target(), deadline + Duration.ofMinutes(10).toNanos());
                synchronized (sockets) {
                    sockets.add(socket);
                }
            }
        }
    }

    private record Answer(int status, boolean close) {
    }

    /** Reads one answer: the status, the headers, and the body (by Content-Length or in chunks), discarded. */
    private static Answer readAnswer(InputStream in) throws IOException {
        String status = line(in);
        if (status.length() < 12 || !status.startsWith("HTTP/1.")) {
            throw new IOException("Not an HTTP answer: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header; !(header = line(in)).isEmpty(); ) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        if (chunked) {
            for (long size; (size = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0; ) {
                skip(in, size);
                line(in);
            }
            while (!line(in).isEmpty()) {
                // trailers
            }
        } else if (length > 0) {
            skip(in, length);
        }
        return new Answer(code, close);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("The agent closed the connection mid-answer");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        for (long left = bytes; left > 0; ) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("The agent closed the connection mid-answer");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    @Override
    public void check() throws IOException {
        threads.check("Http load to " + load.target());
    }

    @Override
    public long rejected() {
        return rejected.get();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        threads.stop(() -> {
            synchronized (sockets) {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        });
    }
}

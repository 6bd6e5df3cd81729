package org.sluice.benchmark;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds an http source with Flume JSONHandler batches: a few threads, each POSTing one batch after another and waiting
 * for its answer (an HTTP/1.1 connection each, kept alive). A batch answered with anything but 200 counts as refused.
 * Runs inside the harness's JVM, with the JDK's HTTP client.
 */
final class HttpLoadGenerator implements LoadGenerator {
    private final Scenario.HttpLoad load;
    private final byte[] batch;
    private final URI uri;
    private final LoadThreads threads = new LoadThreads();
    private final AtomicLong rejected = new AtomicLong();
    private HttpClient client;

    HttpLoadGenerator(Scenario.HttpLoad load) {
        this.load = load;
        this.uri = URI.create("http://" + load.target().getHostString() + ":" + load.target().getPort() + "/");
        StringBuilder json = new StringBuilder("[");
        String body = "x".repeat(load.eventBytes());
        for (int i = 0; i < load.batchSize(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"headers\":{\"host\":\"bench-host\",\"seq\":\"").append(i)
                    .append("\"},\"body\":\"").append(body).append("\"}");
        }
        this.batch = json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void start(Duration connectTimeout) throws IOException, InterruptedException {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        while (true) {
            try {
                post();
                break;
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("The http source at " + uri + " does not accept connections", e);
                }
                Thread.sleep(100);
            }
        }
        for (int c = 0; c < load.connections(); c++) {
            threads.start("http-load-" + c, () -> {
                while (threads.running()) {
                    post();
                }
            });
        }
    }

    private void post() throws IOException, InterruptedException {
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch)).build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            rejected.incrementAndGet();
        }
    }

    @Override
    public void check() throws IOException {
        threads.check("Http load to " + uri);
    }

    @Override
    public long rejected() {
        return rejected.get();
    }

    @Override
    public OptionalLong processId() {
        return OptionalLong.empty();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        threads.stop(() -> {
        });
    }
}

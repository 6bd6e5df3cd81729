package org.sluice.itests.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A real Prometheus server (Debian's {@code prometheus} package, which .ci/prerequisites installs) in a child
 * process, scraping one target every 2 seconds (time enough for one scrape on a busy machine), on 127.0.0.1 only;
 * read through its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts Prometheus with one job, {@code sluice}, scraping {@code http://target/metrics} every 2 seconds; returns
     * once its API answers.
     *
     * @param work a directory of its own for the configuration, the database and the log
     */
    static PrometheusServer scraping(Path work, String target) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 2s",
                "  scrape_timeout: 2s",
                "scrape_configs:",
                "  - job_name: sluice",
                "    metrics_path: /metrics",
                "    static_configs:",
                "      - targets: ['" + target + "']",
                ""));
        int port = NetcatClient.freePort();
        Path log = work.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary(), "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=info").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, log, port);
        try {
            Awaitility.await("Prometheus ready").atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(200)).failFast("Prometheus ended", () -> !process.isAlive())
                    .until(server::isReady);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            server.close();
            throw new AssertionError("Prometheus did not start; its log:\n" + Files.readString(log), e);
        }
        return server;
    }

    private static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Paths.get(dir, "prometheus");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("prometheus is not on the PATH: install Debian's prometheus package "
                + "(.ci/prerequisites does)");
    }

    private boolean isReady() {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(base() + "/-/ready")).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    /** The API's {@code data} for a GET of {@code path}; an assertion error unless its status is success. */
    JsonNode api(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError("Prometheus answered " + response.statusCode() + " to " + path + ": "
                    + response.body());
        }
        return body.get("data");
    }

    /** An instant query now: the {@code result} array of vector samples (each {@code metric}, {@code value}). */
    JsonNode query(String promql) throws IOException, InterruptedException {
        JsonNode data = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!"vector".equals(data.path("resultType").asText())) {
            throw new AssertionError(promql + " is not a vector: " + data);
        }
        return data.get("result");
    }

    /**
     * The one scrape target, as {@code /api/v1/targets} shows it (health, lastError, lastScrape); null until
     * Prometheus has taken it from its configuration, which happens shortly after it is ready.
     */
    JsonNode target() throws IOException, InterruptedException {
        JsonNode targets = api("/api/v1/targets?state=active").get("activeTargets");
        if (targets.size() > 1) {
            throw new AssertionError("expected one target: " + targets);
        }
        return targets.isEmpty() ? null : targets.get(0);
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}

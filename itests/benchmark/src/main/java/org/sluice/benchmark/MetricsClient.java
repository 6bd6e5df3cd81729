package org.sluice.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads one counter from an agent's Flume-style HTTP JSON metrics ({@code -Dflume.monitoring.type=http}), which
 * Flume and Sluice both serve at {@code /metrics} as {@code {"GROUP":{"Counter":"value",...},...}}.
 */
final class MetricsClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private final URI uri;

    MetricsClient(int port) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/metrics");
    }

    /**
     * The counter's current value.
     *
     * @return empty while the agent does not (yet) publish the group or the counter
     * @throws IOException when the agent does not answer, or answers with something else than metrics
     */
    OptionalLong read(CounterRef counter) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered HTTP " + response.statusCode());
        }
        return valueOf(response.body(), counter, uri.toString());
    }

    /** The counter's value in a metrics document; empty when the document lacks the group or the counter. */
    static OptionalLong valueOf(String document, CounterRef counter, String source) throws IOException {
        Object root;
        try {
            root = Json.parse(document);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> groups)) {
            throw new IOException(source + " is not a JSON object of counter groups");
        }
        if (!(groups.get(counter.group()) instanceof Map<?, ?> group)) {
            return OptionalLong.empty();
        }
        Object value = group.get(counter.name());
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            // Flume writes every counter as a JSON string; accept a JSON number too.
            return OptionalLong.of(Long.parseLong(value.toString()));
        } catch (NumberFormatException e) {
            throw new IOException(source + ": " + counter + " is '" + value + "', not a whole number", e);
        }
    }
}

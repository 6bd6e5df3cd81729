package org.sluice.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads one counter from an agent's Flume-style HTTP JSON metrics ({@code -Dflume.monitoring.type=http}), which
 * Flume and Sluice both serve at {@code /metrics} as {@code {"GROUP":{"Counter":"value",...},...}}.
 */
final class MetricsClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** Reads the documents with Jackson; a document is small and read whole. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

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
        JsonNode root;
        try {
            root = MAPPER.readTree(document);
        } catch (JsonProcessingException e) {
            throw new IOException(source + ": not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(source + " is not a JSON object of counter groups");
        }
        JsonNode group = root.get(counter.group());
        if (group == null || !group.isObject()) {
            return OptionalLong.empty();
        }
        JsonNode value = group.get(counter.name());
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        String text = value.isValueNode() ? value.asText() : value.toString();
        try {
            // Flume writes every counter as a JSON string; accept a JSON number too.
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IOException(source + ": " + counter + " is '" + text + "', not a whole number", e);
        }
    }
}

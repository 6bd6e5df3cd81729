package org.sluice.itests.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/**
 * The built distribution's monitoring port as operators use it: a real Prometheus server scraping a running
 * agent's {@code /metrics} (so Prometheus's own parser reads what the agent negotiates with it), its series against
 * Flume's JSON of the same moment, the Grafana dashboard's queries run against that Prometheus, and {@code /ready}
 * following a component that waits for its plugin.
 */
class MonitoringIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int EVENTS = 500;

    /** Flume's counters of the agent below and the series docs/monitoring.md gives them. */
    private static final Map<String, String> SERIES = Map.ofEntries(
            Map.entry("SOURCE.EventReceivedCount", "flume_source_event_received_total"),
            Map.entry("SOURCE.EventAcceptedCount", "flume_source_event_accepted_total"),
            Map.entry("SOURCE.AppendReceivedCount", "flume_source_append_received_total"),
            Map.entry("SOURCE.AppendAcceptedCount", "flume_source_append_accepted_total"),
            Map.entry("SOURCE.AppendBatchReceivedCount", "flume_source_append_batch_received_total"),
            Map.entry("SOURCE.AppendBatchAcceptedCount", "flume_source_append_batch_accepted_total"),
            Map.entry("SOURCE.OpenConnectionCount", "flume_source_open_connection"),
            Map.entry("SOURCE.ChannelWriteFail", "flume_source_channel_write_fail_total"),
            Map.entry("SOURCE.EventReadFail", "flume_source_event_read_fail_total"),
            Map.entry("SOURCE.GenericProcessingFail", "flume_source_generic_processing_fail_total"),
            Map.entry("SOURCE.StartTime", "flume_source_start_time_seconds"),
            Map.entry("SOURCE.StopTime", "flume_source_stop_time_seconds"),
            Map.entry("CHANNEL.ChannelSize", "flume_channel_size"),
            Map.entry("CHANNEL.ChannelCapacity", "flume_channel_capacity"),
            Map.entry("CHANNEL.ChannelFillPercentage", "flume_channel_fill_ratio"),
            Map.entry("CHANNEL.EventPutAttemptCount", "flume_channel_event_put_attempt_total"),
            Map.entry("CHANNEL.EventPutSuccessCount", "flume_channel_event_put_success_total"),
            Map.entry("CHANNEL.EventTakeAttemptCount", "flume_channel_event_take_attempt_total"),
            Map.entry("CHANNEL.EventTakeSuccessCount", "flume_channel_event_take_success_total"),
            Map.entry("CHANNEL.StartTime", "flume_channel_start_time_seconds"),
            Map.entry("CHANNEL.StopTime", "flume_channel_stop_time_seconds"),
            Map.entry("SINK.ConnectionCreatedCount", "flume_sink_connection_created_total"),
            Map.entry("SINK.ConnectionClosedCount", "flume_sink_connection_closed_total"),
            Map.entry("SINK.ConnectionFailedCount", "flume_sink_connection_failed_total"),
            Map.entry("SINK.BatchEmptyCount", "flume_sink_batch_empty_total"),
            Map.entry("SINK.BatchUnderflowCount", "flume_sink_batch_underflow_total"),
            Map.entry("SINK.BatchCompleteCount", "flume_sink_batch_complete_total"),
            Map.entry("SINK.EventDrainAttemptCount", "flume_sink_event_drain_attempt_total"),
            Map.entry("SINK.EventDrainSuccessCount", "flume_sink_event_drain_success_total"),
            Map.entry("SINK.EventWriteFail", "flume_sink_event_write_fail_total"),
            Map.entry("SINK.ChannelReadFail", "flume_sink_channel_read_fail_total"),
            Map.entry("SINK.StartTime", "flume_sink_start_time_seconds"),
            Map.entry("SINK.StopTime", "flume_sink_stop_time_seconds"));

    /** seq (a fixed number of events) -> memory -> null: the counters stop moving once it is all delivered. */
    private static String seqMemoryNull() {
        return String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.totalEvents = " + EVENTS,
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.channel = c1",
                "");
    }

    private static AgentProcess startMonitored(Installation sluice, int metricsPort) throws IOException {
        Files.writeString(sluice.resolve("conf/monitored.properties"), seqMemoryNull());
        return AgentProcess.start(sluice, Map.of("JAVA_OPTS", "-Dflume.monitoring.type=http -Dflume.monitoring.port="
                + metricsPort + " -Dflume.monitoring.bind=127.0.0.1"), "agent", "-c", "conf", "-f",
                "conf/monitored.properties", "-n", "a1");
    }

    private static HttpResponse<String> get(int port, String path, String accept) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET, or null while nothing listens yet. */
    private static HttpResponse<String> getOrNull(int port, String path) throws InterruptedException {
        try {
            return get(port, path, null);
        } catch (IOException notYet) {
            return null;
        }
    }

    private static long drained(int port) throws InterruptedException, IOException {
        HttpResponse<String> response = getOrNull(port, "/metrics");
        if (response == null) {
            return -1;
        }
        JsonNode sink = JSON.readTree(response.body()).path("SINK.k1");
        return sink.isMissingNode() ? -1 : Long.parseLong(sink.get("EventDrainSuccessCount").asText());
    }

    /** A JSON counter's value in its series' unit: milliseconds to seconds, a percentage to a ratio. */
    private static double inSeriesUnit(String series, JsonNode counter) {
        double value = Double.parseDouble(counter.asText());
        if (series.endsWith("_seconds")) {
            return value / 1000;
        }
        return series.endsWith("_ratio") ? value / 100 : value;
    }

    @Test
    void aRealPrometheusScrapesTheAgentAndItsSeriesAreTheJsonCounters() throws Exception {
        Installation sluice = Installation.fresh();
        int metricsPort = NetcatClient.freePort();
        try (AgentProcess agent = startMonitored(sluice, metricsPort)) {
            await("every event delivered").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> drained(metricsPort) == EVENTS);
            assertEquals(200, get(metricsPort, "/ready", null).statusCode());

            try (PrometheusServer prometheus = PrometheusServer.scraping(sluice.resolve("prometheus"),
                    "127.0.0.1:" + metricsPort)) {
                // The sink keeps polling its empty channel (every 5 s, Flume's backoff), so a few counters still
                // move: each series must lie between the JSON read before a scrape began and the JSON read after
                // Prometheus was asked, and the counters that did not move between the two must be equal.
                JsonNode before = JSON.readTree(get(metricsPort, "/metrics", null).body());
                Instant readBefore = Instant.now();
                JsonNode target = await("Prometheus to scrape the agent").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250)).until(prometheus::target, t -> t != null
                                && t.get("health").asText().equals("up")
                                && Instant.parse(t.get("lastScrape").asText()).isAfter(readBefore));
                assertEquals("", target.get("lastError").asText(), target.toString());
                assertEquals("http://127.0.0.1:" + metricsPort + "/metrics", target.get("scrapeUrl").asText());

                Map<String, Double> scraped = new HashMap<>();
                for (JsonNode sample : prometheus.query("{job=\"sluice\",__name__=~\"flume_.+\"}")) {
                    JsonNode metric = sample.get("metric");
                    assertEquals("a1", metric.get("agent").asText(), metric.toString());
                    assertTrue(Set.of("r1", "c1", "k1").contains(metric.get("component").asText()), metric.toString());
                    scraped.put(metric.get("__name__").asText() + "/" + metric.get("component").asText(),
                            Double.parseDouble(sample.get("value").get(1).asText()));
                }
                JsonNode after = JSON.readTree(get(metricsPort, "/metrics", null).body());

                int compared = 0;
                for (Map.Entry<String, JsonNode> group : before.properties()) {
                    String kind = group.getKey().substring(0, group.getKey().indexOf('.'));
                    String component = group.getKey().substring(kind.length() + 1);
                    for (Map.Entry<String, JsonNode> counter : group.getValue().properties()) {
                        if (counter.getKey().equals("Type")) {
                            continue;
                        }
                        String series = SERIES.get(kind + "." + counter.getKey());
                        assertTrue(series != null, "no documented series for " + kind + "." + counter.getKey());
                        double low = inSeriesUnit(series, counter.getValue());
                        double high = inSeriesUnit(series, after.get(group.getKey()).get(counter.getKey()));
                        Double actual = scraped.remove(series + "/" + component);
                        assertTrue(actual != null, series + " of " + component + " was not scraped");
                        String what = series + " of " + component + " (JSON " + low + " before, " + high + " after)";
                        if (low == high) {
                            assertEquals(low, actual, 1e-6, what);
                        } else {
                            assertTrue(actual >= Math.min(low, high) - 1e-6 && actual <= Math.max(low, high) + 1e-6,
                                    what + ": " + actual);
                        }
                        compared++;
                    }
                }
                assertEquals(SERIES.size(), compared);
                assertEquals(Map.of(), scraped, "series Prometheus has that are no JSON counter");
                assertEquals(EVENTS, prometheus.query("flume_sink_event_drain_success_total").get(0).get("value")
                        .get(1).asDouble());

                JsonNode states = prometheus.query("sluice_component_state == 1");
                assertEquals(3, states.size(), states.toString());
                states.forEach(s -> assertEquals("RUNNING", s.get("metric").get("state").asText()));
                assertFalse(prometheus.query("jvm_memory_used_bytes{area=\"heap\"}").isEmpty());

                dashboardQueriesAnswer(sluice, prometheus, get(metricsPort, "/metrics/prometheus", null).body());
            }
            assertEquals(0, agent.terminate());
        }
    }

    /**
     * Every query of contrib/grafana/sluice-dashboard.json, its variables set as Grafana sets them, answers data
     * from the Prometheus scraping the agent; and every metric it names is in the agent's own scrape.
     */
    private static void dashboardQueriesAnswer(Installation sluice, PrometheusServer prometheus, String scrape)
            throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(sluice.resolve("contrib/grafana/sluice-dashboard.json")));
        List<String> expressions = new ArrayList<>();
        collectExpressions(dashboard.get("panels"), expressions);
        assertTrue(expressions.size() >= 10, "the dashboard's queries: " + expressions);

        Set<String> exposed = new TreeSet<>();
        Matcher sample = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(scrape);
        while (sample.find()) {
            exposed.add(sample.group(1));
        }
        for (String expression : expressions) {
            for (String name : metricNames(expression)) {
                assertTrue(exposed.contains(name), name + " (in " + expression + ") is not in the agent's scrape");
            }
        }
        // Rates need two scrapes in their range: wait until each query has data, at most a few scrapes.
        List<String> queries = new ArrayList<>();
        for (String expression : expressions) {
            queries.add(expression.replace("$__rate_interval", "1m").replace("$agent", "a1")
                    .replace("$instance", ".*"));
        }
        await("every dashboard query to answer data").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    for (String query : queries) {
                        assertFalse(prometheus.query(query).isEmpty(), "no data for " + query);
                    }
                });
        // The variables' own queries: label_values(selector, label).
        for (JsonNode variable : dashboard.get("templating").get("list")) {
            Matcher labelValues = Pattern.compile("label_values\\((.+), *([a-z_]+)\\)")
                    .matcher(variable.get("definition").asText());
            assertTrue(labelValues.matches(), variable.toString());
            String selector = labelValues.group(1).replace("$agent", "a1");
            assertFalse(prometheus.api("/api/v1/label/" + labelValues.group(2) + "/values?match[]="
                    + java.net.URLEncoder.encode(selector, StandardCharsets.UTF_8)).isEmpty(), variable.toString());
        }
    }

    private static void collectExpressions(JsonNode panels, List<String> out) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                out.add(target.get("expr").asText());
            }
            collectExpressions(panel.path("panels"), out);
        }
    }

    /** The metric names a PromQL expression selects: identifiers outside braces, ranges and groupings, not calls. */
    static Set<String> metricNames(String expression) {
        String bare = expression.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
        while (identifier.find()) {
            String rest = bare.substring(identifier.end()).stripLeading();
            boolean call = rest.startsWith("(");
            boolean keyword = Set.of("and", "or", "unless", "bool", "offset", "group_left",
                    "group_right").contains(identifier.group());
            boolean number = identifier.start() > 0 && Character.isDigit(bare.charAt(identifier.start() - 1));
            if (!call && !keyword && !number) {
                names.add(identifier.group());
            }
        }
        return names;
    }

    @Test
    void metricNamesAreFoundInTheDashboardsKindsOfQueries() {
        // The extractor the dashboard check relies on.
        assertEquals(Set.of("flume_source_event_received_total"), metricNames("sum by (agent, component) "
                + "(rate(flume_source_event_received_total{agent=~\"$agent\"}[$__rate_interval]))"));
        assertEquals(Set.of("sluice_component_state"), metricNames("count(sluice_component_state{agent=~\"$agent\","
                + "state!=\"RUNNING\"} == 1) or vector(0)"));
        assertEquals(Set.of("a", "b"), metricNames("a / on (x) group_left b offset 5m"));
    }

    @Test
    void readyFollowsAComponentWaitingForItsPlugin() throws Exception {
        Installation sluice = Installation.fresh();
        Path memoryChannel = sluice.deployedJar("org.sluice.channel.memory");
        Path aside = Files.move(memoryChannel, sluice.resolve(memoryChannel.getFileName().toString()));
        int metricsPort = NetcatClient.freePort();
        try (AgentProcess agent = startMonitored(sluice, metricsPort)) {
            await("the channel to wait for its plugin").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250)).until(() -> {
                        HttpResponse<String> ready = getOrNull(metricsPort, "/ready");
                        return ready != null && ready.body().contains("channel c1 (memory): WAITING");
                    });
            HttpResponse<String> waiting = get(metricsPort, "/ready", null);
            assertEquals(503, waiting.statusCode());
            assertTrue(waiting.body().startsWith("not ready: 3 of 3 components not running\n"), waiting.body());
            assertTrue(waiting.body().contains("agent a1, channel c1 (memory): WAITING: no installed bundle provides "
                    + "channel type 'memory'"), waiting.body());
            assertEquals(200, get(metricsPort, "/health", null).statusCode(), "the process works meanwhile");
            assertTrue(get(metricsPort, "/metrics/prometheus", null).body().contains(
                    "sluice_component_state{agent=\"a1\",component=\"c1\",kind=\"channel\",state=\"WAITING\","
                            + "type=\"memory\"} 1.0\n"));

            Files.move(aside, memoryChannel, StandardCopyOption.ATOMIC_MOVE);
            await("every component to run").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> get(metricsPort, "/ready", null).statusCode() == 200);
            assertEquals("ready: 3 components of a1 running\n", get(metricsPort, "/ready", null).body());
            await("every event delivered").atMost(Duration.ofSeconds(60)).until(() -> drained(metricsPort) == EVENTS);
            assertEquals(0, agent.terminate());
        }
    }
}

package org.sluice.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.component.ComponentKind;
import org.sluice.platform.management.ComponentState;

/**
 * A real scrape over HTTP: what Prometheus asks for, read with Prometheus's own parser (promtool), and its series
 * against Flume's JSON of the same moment.
 */
class PrometheusScrapeTest {
    /** What Prometheus 2.x sends to a target (scrape.go). */
    static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private final MBeanServer mbeans = MBeanServerFactory.newMBeanServer();
    private final JmxMetrics metrics = new JmxMetrics(mbeans);
    private final FixedRuntime runtime = new FixedRuntime();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MetricsHttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = new MetricsHttpServer(new InetSocketAddress("127.0.0.1", 0), new MonitoringEndpoints(mbeans,
                new PrometheusExposition(metrics, () -> runtime), new Probes(() -> runtime)));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
        metrics.close();
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address()
                .getPort() + path)).timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An agent with a source, a channel half full and a sink, all running, with traffic counted. */
    private void busyAgent() {
        runtime.set("a1", ComponentKind.SOURCE, "r1", "netcat", ComponentState.RUNNING, null)
                .set("a1", ComponentKind.CHANNEL, "c1", "memory", ComponentState.RUNNING, null)
                .set("a1", ComponentKind.SINK, "k1", "logger", ComponentState.RUNNING, null);
        ComponentCounters source = metrics.counters("a1", ComponentKind.SOURCE, "r1");
        source.markStarted();
        source.addToEventReceivedCount(1_000);
        source.addToEventAcceptedCount(990);
        source.incrementChannelWriteFail();
        source.setOpenConnectionCount(3);
        ComponentCounters channel = metrics.counters("a1", ComponentKind.CHANNEL, "c1");
        channel.markStarted();
        channel.setChannelCapacity(1_000);
        channel.setChannelSize(250);
        channel.addToEventPutSuccessCount(990);
        channel.addToEventTakeSuccessCount(740);
        ComponentCounters sink = metrics.counters("a1", ComponentKind.SINK, "k1");
        sink.markStarted();
        sink.addToEventDrainSuccessCount(740);
        sink.countBatch(40, 100);
        // A plugin's own counters, Kafka's among them.
        sink.add("KafkaEventSendTimer", 1234);
        sink.add("RollbackCount", 2);
    }

    @Test
    void prometheusOwnParserAcceptsTheScrapeWithoutALintProblem() throws Exception {
        busyAgent();
        HttpResponse<String> scrape = get("/metrics/prometheus", null);
        assertEquals(200, scrape.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", scrape.headers().firstValue("Content-Type")
                .orElse(null));

        Promtool.Verdict verdict = Promtool.checkMetrics(scrape.body().getBytes(StandardCharsets.UTF_8));
        assertTrue(verdict.accepted(), () -> "promtool: exit " + verdict.exitCode() + "\n" + verdict.output());
    }

    @Test
    void promtoolRefusesWhatItShould() throws Exception {
        // The check above can fail: a broken exposition and one against Prometheus's naming rules are refused.
        assertEquals(1, Promtool.checkMetrics("flume_x{agent=\"a1} 1\n".getBytes(StandardCharsets.UTF_8))
                .exitCode());
        assertFalse(Promtool.checkMetrics("# TYPE flume_x counter\nflume_x 1\n".getBytes(StandardCharsets.UTF_8))
                .accepted());
    }

    @Test
    void everyJsonCounterIsASeriesOfTheSameValue() throws Exception {
        busyAgent();
        metrics.counters("a2", ComponentKind.SOURCE, "r1").addToEventReceivedCount(7);
        runtime.set("a2", ComponentKind.SOURCE, "r1", "seq", ComponentState.RUNNING, null);

        // Nothing counts between the two reads: they are of the same moment.
        Map<String, Map<String, String>> json = ReporterJson.parse(get("/metrics", null).body());
        ScrapedSamples scrape = new ScrapedSamples(get("/metrics/prometheus", null).body());

        Map<String, ComponentKind> kinds = Map.of("SOURCE", ComponentKind.SOURCE, "CHANNEL", ComponentKind.CHANNEL,
                "SINK", ComponentKind.SINK);
        Set<String> matched = new HashSet<>();
        int compared = 0;
        for (Map.Entry<String, Map<String, String>> group : json.entrySet()) {
            // "SOURCE.r1" or, for the second agent's r1, "SOURCE.r1,agent=a2".
            String[] key = group.getKey().split("[.,]");
            ComponentKind kind = kinds.get(key[0]);
            String agent = key.length > 2 ? key[2].substring("agent=".length()) : "a1";
            Map<String, String> labels = Map.of("agent", agent, "component", key[1]);
            for (Map.Entry<String, String> attribute : group.getValue().entrySet()) {
                String name = attribute.getKey();
                if (name.equals("Type")) {
                    continue;
                }
                double jsonValue = Double.parseDouble(attribute.getValue());
                if (name.equals("ChannelFillPercentage")) {
                    assertEquals(jsonValue / 100, scrape.value(FlumeCollector.FILL_RATIO, labels), 1e-12);
                    matched.add(FlumeCollector.FILL_RATIO);
                    compared++;
                    continue;
                }
                PrometheusNames.Family family = PrometheusNames.family(kind, name);
                String series = family.name() + (family.counter() ? "_total" : "");
                assertEquals(jsonValue * family.scale(), scrape.value(series, labels), 1e-9,
                        group.getKey() + " " + name + " as " + series);
                assertEquals(family.counter() ? "counter" : "gauge", scrape.types.get(series), series);
                matched.add(series);
                compared++;
            }
        }
        // Two sources of 12 counters, a channel of 8 and its fill percentage, a sink of 12 and 2 of its own.
        assertEquals(12 + 12 + 9 + 14, compared, json.toString());
        // And the other way round: every flume_ series is a JSON counter (none is made up).
        for (ScrapedSamples.Sample sample : scrape.samples) {
            if (sample.name().startsWith("flume_")) {
                assertTrue(matched.contains(sample.name()), sample + " has no JSON counter");
            }
        }
    }

    @Test
    void theNamesAndLabelsAreTheDocumentedOnes() throws Exception {
        busyAgent();
        ScrapedSamples scrape = new ScrapedSamples(get("/metrics/prometheus", null).body());
        Map<String, String> r1 = Map.of("agent", "a1", "component", "r1", "kind", "source", "type", "netcat");
        Map<String, String> c1 = Map.of("agent", "a1", "component", "c1", "kind", "channel", "type", "memory");
        Map<String, String> k1 = Map.of("agent", "a1", "component", "k1", "kind", "sink", "type", "logger");
        assertEquals(1_000, scrape.value("flume_source_event_received_total", r1));
        assertEquals(990, scrape.value("flume_source_event_accepted_total", r1));
        assertEquals(1, scrape.value("flume_source_channel_write_fail_total", r1));
        assertEquals(3, scrape.value("flume_source_open_connection", r1));
        assertEquals("gauge", scrape.types.get("flume_source_open_connection"));
        assertEquals(250, scrape.value("flume_channel_size", c1));
        assertEquals(1_000, scrape.value("flume_channel_capacity", c1));
        assertEquals(0.25, scrape.value("flume_channel_fill_ratio", c1));
        assertEquals(990, scrape.value("flume_channel_event_put_success_total", c1));
        assertEquals(740, scrape.value("flume_sink_event_drain_success_total", k1));
        assertEquals(1, scrape.value("flume_sink_batch_underflow_total", k1));
        assertEquals(1234, scrape.value("flume_sink_kafka_event_send_timer_total", k1));
        assertEquals(2, scrape.value("flume_sink_rollback_total", k1));
        double started = scrape.value("flume_sink_start_time_seconds", k1);
        assertTrue(Math.abs(started - System.currentTimeMillis() / 1000.0) < 60, "start time in seconds: " + started);
        assertEquals(0, scrape.value("flume_sink_stop_time_seconds", k1));
        // Every Flume series carries exactly the four labels.
        for (ScrapedSamples.Sample sample : scrape.samples) {
            if (sample.name().startsWith("flume_")) {
                assertEquals(Set.of("agent", "component", "kind", "type"), sample.labels().keySet(), sample.name());
            }
        }
    }

    @Test
    void componentStatesAreOneSeriesPerStateWithOneSet() throws Exception {
        busyAgent();
        runtime.set("a1", ComponentKind.SINK, "k2", "hdfs", ComponentState.WAITING, "no bundle provides sink type hdfs")
                .set("a1", ComponentKind.SINKGROUP, "g1", "failover", ComponentState.FAILED, "bad key");
        ScrapedSamples scrape = new ScrapedSamples(get("/metrics/prometheus", null).body());

        Map<String, String> states = new HashMap<>();
        for (ScrapedSamples.Sample sample : scrape.find(FlumeCollector.COMPONENT_STATE, Map.of())) {
            String component = sample.labels().get("component");
            assertEquals(Set.of("agent", "component", "kind", "type", "state"), sample.labels().keySet());
            if (sample.value() == 1) {
                assertEquals(null, states.put(component, sample.labels().get("state")), component + " in two states");
            } else {
                assertEquals(0, sample.value());
            }
        }
        assertEquals(Map.of("r1", "RUNNING", "c1", "RUNNING", "k1", "RUNNING", "k2", "WAITING", "g1", "FAILED"),
                states);
        assertEquals(5 * ComponentState.values().length, scrape.find(FlumeCollector.COMPONENT_STATE, Map.of()).size());
        assertEquals(1, scrape.value(FlumeCollector.COMPONENT_STATE, Map.of("component", "g1", "kind", "sinkgroup",
                "type", "failover", "state", "FAILED")));
    }

    @Test
    void theJvmAndTheProcessAreThere() throws Exception {
        ScrapedSamples scrape = new ScrapedSamples(get("/metrics/prometheus", null).body());
        assertTrue(scrape.value("jvm_memory_used_bytes", Map.of("area", "heap")) > 0);
        assertFalse(scrape.find("jvm_gc_collection_seconds_count", Map.of()).isEmpty());
        assertTrue(scrape.value("jvm_threads_current", Map.of()) > 0);
        assertTrue(scrape.value("process_cpu_seconds_total", Map.of()) > 0);
        assertTrue(scrape.value("process_open_fds", Map.of()) > 0);
    }

    @Test
    void metricsAnswersJsonToAPlainRequestAndPrometheusFormatsToAScraper() throws Exception {
        busyAgent();
        for (String plain : new String[] {null, "*/*", "application/json",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}) {
            HttpResponse<String> response = get("/metrics", plain);
            assertEquals("application/json;charset=utf-8", response.headers().firstValue("Content-Type").orElse(null),
                    String.valueOf(plain));
            assertEquals("1000", ReporterJson.parse(response.body()).get("SOURCE.r1").get("EventReceivedCount"));
        }

        HttpResponse<String> prometheus = get("/metrics", PROMETHEUS_ACCEPT);
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8",
                prometheus.headers().firstValue("Content-Type").orElse(null));
        assertTrue(prometheus.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        assertTrue(prometheus.body().contains("\nflume_source_event_received_total{agent=\"a1\",component=\"r1\","
                + "kind=\"source\",type=\"netcat\"} 1000.0\n"), prometheus.body());

        HttpResponse<String> text = get("/metrics", "text/plain;version=0.0.4;q=1,*/*;q=0.1");
        assertEquals("text/plain; version=0.0.4; charset=utf-8", text.headers().firstValue("Content-Type")
                .orElse(null));
        assertTrue(Promtool.checkMetrics(text.body().getBytes(StandardCharsets.UTF_8)).accepted());

        // A client that prefers JSON gets it, even if it would take OpenMetrics.
        assertEquals("application/json;charset=utf-8", get("/metrics",
                "application/openmetrics-text;q=0.5,application/json").headers().firstValue("Content-Type")
                .orElse(null));
        // /metrics/prometheus answers the text format whatever is asked for.
        assertEquals("text/plain; version=0.0.4; charset=utf-8", get("/metrics/prometheus", PROMETHEUS_ACCEPT)
                .headers().firstValue("Content-Type").orElse(null));
        assertEquals(200, get("/METRICS/Prometheus?x=1", null).statusCode());
    }

    @Test
    void headAnswersTheSameStatusWithoutABody() throws Exception {
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.address().getPort() + "/metrics/prometheus")).method("HEAD",
                        HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void labelValuesAreEscapedAsTheFormatWants() throws Exception {
        // Names come from the user's file: quotes, backslashes and non-ASCII reach the labels escaped, not raw.
        metrics.counters("a1", ComponentKind.SOURCE, "r\"1\\é").addToEventReceivedCount(5);
        byte[] text = get("/metrics/prometheus", null).body().getBytes(StandardCharsets.UTF_8);
        Promtool.Verdict verdict = Promtool.checkMetrics(text);
        assertTrue(verdict.accepted(), verdict.output());
        assertEquals(5, new ScrapedSamples(new String(text, StandardCharsets.UTF_8))
                .value("flume_source_event_received_total", Map.of("component", "r\"1\\é")));
    }

    @Test
    void twoCountersMappedToOneNameKeepOneSeriesAndTheScrapeWorks() throws Exception {
        ComponentCounters channel = metrics.counters("a1", ComponentKind.CHANNEL, "c1");
        channel.setChannelSize(4);
        channel.set("Size", 9);
        HttpResponse<String> scrape = get("/metrics/prometheus", null);
        assertEquals(200, scrape.statusCode());
        List<ScrapedSamples.Sample> sizes = new ScrapedSamples(scrape.body()).find("flume_channel_size", Map.of());
        assertEquals(1, sizes.size(), sizes.toString());
    }
}

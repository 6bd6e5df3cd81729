package org.sluice.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.component.ComponentKind;

class MetricsHttpServerTest {

    private final MBeanServer mbeans = MBeanServerFactory.newMBeanServer();
    private final JmxMetrics metrics = new JmxMetrics(mbeans);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MetricsHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MetricsHttpServer(new InetSocketAddress("127.0.0.1", 0), new MonitoringEndpoints(mbeans,
                new PrometheusExposition(metrics, () -> null), new Probes(() -> null)));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
        metrics.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, Map<String, String>> metricsJson() throws Exception {
        HttpResponse<String> response = send("GET", "/metrics");
        assertEquals(200, response.statusCode());
        assertEquals("application/json;charset=utf-8", response.headers().firstValue("Content-Type").orElse(null));
        return ReporterJson.parse(response.body());
    }

    @Test
    void metricsAnswersFlumesJsonShapeWithStringValues() throws Exception {
        ComponentCounters source = metrics.counters("a1", ComponentKind.SOURCE, "r1");
        ComponentCounters channel = metrics.counters("a1", ComponentKind.CHANNEL, "c1");
        metrics.counters("a1", ComponentKind.SINK, "k1").addToEventDrainSuccessCount(8);
        source.addToEventReceivedCount(10);
        channel.setChannelCapacity(100);
        channel.setChannelSize(25);

        Map<String, Map<String, String>> json = metricsJson();

        assertEquals(Set.of("SOURCE.r1", "CHANNEL.c1", "SINK.k1"), json.keySet());
        assertEquals("SOURCE", json.get("SOURCE.r1").get("Type"));
        assertEquals("10", json.get("SOURCE.r1").get("EventReceivedCount"));
        assertEquals("0", json.get("SOURCE.r1").get("EventAcceptedCount"));
        assertEquals("CHANNEL", json.get("CHANNEL.c1").get("Type"));
        assertEquals("25.0", json.get("CHANNEL.c1").get("ChannelFillPercentage"));
        assertEquals("100", json.get("CHANNEL.c1").get("ChannelCapacity"));
        assertEquals("8", json.get("SINK.k1").get("EventDrainSuccessCount"));
        // The JSON carries exactly the MBean's attributes, as Flume's JMX poll does.
        for (String key : json.keySet()) {
            ObjectName name = new ObjectName("org.apache.flume." + key.substring(0, key.indexOf('.')).toLowerCase()
                    + ":type=" + key.substring(key.indexOf('.') + 1));
            assertEquals(mbeans.getMBeanInfo(name).getAttributes().length, json.get(key).size(), key);
        }
    }

    @Test
    void valuesAreReadAtEveryPoll() throws Exception {
        ComponentCounters source = metrics.counters("a1", ComponentKind.SOURCE, "r1");
        source.addToEventAcceptedCount(1);
        assertEquals("1", metricsJson().get("SOURCE.r1").get("EventAcceptedCount"));

        source.addToEventAcceptedCount(41);
        metrics.counters("a1", ComponentKind.SINK, "k1");

        Map<String, Map<String, String>> json = metricsJson();
        assertEquals("42", json.get("SOURCE.r1").get("EventAcceptedCount"));
        assertTrue(json.containsKey("SINK.k1"));

        metrics.remove("a1", ComponentKind.SINK, "k1");
        assertFalse(metricsJson().containsKey("SINK.k1"));
    }

    @Test
    void anAgentQualifiedNameKeepsFlumesKeyRule() throws Exception {
        metrics.counters("a1", ComponentKind.SOURCE, "r1");
        metrics.counters("a2", ComponentKind.SOURCE, "r1").addToEventReceivedCount(3);

        Map<String, Map<String, String>> json = metricsJson();

        assertEquals(Set.of("SOURCE.r1", "SOURCE.r1,agent=a2"), json.keySet());
        assertEquals("3", json.get("SOURCE.r1,agent=a2").get("EventReceivedCount"));
    }

    @Test
    void onlyFlumesDomainsAreReported() throws Exception {
        metrics.counters("a1", ComponentKind.SOURCE, "r1");
        mbeans.registerMBean(new CountersDynamicMBean(ComponentCounters.forSink("x", "k9")),
                new ObjectName("com.example:type=k9"));

        assertEquals(Set.of("SOURCE.r1"), metricsJson().keySet());
    }

    @Test
    void noComponentsIsAnEmptyObject() throws Exception {
        HttpResponse<String> response = send("GET", "/metrics");
        assertEquals(200, response.statusCode());
        assertEquals("{}", response.body());
    }

    @Test
    void thePathIsMatchedInAnyCaseAndTheQueryIsIgnoredAsInFlume() throws Exception {
        metrics.counters("a1", ComponentKind.SOURCE, "r1");
        assertEquals(200, send("GET", "/METRICS").statusCode());
        HttpResponse<String> withQuery = send("GET", "/metrics?pretty=true");
        assertEquals(200, withQuery.statusCode());
        assertTrue(ReporterJson.parse(withQuery.body()).containsKey("SOURCE.r1"));
    }

    @Test
    void rootShowsFlumesLinkToTheMetrics() throws Exception {
        HttpResponse<String> response = send("GET", "/");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(response.body().contains("href = \"./metrics\""), response.body());
    }

    @Test
    void otherPathsAreNotFound() throws Exception {
        assertEquals(404, send("GET", "/metrics/x").statusCode());
        assertEquals(404, send("GET", "/favicon.ico").statusCode());
    }

    @Test
    void methodsOtherThanGetAreRefused() throws Exception {
        HttpResponse<String> post = send("POST", "/metrics");
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(null));
        assertEquals(405, send("DELETE", "/metrics").statusCode());
        // Flume 1.11 forbids these two explicitly.
        assertEquals(403, send("TRACE", "/metrics").statusCode());
        assertEquals(403, send("OPTIONS", "/metrics").statusCode());
    }

    @Test
    void headAnswersWithoutABody() throws Exception {
        metrics.counters("a1", ComponentKind.SOURCE, "r1");
        HttpResponse<String> head = send("HEAD", "/metrics");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }
}

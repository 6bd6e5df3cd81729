package org.sluice.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import javax.management.MBeanServerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.component.ComponentKind;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;

/** /health and /ready over HTTP as a supervisor polls them, through the transitions of the runtime's view. */
class ProbesTest {
    private final FixedRuntime agents = new FixedRuntime();
    private final AtomicReference<AgentRuntime> runtime = new AtomicReference<>(agents);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MetricsHttpServer server;

    @BeforeEach
    void start() throws Exception {
        var mbeans = MBeanServerFactory.newMBeanServer();
        server = new MetricsHttpServer(new InetSocketAddress("127.0.0.1", 0), new MonitoringEndpoints(mbeans,
                new PrometheusExposition(new JmxMetrics(mbeans), runtime::get), new Probes(runtime::get)));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort()
                + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyOnlyWhenEveryConfiguredComponentRuns() throws Exception {
        HttpResponse<String> nothing = get("/ready");
        assertEquals(503, nothing.statusCode());
        assertEquals("not ready: no agent is configured\n", nothing.body());

        agents.set("a1", ComponentKind.CHANNEL, "c1", "memory", ComponentState.RUNNING, null)
                .set("a1", ComponentKind.SINK, "k1", "hdfs", ComponentState.WAITING,
                        "no bundle provides sink type hdfs yet");
        HttpResponse<String> waiting = get("/ready");
        assertEquals(503, waiting.statusCode());
        assertEquals("text/plain;charset=utf-8", waiting.headers().firstValue("Content-Type").orElse(null));
        assertEquals("not ready: 1 of 2 components not running\n"
                + "agent a1, sink k1 (hdfs): WAITING: no bundle provides sink type hdfs yet\n", waiting.body());

        agents.set("a1", ComponentKind.SINK, "k1", "hdfs", ComponentState.FAILED, "start failed: line one\nline two");
        assertEquals("not ready: 1 of 2 components not running\n"
                + "agent a1, sink k1 (hdfs): FAILED: start failed: line one line two\n", get("/ready").body());

        agents.set("a1", ComponentKind.SINK, "k1", "hdfs", ComponentState.RUNNING, null);
        HttpResponse<String> ready = get("/ready");
        assertEquals(200, ready.statusCode());
        assertEquals("ready: 2 components of a1 running\n", ready.body());
        // Health never depended on it.
        assertEquals(200, get("/health").statusCode());
    }

    @Test
    void healthyWhileTheRuntimeRunsEvenWithComponentsWaiting() throws Exception {
        agents.set("a1", ComponentKind.SOURCE, "r1", "avro", ComponentState.WAITING, "no bundle provides it");
        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("healthy\n", health.body());

        runtime.set(null);
        HttpResponse<String> gone = get("/health");
        assertEquals(503, gone.statusCode());
        assertTrue(gone.body().startsWith("unhealthy: the agent runtime is not running"), gone.body());
        assertEquals(503, get("/ready").statusCode());
        // The metrics still answer, without states.
        assertEquals(200, get("/metrics/prometheus").statusCode());
    }

    @Test
    void deadlockedThreadsMakeTheProcessUnhealthy() throws Exception {
        Probes probes = new Probes(runtime::get, ManagementFactory.getThreadMXBean());
        assertTrue(probes.health().ok());
        ReentrantLock first = new ReentrantLock();
        ReentrantLock second = new ReentrantLock();
        CountDownLatch bothHeld = new CountDownLatch(2);
        Thread one = deadlocking("deadlock-one", first, second, bothHeld);
        Thread two = deadlocking("deadlock-two", second, first, bothHeld);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Probes.Verdict verdict = probes.health();
            while (verdict.ok() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                verdict = probes.health();
            }
            assertEquals(false, verdict.ok());
            assertTrue(verdict.text().startsWith("unhealthy: 2 threads are deadlocked\n"), verdict.text());
            assertTrue(verdict.text().contains("deadlock-one waits for"), verdict.text());
        } finally {
            one.interrupt();
            two.interrupt();
            one.join(10_000);
            two.join(10_000);
        }
        assertTrue(probes.health().ok(), "healthy again once the threads are gone");
    }

    /** A thread that takes one lock, waits until its partner holds the other, then waits for that one. */
    private static Thread deadlocking(String name, ReentrantLock mine, ReentrantLock theirs, CountDownLatch bothHeld) {
        Thread thread = new Thread(() -> {
            mine.lock();
            try {
                bothHeld.countDown();
                bothHeld.await();
                theirs.lockInterruptibly();
                theirs.unlock();
            } catch (InterruptedException e) {
                // The test ends the deadlock by interrupting both.
            } finally {
                mine.unlock();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}

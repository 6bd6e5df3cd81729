package org.sluice.itests.osgi.support;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The agent of the Flume plugin tests: netcat -> memory -> Flume 1.11.0's own http sink (the unchanged jar from Maven
 * Central, {@value #HTTP_SINK}) -> a local {@link HttpReceiver}.
 */
public final class FlumeHttpSinkAgent {
    public static final String HTTP_SINK = "org.apache.flume.sink.http.HttpSink";
    /** System property: the flume-http-sink jar Maven resolved. */
    public static final String HTTP_SINK_JAR = "sluice.itests.flume.httpsink";

    private FlumeHttpSinkAgent() {
    }

    public static Path httpSinkJar() {
        return Paths.get(System.getProperty(HTTP_SINK_JAR));
    }

    public static void configure(ConfigurationAdmin admin, String agent, int port, HttpReceiver server)
            throws Exception {
        AgentConfigurations.agent(admin, agent)
                .channel("c1", Map.of("type", "memory", "capacity", "100000", "transactionCapacity", "100"))
                // The Flume User Guide's http sink example: a 200 commits and counts, and does not back off.
                .sink("k1", Map.of("type", HTTP_SINK, "channel", "c1", "endpoint", server.url(),
                        "incrementMetrics.200", "true", "backoff.200", "false", "rollback.200", "false"))
                .source("r1", Map.of("type", "netcat", "bind", "127.0.0.1", "port", Integer.toString(port),
                        "channels", "c1"));
    }

    /** Waits until the source acknowledged {@code progress} more lines. */
    public static void awaitProgress(NetcatFeeder feeder, long progress) {
        long target = feeder.acknowledged() + progress;
        Await.until(progress + " more lines acknowledged by the netcat source", feeder::acknowledged,
                acknowledged -> acknowledged >= target);
    }
}

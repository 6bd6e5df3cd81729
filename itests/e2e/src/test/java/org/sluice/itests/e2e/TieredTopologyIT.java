package org.sluice.itests.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Flume's classic two-tier topology, each agent a process of its own from its own installation: two edge agents
 * (netcat -> memory -> a sink group of two thrift sinks) and two collectors (thrift -> file channel -> file_roll).
 * A collector is killed with SIGKILL in mid-stream and started again. Every number a client had acknowledged by an
 * edge reaches a collector's file_roll output, and traffic comes back to the restarted collector within the group's
 * maxpenalty (failover) or backoff time-out (load_balance).
 */
class TieredTopologyIT {
    /** Kept short so the test is; Flume's default is 30 s. */
    private static final int MAX_PENALTY_MILLIS = 5_000;
    private static final long SECOND_EDGE_FIRST = 1_000_000_000L;

    private final List<AgentProcess> agents = new ArrayList<>();
    private final List<NumberFeeder> feeders = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (NumberFeeder feeder : feeders) {
            feeder.close();
        }
        for (AgentProcess agent : agents) {
            agent.close();
        }
    }

    @Test
    void failoverMovesToTheSecondCollectorAndBackWithoutLosingAnEvent() throws Exception {
        run(String.join("\n",
                "e.sinkgroups = g1",
                "e.sinkgroups.g1.sinks = k1 k2",
                "e.sinkgroups.g1.processor.type = failover",
                "e.sinkgroups.g1.processor.priority.k1 = 10",
                "e.sinkgroups.g1.processor.priority.k2 = 5",
                "e.sinkgroups.g1.processor.maxpenalty = " + MAX_PENALTY_MILLIS));
    }

    @Test
    void loadBalancingWithBackoffSpreadsOverBothAndLosesNothingWhenOneDies() throws Exception {
        run(String.join("\n",
                "e.sinkgroups = g1",
                "e.sinkgroups.g1.sinks = k1 k2",
                "e.sinkgroups.g1.processor.type = load_balance",
                "e.sinkgroups.g1.processor.selector = round_robin",
                "e.sinkgroups.g1.processor.backoff = true",
                "e.sinkgroups.g1.processor.selector.maxTimeOut = " + MAX_PENALTY_MILLIS));
    }

    private void run(String sinkGroup) throws Exception {
        int collector1Port = NetcatClient.freePort();
        int collector2Port = NetcatClient.freePort();
        Collector collector1 = collector("c", collector1Port);
        Collector collector2 = collector("c", collector2Port);
        collector1.start();
        collector2.start();

        List<Integer> edgePorts = new ArrayList<>();
        for (int e = 0; e < 2; e++) {
            Installation edge = Installation.fresh();
            int port = NetcatClient.freePort();
            edgePorts.add(port);
            Files.writeString(edge.resolve("conf").resolve("edge.properties"), String.join("\n",
                    "e.sources = r1",
                    "e.channels = c1",
                    "e.sinks = k1 k2",
                    "e.sources.r1.type = netcat",
                    "e.sources.r1.bind = 127.0.0.1",
                    "e.sources.r1.port = " + port,
                    "e.sources.r1.channels = c1",
                    "e.channels.c1.type = memory",
                    "e.channels.c1.capacity = 100000",
                    "e.channels.c1.transactionCapacity = 100",
                    thriftSink("k1", collector1Port),
                    thriftSink("k2", collector2Port),
                    sinkGroup,
                    ""), StandardCharsets.UTF_8);
            AgentProcess agent = AgentProcess.start(edge, "agent", "-c", "conf", "-f", "conf/edge.properties",
                    "-n", "e");
            agents.add(agent);
            agent.awaitListening(port);
        }
        NumberFeeder first = new NumberFeeder(edgePorts.get(0), 0);
        NumberFeeder second = new NumberFeeder(edgePorts.get(1), SECOND_EDGE_FIRST);
        feeders.add(first);
        feeders.add(second);

        awaitGrowth(collector1, "collector 1 receives events while both run");
        collector1.kill();
        long secondBefore = collector2.count();
        awaitGrowth(collector2, "collector 2 takes the traffic while collector 1 is down", secondBefore);

        collector1.start();
        long restartedAt = System.nanoTime();
        awaitGrowth(collector1, "traffic comes back to the restarted collector 1", collector1.count());
        long backAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);

        first.close();
        second.close();
        long firstEnd = first.acknowledgedUpTo();
        long secondEnd = second.acknowledgedUpTo();
        assertTrue(firstEnd > 0 && secondEnd > SECOND_EDGE_FIRST, "both clients had events acknowledged");

        Set<Long> expected = new HashSet<>();
        for (long n = 0; n < firstEnd; n++) {
            expected.add(n);
        }
        for (long n = SECOND_EDGE_FIRST; n < secondEnd; n++) {
            expected.add(n);
        }
        await("every event acknowledged by an edge in a collector's output (the value: the first ones missing)")
                .atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                .until(() -> missing(expected, collector1, collector2), List::isEmpty);
        System.out.printf("TieredTopologyIT: %d events acknowledged by the edges, none missing; collector 1 took "
                + "traffic again %d ms after its restart%n", expected.size(), backAfterMillis);
        // Within the longest penalty, plus a little for a batch in flight and the time to write it out.
        assertTrue(backAfterMillis < MAX_PENALTY_MILLIS + 5_000, "traffic came back to collector 1 only after "
                + backAfterMillis + " ms");
    }

    private static String thriftSink(String name, int port) {
        return String.join("\n",
                "e.sinks." + name + ".type = thrift",
                "e.sinks." + name + ".channel = c1",
                "e.sinks." + name + ".hostname = 127.0.0.1",
                "e.sinks." + name + ".port = " + port,
                "e.sinks." + name + ".batch-size = 100",
                "e.sinks." + name + ".connect-timeout = 2000",
                "e.sinks." + name + ".request-timeout = 5000");
    }

    private Collector collector(String agentName, int port) throws IOException {
        Installation installation = Installation.fresh();
        Path output = Files.createDirectories(installation.resolve("collected"));
        Files.writeString(installation.resolve("conf").resolve("collector.properties"), String.join("\n",
                agentName + ".sources = r1",
                agentName + ".channels = c1",
                agentName + ".sinks = k1",
                agentName + ".sources.r1.type = thrift",
                agentName + ".sources.r1.bind = 127.0.0.1",
                agentName + ".sources.r1.port = " + port,
                agentName + ".sources.r1.channels = c1",
                agentName + ".channels.c1.type = file",
                agentName + ".channels.c1.transactionCapacity = 1000",
                agentName + ".sinks.k1.type = file_roll",
                agentName + ".sinks.k1.channel = c1",
                agentName + ".sinks.k1.sink.directory = " + output,
                agentName + ".sinks.k1.sink.rollInterval = 0",
                ""), StandardCharsets.UTF_8);
        return new Collector(installation, agentName, port, output);
    }

    /** A collector agent that can be killed and started again on the same installation (and file channel). */
    private final class Collector {
        final Installation installation;
        final String agentName;
        final int port;
        final Path output;
        AgentProcess process;

        Collector(Installation installation, String agentName, int port, Path output) {
            this.installation = installation;
            this.agentName = agentName;
            this.port = port;
            this.output = output;
        }

        void start() throws IOException, InterruptedException {
            process = AgentProcess.start(installation, "agent", "-c", "conf", "-f", "conf/collector.properties",
                    "-n", agentName);
            agents.add(process);
            process.awaitListening(port);
        }

        void kill() throws InterruptedException {
            process.kill();
        }

        long count() throws IOException {
            return FileRollNumbers.numbers(output).size();
        }
    }

    private static void awaitGrowth(Collector collector, String what) throws Exception {
        awaitGrowth(collector, what, collector.count());
    }

    private static void awaitGrowth(Collector collector, String what, long from) throws Exception {
        collector.process.await(what + " (it had " + from + " events)", Duration.ofMillis(MAX_PENALTY_MILLIS + 30_000L),
                () -> collector.count() > from + 100);
    }

    /** The first (at most 20) of {@code expected} in no collector's output. */
    private static List<Long> missing(Set<Long> expected, Collector... collectors) throws IOException {
        Set<Long> delivered = new HashSet<>();
        for (Collector collector : collectors) {
            delivered.addAll(FileRollNumbers.numbers(collector.output));
        }
        return expected.stream().filter(n -> !delivered.contains(n)).sorted().limit(20).toList();
    }
}

package org.sluice.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sluice.kafka.broker.KafkaBroker;

/**
 * The durable channels' promise, held by the whole agent: the built distribution runs netcat -> channel -> file_roll
 * while a client sends numbered lines and resends what was not acknowledged; the agent is killed with SIGKILL at
 * random moments and started again, round after round; at the end every acknowledged number is in file_roll's
 * output at least once. Duplicates are allowed (at-least-once) and reported.
 *
 * <p>{@code -Dsluice.crash.rounds=N} sets the number of kills (3 by default; the dedicated suite runs 20). The Kafka
 * channel's rounds need a broker and run only with {@code -Dsluice.kafka.faults=true} (.ci/kafka-faults).
 */
class AgentCrashIT {
    private static final int ROUNDS = Integer.getInteger("sluice.crash.rounds", 3);

    /**
     * The durable channels, each as a user would configure it. The spillable channel promises only what reached
     * its overflow, so it runs with no memory part here: every acknowledged event must be on disk.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "type = file|transactionCapacity = 100|checkpointInterval = 2000",
        "type = jdbc",
        "type = SPILLABLEMEMORY|memoryCapacity = 0|transactionCapacity = 100",
        "type = org.apache.flume.channel.kafka.KafkaChannel|kafka.bootstrap.servers = ${kafka}|kafka.topic = crash"
            + "|kafka.consumer.group.id = g-crash"})
    void everyAcknowledgedEventSurvivesRepeatedKillMinusNine(String channel) throws Exception {
        KafkaBroker broker = null;
        Assumptions.assumeFalse(Boolean.getBoolean("sluice.crash.kafkaOnly") && !channel.contains("${kafka}"),
                "-Dsluice.crash.kafkaOnly=true: the Kafka channel's rounds only");
        if (channel.contains("${kafka}")) {
            // A real broker: part of the Kafka fault suite (.ci/kafka-faults), not of the default run.
            Assumptions.assumeTrue(Boolean.getBoolean("sluice.kafka.faults"),
                    "the Kafka channel's crash rounds run with -Dsluice.kafka.faults=true (.ci/kafka-faults)");
            Path work = Paths.get(System.getProperty("sluice.itests.work", "target/work")).toAbsolutePath();
            broker = KafkaBroker.builder(Files.createTempDirectory(Files.createDirectories(work), "kafka-")).start();
            broker.createTopic("crash", 2);
            channel = channel.replace("${kafka}", broker.bootstrapServers());
        }
        try {
            crashRounds(channel);
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private void crashRounds(String channel) throws Exception {
        Installation sluice = Installation.fresh();
        int port = NetcatClient.freePort();
        Path output = Files.createDirectories(sluice.resolve("crash-output"));
        Files.writeString(sluice.resolve("conf").resolve("crash.properties"), String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = netcat",
                "a1.sources.r1.bind = 127.0.0.1",
                "a1.sources.r1.port = " + port,
                "a1.sources.r1.channels = c1",
                channelKeys(channel),
                "a1.sinks.k1.type = file_roll",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.sink.directory = " + output,
                "a1.sinks.k1.sink.rollInterval = 0",
                ""), StandardCharsets.UTF_8);
        Random random = new Random();
        String[] agentArguments = {"agent", "-c", "conf", "-f", "conf/crash.properties", "-n", "a1"};

        long acknowledged;
        try (NumberFeeder feeder = new NumberFeeder(port)) {
            for (int round = 1; round <= ROUNDS; round++) {
                try (AgentProcess agent = AgentProcess.start(sluice, agentArguments)) {
                    agent.awaitListening(port);
                    long before = feeder.acknowledgedUpTo();
                    // A kill proves something only once events flow (a Kafka channel's first put also waits for its
                    // producer to learn the cluster).
                    agent.await("round " + round + ": the agent to acknowledge numbers", Duration.ofSeconds(60),
                            () -> feeder.acknowledgedUpTo() > before);
                    // The crash point: a random moment while numbers flow (the sleep is the scenario, not a wait).
                    Thread.sleep(random.nextInt(2_500));
                    agent.kill();
                }
            }
            // Last start: the client stops, the channel drains into file_roll.
            try (AgentProcess agent = AgentProcess.start(sluice, agentArguments)) {
                agent.awaitListening(port);
                long target = feeder.acknowledgedUpTo() + 100;
                agent.await("the restarted agent to acknowledge 100 more numbers", Duration.ofSeconds(60),
                        () -> feeder.acknowledgedUpTo() >= target);
                feeder.close();
                acknowledged = feeder.acknowledgedUpTo();
                long expected = acknowledged;
                agent.await("file_roll to hold every acknowledged number (the value: the first ones missing)",
                        Duration.ofSeconds(90), () -> missing(FileRollNumbers.counts(output), expected), List::isEmpty);
                assertEquals(0, agent.terminate(), () -> "exit code after SIGTERM; output:\n" + safeOutput(agent));
            }
        }

        Map<Long, Integer> counts = FileRollNumbers.counts(output);
        List<Long> missing = missing(counts, acknowledged);
        long duplicates = 0;
        for (long n = 0; n < acknowledged; n++) {
            duplicates += Math.max(0, counts.getOrDefault(n, 0) - 1);
        }
        System.out.printf("AgentCrashIT [%s]: %d kills, %d events acknowledged, %d missing, %d duplicates%n",
                channel, ROUNDS, acknowledged, missing.size(), duplicates);
        assertEquals(List.of(), missing, "acknowledged events lost across " + ROUNDS + " kills");
    }

    /** The first (at most 20) numbers below {@code acknowledged} that are not in the output. */
    private static List<Long> missing(Map<Long, Integer> counts, long acknowledged) {
        List<Long> missing = new ArrayList<>();
        for (long n = 0; n < acknowledged && missing.size() < 20; n++) {
            if (counts.getOrDefault(n, 0) == 0) {
                missing.add(n);
            }
        }
        return missing;
    }

    private static String channelKeys(String compact) {
        StringBuilder keys = new StringBuilder();
        for (String key : compact.split("\\|")) {
            keys.append(keys.length() == 0 ? "" : "\n").append("a1.channels.c1.").append(key.trim());
        }
        return keys.toString();
    }
    private static String safeOutput(AgentProcess agent) {
        try {
            return agent.output();
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }
}

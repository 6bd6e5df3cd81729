package org.sluice.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.sluice.kafka.broker.KafkaBroker;

/**
 * Two agents of the built distribution in one consumer group (Kafka source -> memory -> file_roll each, on a topic of
 * four partitions) while numbered records keep arriving; one agent is killed with SIGKILL. The other takes its
 * partitions once the group notices (the test's session timeout: 6 s) and every number reaches one output or the
 * other: at least once, none lost. Part of the Kafka fault suite (-Dsluice.kafka.faults=true, .ci/kafka-faults).
 */
@EnabledIfSystemProperty(named = "sluice.kafka.faults", matches = "true")
class KafkaConsumerGroupFaultIT {

    @Test
    void theSurvivorTakesTheKilledAgentsPartitionsAndNothingIsLost() throws Exception {
        Path work = Paths.get(System.getProperty("sluice.itests.work", "target/work")).toAbsolutePath();
        try (KafkaBroker broker = KafkaBroker.builder(Files.createTempDirectory(Files.createDirectories(work),
                "kafka-")).start()) {
            broker.createTopic("shared", 4);
            Installation first = Installation.fresh();
            Installation second = Installation.fresh();
            Path firstOutput = Files.createDirectories(first.resolve("out"));
            Path secondOutput = Files.createDirectories(second.resolve("out"));
            AgentProcess killed = start(first, broker, firstOutput);
            AgentProcess survivor = start(second, broker, secondOutput);
            try {
                long produced = 0;
                // Both members have partitions and read.
                produced = produceUntil(broker, produced, () -> lines(firstOutput) > 0 && lines(secondOutput) > 0,
                        List.of(killed, survivor));
                killed.kill();
                long atKill = produced;
                // Records keep coming; the survivor ends up with all four partitions and reads everything.
                for (int i = 0; i < 10; i++) {
                    broker.produceNumbers("shared", produced, 200);
                    produced += 200;
                }
                long total = produced;
                awaitAll(total, firstOutput, secondOutput, survivor);
                Map<Long, Integer> counts = merged(firstOutput, secondOutput);
                List<Long> missing = new ArrayList<>();
                long duplicates = 0;
                for (long n = 0; n < total; n++) {
                    int seen = counts.getOrDefault(n, 0);
                    if (seen == 0 && missing.size() < 20) {
                        missing.add(n);
                    }
                    duplicates += Math.max(0, seen - 1);
                }
                System.out.printf("KafkaConsumerGroupFaultIT: %d records (%d before the kill), %d missing, %d "
                        + "duplicates%n", total, atKill, missing.size(), duplicates);
                assertEquals(List.of(), missing, "records lost when one member of the group was killed");
                assertTrue(lines(secondOutput) > 0);
                assertEquals(0, survivor.terminate(), () -> "survivor's exit code");
            } finally {
                killed.close();
                survivor.close();
            }
        }
    }

    private static AgentProcess start(Installation installation, KafkaBroker broker, Path output) throws Exception {
        Files.writeString(installation.resolve("conf").resolve("group.properties"), String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = org.apache.flume.source.kafka.KafkaSource",
                "a1.sources.r1.channels = c1",
                "a1.sources.r1.kafka.bootstrap.servers = " + broker.bootstrapServers(),
                "a1.sources.r1.kafka.topics = shared",
                "a1.sources.r1.kafka.consumer.group.id = shared-group",
                "a1.sources.r1.kafka.consumer.auto.offset.reset = earliest",
                "a1.sources.r1.kafka.consumer.session.timeout.ms = 6000",
                "a1.sources.r1.kafka.consumer.heartbeat.interval.ms = 1000",
                "a1.sources.r1.batchSize = 100",
                "a1.sources.r1.batchDurationMillis = 200",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = 10000",
                "a1.sinks.k1.type = file_roll",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.sink.directory = " + output,
                "a1.sinks.k1.sink.rollInterval = 0",
                ""), StandardCharsets.UTF_8);
        return AgentProcess.start(installation, "agent", "-c", "conf", "-f", "conf/group.properties", "-n", "a1");
    }

    /** Produces 100 records every half second until {@code done} holds; returns the next number to produce. */
    private static long produceUntil(KafkaBroker broker, long from, Callable<Boolean> done, List<AgentProcess> agents)
            throws Exception {
        AtomicLong next = new AtomicLong(from);
        AgentProcess.awaitWhileAllRun("both agents reading", Duration.ofSeconds(180), Duration.ofMillis(500), agents,
                () -> {
                    if (done.call()) {
                        return true;
                    }
                    broker.produceNumbers("shared", next.getAndAdd(100), 100);
                    return false;
                });
        return next.get();
    }

    private static void awaitAll(long total, Path first, Path second, AgentProcess survivor) throws Exception {
        try {
            AgentProcess.awaitWhileAllRun("all " + total + " records read", Duration.ofSeconds(180),
                    Duration.ofMillis(500), List.of(survivor),
                    () -> merged(first, second).keySet().stream().filter(n -> n < total).count() >= total);
        } catch (AssertionError notAll) {
            // The assertion after this names what is missing.
        }
    }

    private static Map<Long, Integer> merged(Path first, Path second) throws Exception {
        Map<Long, Integer> counts = new HashMap<>(FileRollNumbers.counts(first));
        FileRollNumbers.counts(second).forEach((n, c) -> counts.merge(n, c, Integer::sum));
        return counts;
    }

    private static long lines(Path output) throws Exception {
        return FileRollNumbers.counts(output).values().stream().mapToLong(Integer::longValue).sum();
    }
}

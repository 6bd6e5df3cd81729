package org.sluice.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.kafka.broker.KafkaBroker;

/**
 * The Flume User Guide's Kafka examples (platform/runtime's flume-configs/userguide/kafka-*.properties: the source
 * with a topic list, the source with a topic pattern, the sink, the channel), each run as an agent of the built
 * distribution against a real broker (KRaft, in a child JVM). Only the broker addresses (the guide's localhost:9092
 * and kafka-1..3:9092) and the file_roll directories of the parts the guide leaves out are changed.
 */
class KafkaUserGuideExamplesIT {
    private final List<AgentProcess> agents = new ArrayList<>();
    private KafkaBroker broker;

    @AfterEach
    void stop() throws InterruptedException {
        for (AgentProcess agent : agents) {
            agent.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theKafkaSourceSinkAndChannelExamplesRunUnchanged() throws Exception {
        Path work = Paths.get(System.getProperty("sluice.itests.work", "target/work")).toAbsolutePath();
        Path brokerDir = Files.createTempDirectory(Files.createDirectories(work), "kafka-");
        broker = KafkaBroker.builder(brokerDir).start();
        String servers = broker.bootstrapServers();
        // A pattern subscription sees topics created later only at the consumer's next metadata refresh
        // (metadata.max.age.ms, 5 minutes by default, in Flume as here): these exist before the agent starts.
        broker.createTopic("topic1", 1);
        broker.createTopic("topic7", 1);
        broker.createTopic("other", 1);

        Installation sinkAgent = Installation.fresh();
        start(sinkAgent, "kafka-sink.properties", "a1", Map.of("a1.sinks.k1.kafka.bootstrap.servers", servers));

        Installation channelAgent = Installation.fresh();
        Path channelOutput = Files.createDirectories(channelAgent.resolve("out"));
        start(channelAgent, "kafka-channel.properties", "a1", Map.of(
                "a1.channels.channel1.kafka.bootstrap.servers", servers,
                "a1.sinks.k1.sink.directory", channelOutput.toString()));

        Installation topicsAgent = Installation.fresh();
        Path topicsOutput = Files.createDirectories(topicsAgent.resolve("out"));
        start(topicsAgent, "kafka-source-topics.properties", "tier1", Map.of(
                "tier1.sources.source1.kafka.bootstrap.servers", servers,
                "tier1.sinks.sink1.sink.directory", topicsOutput.toString()));

        Installation regexAgent = Installation.fresh();
        Path regexOutput = Files.createDirectories(regexAgent.resolve("out"));
        start(regexAgent, "kafka-source-regex.properties", "tier1", Map.of(
                "tier1.sources.source1.kafka.bootstrap.servers", servers,
                "tier1.sinks.sink1.sink.directory", regexOutput.toString()));

        // The sink example writes the sequence to mytopic (snappy-compressed, acks=1).
        await("the sink example's records in mytopic", () -> exists("mytopic") && broker.endOffsets("mytopic") >= 1000,
                agents);
        // The channel example carries the sequence through topic channel1 into file_roll, without a gap.
        await("the channel example's sequence in its file_roll output", () -> contiguous(channelOutput, 1000), agents);
        // The source examples start at the end of their topics (a new group, Kafka's auto.offset.reset = latest, as
        // in Flume): records written while they run arrive.
        await("the topic-list source example's file_roll output (topics test1 and test2)", () -> {
            broker.produce("test1", 50, 100);
            broker.produce("test2", 50, 100);
            return lines(topicsOutput) >= 200;
        }, agents);
        await("the topic-pattern source example's file_roll output (topic1, topic7)", () -> {
            broker.produce("topic1", 50, 100);
            broker.produce("topic7", 50, 100);
            broker.produce("other", 50, 100);
            return lines(regexOutput) >= 200;
        }, agents);
        assertTrue(broker.committedOffsets("custom.g.id", "test1") > 0, "the list example commits as custom.g.id");
        assertTrue(broker.committedOffsets("flume", "topic1") > 0, "the pattern example commits as flume");
        assertTrue(broker.committedOffsets("flume", "other") == 0, "'other' does not match ^topic[0-9]$");
    }

    private void start(Installation installation, String example, String agent, Map<String, String> changes)
            throws IOException {
        Path file = UserGuideExamplesIT.example(example, installation, changes);
        agents.add(AgentProcess.start(installation, "agent", "-c", "conf", "-f", file.toString(), "-n", agent));
    }

    private boolean exists(String topic) {
        try {
            broker.endOffsets(topic);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static void await(String what, Callable<Boolean> condition, List<AgentProcess> agents) throws Exception {
        AgentProcess.awaitWhileAllRun(what, Duration.ofSeconds(180), Duration.ofSeconds(1), agents, condition);
    }

    private static boolean contiguous(Path directory, long atLeast) {
        TreeSet<Long> numbers = new TreeSet<>();
        for (String line : allLines(directory)) {
            try {
                numbers.add(Long.parseLong(line.trim()));
            } catch (NumberFormatException e) {
                throw new AssertionError("not a sequence number in " + directory + ": " + line);
            }
        }
        return !numbers.isEmpty() && numbers.last() >= atLeast && numbers.size() == numbers.last() + 1;
    }

    private static long lines(Path directory) {
        return allLines(directory).size();
    }

    /** Complete lines (a last line without its newline is still being written). */
    private static List<String> allLines(Path directory) {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                int end = content.lastIndexOf('\n');
                if (end >= 0) {
                    lines.addAll(List.of(content.substring(0, end).split("\n", -1)));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return lines;
    }
}

package org.sluice.kafka.broker;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import kafka.tools.StorageTool;

/**
 * The broker JVM's main: formats the log directory on first start (KRaft, one node that is broker and controller),
 * starts the server, says {@code ready} on stdout and then answers commands read from stdin, one per line, each
 * answered on one stdout line with the {@link #PREFIX}:
 *
 * <ul>
 *   <li>{@code create-topic NAME PARTITIONS [key=value ...]}: {@code ok}</li>
 *   <li>{@code produce TOPIC COUNT BYTES}: COUNT records of BYTES random printable bytes, no key: {@code ok}</li>
 *   <li>{@code produce-numbers TOPIC FROM COUNT}: records whose values are the numbers FROM, FROM+1, ... as text:
 *       {@code ok}</li>
 *   <li>{@code end-offsets TOPIC}: the sum of the partitions' end offsets: {@code offsets N}</li>
 *   <li>{@code committed GROUP TOPIC}: the sum of the group's committed offsets on the topic: {@code offsets N}</li>
 * </ul>
 *
 * The end of stdin shuts the server down cleanly; SIGTERM does too, through Kafka's own shutdown hook.
 */
public final class BrokerMain {
    static final String PREFIX = "kafka-broker: ";

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path config = dir.resolve("server.properties");
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(config)) {
            properties.load(in);
        }
        Path logDir = Path.of(properties.getProperty("log.dirs"));
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            List<String> format = new ArrayList<>(List.of("format", "-t", properties.getProperty("sluice.cluster.id"),
                    "-c", config.toString()));
            String scram = properties.getProperty("sluice.scram.credentials", "");
            for (String credential : scram.isBlank() ? new String[0] : scram.split(";")) {
                format.add("--add-scram");
                format.add(credential);
            }
            ByteArrayOutputStream formatOutput = new ByteArrayOutputStream();
            int code = StorageTool.execute(format.toArray(String[]::new), new PrintStream(formatOutput, true,
                    StandardCharsets.UTF_8));
            if (code != 0) {
                System.out.println(PREFIX + "failed format: " + formatOutput.toString(StandardCharsets.UTF_8)
                        .replace('\n', ' '));
                System.exit(2);
            }
        }
        // Kafka's own main: it starts the server, shuts it down cleanly from its JVM shutdown hook (SIGTERM, or
        // System.exit below) and exits the JVM itself if the server fails.
        Thread server = new Thread(() -> kafka.Kafka.main(new String[] {config.toString()}), "kafka-main");
        server.start();
        Properties client = new Properties();
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.getProperty("sluice.plain.bootstrap"));
        try (Admin admin = Admin.create(client)) {
            // Ready means it serves clients, not only that the sockets are bound.
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
            System.out.println(PREFIX + "ready");
            System.out.flush();
            serve(admin, client);
        }
        // End of stdin: a clean shutdown, through Kafka's shutdown hook.
        System.exit(0);
    }

    private static void serve(Admin admin, Properties client) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) {
                continue;
            }
            String answer;
            try {
                answer = answer(admin, client, line.trim().split("\\s+"));
            } catch (Exception e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                answer = "error " + cause.getClass().getSimpleName() + ": " + String.valueOf(cause.getMessage())
                        .replace('\n', ' ');
            }
            System.out.println(PREFIX + answer);
            System.out.flush();
        }
    }

    private static String answer(Admin admin, Properties client, String[] words) throws Exception {
        switch (words[0]) {
            case "create-topic": {
                NewTopic topic = new NewTopic(words[1], Integer.parseInt(words[2]), (short) 1);
                Map<String, String> configs = new HashMap<>();
                for (String setting : Arrays.copyOfRange(words, 3, words.length)) {
                    int eq = setting.indexOf('=');
                    configs.put(setting.substring(0, eq), setting.substring(eq + 1));
                }
                admin.createTopics(List.of(topic.configs(configs))).all().get(60, TimeUnit.SECONDS);
                return "ok";
            }
            case "produce":
                produce(client, words[1], Long.parseLong(words[2]), Integer.parseInt(words[3]));
                return "ok";
            case "produce-numbers":
                produceNumbers(client, words[1], Long.parseLong(words[2]), Long.parseLong(words[3]));
                return "ok";
            case "end-offsets":
                return "offsets " + endOffsets(admin, words[1]);
            case "committed": {
                long sum = 0;
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(words[1])
                        .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
                for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
                    if (entry.getKey().topic().equals(words[2]) && entry.getValue() != null) {
                        sum += entry.getValue().offset();
                    }
                }
                return "offsets " + sum;
            }
            default:
                return "error unknown command " + words[0];
        }
    }

    private static long endOffsets(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic)
                .partitions().size();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long sum = 0;
        for (ListOffsetsResult.ListOffsetsResultInfo info : admin.listOffsets(request).all().get(60, TimeUnit.SECONDS)
                .values()) {
            sum += info.offset();
        }
        return sum;
    }

    private static void produceNumbers(Properties client, String topic, long from, long count) throws Exception {
        Properties settings = new Properties();
        settings.putAll(client);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long n = from; n < from + count; n++) {
                producer.send(new ProducerRecord<>(topic, Long.toString(n).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    /** Fills a topic as fast as the broker takes it: the benchmark's pre-filled topic. */
    private static void produce(Properties client, String topic, long count, int bytes) throws Exception {
        Properties settings = new Properties();
        settings.putAll(client);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        Random random = new Random(42);
        byte[][] bodies = new byte[64][];
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = new byte[bytes];
            for (int j = 0; j < bytes; j++) {
                bodies[i][j] = (byte) (' ' + 1 + random.nextInt(94));
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
            for (long i = 0; i < count && failure.get() == null; i++) {
                producer.send(new ProducerRecord<>(topic, bodies[(int) (i % bodies.length)]), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            if (failure.get() != null) {
                throw failure.get();
            }
        }
    }
}

package org.sluice.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.kafka.Components.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.Sink;
import org.sluice.api.source.PollableSource;
import org.sluice.kafka.flumepeer.FlumeAgent;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.api.testkit.TestChannel;

/**
 * Both ways against Apache Flume 1.11.0's own Kafka source, sink and channel (with the kafka-clients 2.7.2 they ship
 * with, in a Flume agent of its own JVM) on one broker: Flume's Avro-wrapped events and plain bodies, headers, keys
 * and partitions, Kafka record headers; then Flume is stopped and Sluice continues its source's and its channel's
 * consumer groups from their committed offsets.
 */
@ExtendWith(KafkaComponentsTest.Broker.class)
class FlumeKafkaCompatibilityTest {
    private static final String UNICODE = "v\u00e4rde \u2713";

    @TempDir
    Path dir;

    @Test
    void sluiceAndFlumeReadEachOthersRecordsAndSluiceTakesOverFlumesGroups() throws Exception {
        var broker = KafkaComponentsTest.broker;
        broker.createTopic("compat-flume-avro", 3);
        broker.createTopic("compat-flume-plain", 1);
        broker.createTopic("compat-sluice-sink", 2);
        broker.createTopic("compat-flume-channel", 2);
        broker.createTopic("compat-sluice-channel", 2);
        broker.createTopic("compat-sluice-keys", 3);
        String servers = broker.bootstrapServers();

        // Sluice writes first, through its sink (Flume event format, a Kafka header) and its channel.
        sluiceSink(servers, "compat-sluice-sink", 0, 40);
        sluiceChannelPut(servers, "compat-sluice-channel", 0, 30);

        Path rollC = Files.createDirectories(dir.resolve("flume-from-sluice-sink"));
        Path rollE = Files.createDirectories(dir.resolve("flume-from-sluice-channel"));
        FlumeAgent flume = FlumeAgent.start(dir.resolve("flume"), "flume", flumeConfiguration(servers, rollC, rollE));
        try {
            // Flume's source and channel read what Sluice wrote, headers intact.
            List<GenericRecord> fromSink = awaitAvroEvents(rollC, 40, flume);
            for (GenericRecord event : fromSink) {
                Map<String, String> headers = headers(event);
                String n = headers.get("n");
                assertEquals("sluice " + n, body(event));
                assertEquals(UNICODE, headers.get("u"));
                assertEquals("trace-" + n, headers.get("copied"), "Kafka header X-Trace mapped by Flume's source");
                assertEquals("key-" + n, headers.get("key"));
                assertEquals("compat-sluice-sink", headers.get("topic"));
            }
            List<GenericRecord> fromChannel = awaitAvroEvents(rollE, 30, flume);
            for (GenericRecord event : fromChannel) {
                Map<String, String> headers = headers(event);
                assertEquals("sluice " + headers.get("n"), body(event));
                assertEquals(UNICODE, headers.get("u"));
            }

            // Sluice reads what Flume's sink wrote: Flume event format with headers, and plain bodies.
            List<Event> avro = sluiceSource(servers, "compat-flume-avro", "g-compat-avro", true, 60,
                    "header.originCopy", "X-Origin");
            Map<String, String> partitionByKey = new TreeMap<>();
            for (Event event : avro) {
                Map<String, String> headers = event.getHeaders();
                String body = new String(event.getBody(), StandardCharsets.UTF_8);
                assertEquals(body, headers.get("key"), "regex_extractor made the body the key");
                assertEquals("flume", headers.get("origin"));
                assertEquals("flume", headers.get("originCopy"), "Flume's sink wrote the header as X-Origin");
                assertEquals(UNICODE, headers.get("u"));
                partitionByKey.put(headers.get("key"), headers.get("partition"));
            }
            List<Event> plain = sluiceSource(servers, "compat-flume-plain", "g-compat-plain", false, 20);
            assertEquals(20, plain.stream().map(e -> new String(e.getBody(), StandardCharsets.UTF_8)).distinct().count());

            // Sluice's channel takes what Flume's channel put.
            Channel take = Components.channel(Components.channelContext(keys("kafka.bootstrap.servers", servers,
                    "kafka.topic", "compat-flume-channel", "kafka.consumer.group.id", "g-compat-channel"), dir));
            try {
                List<Event> taken = takeAll(take, 25);
                for (Event event : taken) {
                    assertEquals("flume-channel", event.getHeaders().get("origin"));
                    assertEquals(UNICODE, event.getHeaders().get("u"));
                }
            } finally {
                take.stop();
            }

            // Keys choose partitions the same way: Sluice's sink puts each key where Flume's sink put it.
            TestChannel keyed = new TestChannel(100);
            keyed.putCommitted(partitionByKey.keySet().stream().map(k -> EventBuilder.withBody(k,
                    StandardCharsets.UTF_8, Map.of("key", k))).toList());
            Sink sink = Components.sink(keys("kafka.bootstrap.servers", servers, "kafka.topic", "compat-sluice-keys"),
                    keyed, dir);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    sink.process();
                    return keyed.size() == 0;
                });
            } finally {
                sink.stop();
            }
            Map<String, String> sluicePartitions = new TreeMap<>();
            for (ConsumerRecord<String, byte[]> record : KafkaComponentsTest.readAll("compat-sluice-keys", 60)) {
                sluicePartitions.put(record.key(), Integer.toString(record.partition()));
            }
            assertEquals(partitionByKey, sluicePartitions);

            // Flume has committed everything it read: its groups are where Sluice continues.
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    broker.committedOffsets("flume-src", "compat-sluice-sink") == 40
                    && broker.committedOffsets("flume-chan", "compat-sluice-channel") == 30);
        } finally {
            flume.stop();
        }

        // Flume is stopped; more arrives; Sluice in Flume's groups reads exactly what Flume had not.
        sluiceSink(servers, "compat-sluice-sink", 40, 10);
        sluiceChannelPut(servers, "compat-sluice-channel", 30, 10);
        List<Event> continued = sluiceSource(servers, "compat-sluice-sink", "flume-src", true, 10, "-", "-");
        assertEquals(numbers(40, 50), continued.stream().map(e -> e.getHeaders().get("n")).sorted().toList());
        Channel channel = Components.channel(Components.channelContext(keys("kafka.bootstrap.servers", servers,
                "kafka.topic", "compat-sluice-channel", "kafka.consumer.group.id", "flume-chan"), dir));
        try {
            List<Event> taken = takeAll(channel, 10);
            assertEquals(numbers(30, 40), taken.stream().map(e -> e.getHeaders().get("n")).sorted().toList());
        } finally {
            channel.stop();
        }
    }

    /**
     * Flume's agent: its sink writes Flume events (3 partitions, keyed) and plain bodies; its source and its channel
     * read what Sluice wrote into file_roll sinks with Flume's avro_event serializer; its channel without a sink is
     * written by a seq source. Static values are \\u-escaped, as a properties file needs on any platform.
     */
    private static String flumeConfiguration(String servers, Path rollC, Path rollE) {
        String u = "v\\u00e4rde \\u2713";
        return String.join("\n",
                "flume.sources = sA sB sD rC",
                "flume.channels = cA cB cC chD chE",
                "flume.sinks = kA kB kC kE",
                "flume.sources.sA.type = seq",
                "flume.sources.sA.totalEvents = 60",
                "flume.sources.sA.channels = cA",
                "flume.sources.sA.interceptors = origin u key",
                "flume.sources.sA.interceptors.origin.type = static",
                "flume.sources.sA.interceptors.origin.key = origin",
                "flume.sources.sA.interceptors.origin.value = flume",
                "flume.sources.sA.interceptors.u.type = static",
                "flume.sources.sA.interceptors.u.key = u",
                "flume.sources.sA.interceptors.u.value = " + u,
                "flume.sources.sA.interceptors.key.type = regex_extractor",
                "flume.sources.sA.interceptors.key.regex = (\\\\d+)",
                "flume.sources.sA.interceptors.key.serializers = s1",
                "flume.sources.sA.interceptors.key.serializers.s1.name = key",
                "flume.channels.cA.type = memory",
                "flume.sinks.kA.type = org.apache.flume.sink.kafka.KafkaSink",
                "flume.sinks.kA.channel = cA",
                "flume.sinks.kA.kafka.bootstrap.servers = " + servers,
                "flume.sinks.kA.kafka.topic = compat-flume-avro",
                "flume.sinks.kA.useFlumeEventFormat = true",
                "flume.sinks.kA.header.origin = X-Origin",
                "flume.sources.sB.type = seq",
                "flume.sources.sB.totalEvents = 20",
                "flume.sources.sB.channels = cB",
                "flume.channels.cB.type = memory",
                "flume.sinks.kB.type = org.apache.flume.sink.kafka.KafkaSink",
                "flume.sinks.kB.channel = cB",
                "flume.sinks.kB.kafka.bootstrap.servers = " + servers,
                "flume.sinks.kB.kafka.topic = compat-flume-plain",
                "flume.sources.rC.type = org.apache.flume.source.kafka.KafkaSource",
                "flume.sources.rC.channels = cC",
                "flume.sources.rC.kafka.bootstrap.servers = " + servers,
                "flume.sources.rC.kafka.topics = compat-sluice-sink",
                "flume.sources.rC.kafka.consumer.group.id = flume-src",
                "flume.sources.rC.kafka.consumer.auto.offset.reset = earliest",
                "flume.sources.rC.useFlumeEventFormat = true",
                "flume.sources.rC.batchDurationMillis = 200",
                "flume.sources.rC.batchSize = 100",
                "flume.sources.rC.header.copied = X-Trace",
                "flume.channels.cC.type = memory",
                "flume.sinks.kC.type = file_roll",
                "flume.sinks.kC.channel = cC",
                "flume.sinks.kC.sink.directory = " + rollC,
                "flume.sinks.kC.sink.rollInterval = 0",
                "flume.sinks.kC.sink.serializer = avro_event",
                "flume.sources.sD.type = seq",
                "flume.sources.sD.totalEvents = 25",
                "flume.sources.sD.channels = chD",
                "flume.sources.sD.interceptors = origin u",
                "flume.sources.sD.interceptors.origin.type = static",
                "flume.sources.sD.interceptors.origin.key = origin",
                "flume.sources.sD.interceptors.origin.value = flume-channel",
                "flume.sources.sD.interceptors.u.type = static",
                "flume.sources.sD.interceptors.u.key = u",
                "flume.sources.sD.interceptors.u.value = " + u,
                "flume.channels.chD.type = org.apache.flume.channel.kafka.KafkaChannel",
                "flume.channels.chD.kafka.bootstrap.servers = " + servers,
                "flume.channels.chD.kafka.topic = compat-flume-channel",
                "flume.channels.chE.type = org.apache.flume.channel.kafka.KafkaChannel",
                "flume.channels.chE.kafka.bootstrap.servers = " + servers,
                "flume.channels.chE.kafka.topic = compat-sluice-channel",
                "flume.channels.chE.kafka.consumer.group.id = flume-chan",
                "flume.sinks.kE.type = file_roll",
                "flume.sinks.kE.channel = chE",
                "flume.sinks.kE.sink.directory = " + rollE,
                "flume.sinks.kE.sink.rollInterval = 0",
                "flume.sinks.kE.sink.serializer = avro_event",
                "");
    }

    private void sluiceSink(String servers, String topic, int from, int count) throws Exception {
        TestChannel channel = new TestChannel(1000);
        List<Event> events = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            events.add(EventBuilder.withBody("sluice " + i, StandardCharsets.UTF_8, Map.of("n", Integer.toString(i),
                    "u", UNICODE, "trace", "trace-" + i, "key", "key-" + i)));
        }
        channel.putCommitted(events);
        Sink sink = Components.sink(keys("kafka.bootstrap.servers", servers, "kafka.topic", topic,
                "useFlumeEventFormat", "true", "header.trace", "X-Trace"), channel, dir);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                sink.process();
                return channel.size() == 0;
            });
        } finally {
            sink.stop();
        }
    }

    private void sluiceChannelPut(String servers, String topic, int from, int count) throws Exception {
        Channel channel = Components.channel(Components.channelContext(keys("kafka.bootstrap.servers", servers,
                "kafka.topic", topic), dir));
        try {
            Transaction put = channel.getTransaction();
            put.begin();
            for (int i = from; i < from + count; i++) {
                channel.put(EventBuilder.withBody("sluice " + i, StandardCharsets.UTF_8, Map.of("n",
                        Integer.toString(i), "u", UNICODE)));
            }
            put.commit();
            put.close();
        } finally {
            channel.stop();
        }
    }

    private List<Event> sluiceSource(String servers, String topic, String group, boolean flumeFormat, int expected,
            String... extraKeys) throws Exception {
        RecordingChannelProcessor processor = new RecordingChannelProcessor();
        Map<String, String> keys = keys("kafka.bootstrap.servers", servers, "kafka.topics", topic,
                "kafka.consumer.group.id", group, "useFlumeEventFormat", Boolean.toString(flumeFormat));
        if (!group.startsWith("flume-")) {
            keys.put("kafka.consumer.auto.offset.reset", "earliest");
        }
        if (extraKeys.length == 2 && !extraKeys[0].equals("-")) {
            keys.put(extraKeys[0], extraKeys[1]);
        }
        PollableSource source = Components.source(Components.sourceContext(keys, processor, dir));
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                source.process();
                return processor.accepted().size() >= expected;
            });
        } finally {
            source.stop();
        }
        assertEquals(expected, processor.accepted().size());
        return processor.accepted();
    }

    private static List<Event> takeAll(Channel channel, int expected) throws Exception {
        List<Event> taken = new ArrayList<>();
        Thread thread = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (taken.size() < expected && System.nanoTime() < deadline) {
                Transaction take = channel.getTransaction();
                take.begin();
                Event event = channel.take();
                if (event != null) {
                    taken.add(event);
                }
                take.commit();
                take.close();
            }
        });
        thread.start();
        thread.join();
        assertEquals(expected, taken.size());
        return taken;
    }

    /** The events in file_roll's avro_event files (Flume's Event schema), once there are {@code expected}. */
    private static List<GenericRecord> awaitAvroEvents(Path directory, int expected, FlumeAgent flume) {
        List<GenericRecord> events = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                events.clear();
                events.addAll(readAvroEvents(directory));
                return events.size() >= expected || !flume.isAlive();
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(events.size() + " of " + expected + " events in " + directory + "; Flume's log:\n"
                    + flume.log(), e);
        }
        assertEquals(expected, events.size(), flume::log);
        return events;
    }

    private static List<GenericRecord> readAvroEvents(Path directory) throws IOException {
        List<GenericRecord> events = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                if (Files.size(file) == 0) {
                    continue;
                }
                try (DataFileStream<GenericRecord> in = new DataFileStream<>(Files.newInputStream(file),
                        new GenericDatumReader<>())) {
                    while (in.hasNext()) {
                        events.add(in.next());
                    }
                } catch (IOException | org.apache.avro.AvroRuntimeException partial) {
                    // A block still being written: read again on the next look.
                }
            }
        }
        return events;
    }

    private static Map<String, String> headers(GenericRecord event) {
        Map<String, String> headers = new HashMap<>();
        ((Map<?, ?>) event.get("headers")).forEach((k, v) -> headers.put(k.toString(), v.toString()));
        return headers;
    }

    private static String body(GenericRecord event) {
        ByteBuffer body = ((ByteBuffer) event.get("body")).duplicate();
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static List<String> numbers(int from, int to) {
        return java.util.stream.IntStream.range(from, to).mapToObj(Integer::toString).sorted()
                .collect(Collectors.toList());
    }
}

package org.sluice.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.kafka.Components.keys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.source.PollableSource;
import org.sluice.api.source.SourceContext;
import org.sluice.kafka.broker.KafkaBroker;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.api.testkit.TestChannel;
import org.sluice.testkit.TestContexts;

/**
 * The source, sink and channel against a real broker (KRaft, in a child JVM; one for the whole run): what goes
 * through Kafka arrives with its headers, keys and partitions, offsets are committed only after the channel
 * committed, and bad input (records that are not Flume events, missing topics, oversized events, unreachable
 * brokers) gets a clear error and loses nothing.
 */
@ExtendWith(KafkaComponentsTest.Broker.class)
class KafkaComponentsTest {
    static KafkaBroker broker;

    /** Starts (or joins) the run's broker. */
    static final class Broker implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            broker = SharedBroker.get(context);
        }
    }

    @TempDir
    Path dir;

    @Test
    void eventsInFlumeFormatKeepHeadersKeysPartitionsTimestampsAndMappedKafkaHeaders() throws Exception {
        broker.createTopic("roundtrip", 3);
        TestChannel channel = new TestChannel(1000);
        List<Event> sent = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            Map<String, String> headers = new HashMap<>();
            headers.put("p", Integer.toString(i % 3));
            headers.put("key", "k" + i);
            headers.put("trace", "t-" + i);
            headers.put("ts", Long.toString(1_700_000_000_000L + i));
            headers.put("ünïcode", "värde ✓ " + i);
            sent.add(EventBuilder.withBody("event " + i, StandardCharsets.UTF_8, headers));
        }
        channel.putCommitted(sent);
        drainThenStop(Components.sink(keys("kafka.bootstrap.servers", broker.bootstrapServers(), "kafka.topic",
                "roundtrip", "useFlumeEventFormat", "true", "partitionIdHeader", "p", "timestampHeader", "ts",
                "header.trace", "X-Trace", "flumeBatchSize", "40"), channel, dir), channel);

        // The Kafka records themselves: partition from the header, key from 'key', timestamp from 'ts', X-Trace.
        Map<String, ConsumerRecord<String, byte[]>> byKey = readAll("roundtrip", 90).stream()
                .collect(Collectors.toMap(ConsumerRecord::key, r -> r));
        for (int i = 0; i < 90; i++) {
            ConsumerRecord<String, byte[]> record = byKey.get("k" + i);
            assertEquals(i % 3, record.partition());
            assertEquals(1_700_000_000_000L + i, record.timestamp());
            Header trace = record.headers().lastHeader("X-Trace");
            assertEquals("t-" + i, new String(trace.value(), StandardCharsets.UTF_8));
        }

        RecordingChannelProcessor processor = new RecordingChannelProcessor();
        SourceContext context = Components.sourceContext(keys("kafka.bootstrap.servers", broker.bootstrapServers(),
                "kafka.topics", "roundtrip", "kafka.consumer.group.id", "g-roundtrip", "useFlumeEventFormat", "true",
                "kafka.consumer.auto.offset.reset", "earliest", "header.traceCopy", "X-Trace", "timestampHeader",
                "recordTime"), processor, dir);
        PollableSource source = Components.source(context);
        try {
            pollUntil(source, processor, 90);
        } finally {
            source.stop();
        }
        Map<String, Event> received = processor.accepted().stream()
                .collect(Collectors.toMap(e -> e.getHeaders().get("key"), e -> e));
        for (int i = 0; i < 90; i++) {
            Event event = received.get("k" + i);
            assertEquals("event " + i, new String(event.getBody(), StandardCharsets.UTF_8));
            Map<String, String> headers = event.getHeaders();
            assertEquals("värde ✓ " + i, headers.get("ünïcode"));
            assertEquals("t-" + i, headers.get("trace"));
            assertEquals("t-" + i, headers.get("traceCopy"));
            assertEquals(Integer.toString(i % 3), headers.get("partition"));
            assertEquals("roundtrip", headers.get("topic"));
            assertEquals(Long.toString(1_700_000_000_000L + i), headers.get("timestamp"));
            assertEquals(Long.toString(1_700_000_000_000L + i), headers.get("recordTime"));
            assertNotNull(headers.get("offset"));
        }
        assertEquals(90, broker.committedOffsets("g-roundtrip", "roundtrip"));
    }

    @Test
    void plainBodiesGoToTheTopicOfTheirTopicHeaderOrOfTheTemplate() throws Exception {
        broker.createTopic("plain-", 1);
        broker.createTopic("plain-b", 1);
        broker.createTopic("plain-web", 1);
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(List.of(
                EventBuilder.withBody("no dest", StandardCharsets.UTF_8, Map.of("app", "web")),
                EventBuilder.withBody("to b", StandardCharsets.UTF_8, Map.of("topic", "plain-b")),
                EventBuilder.withBody("templated", StandardCharsets.UTF_8, Map.of("app", "web", "dest", "web"))));
        drainThenStop(Components.sink(keys("kafka.bootstrap.servers", broker.bootstrapServers(), "kafka.topic",
                "plain-%{dest}"), channel, dir), channel);
        assertEquals(List.of("to b"), bodies(readAll("plain-b", 1)));
        assertEquals(List.of("templated"), bodies(readAll("plain-web", 1)));
        // No 'dest' header: the escape is empty, as in Flume.
        assertEquals(List.of("no dest"), bodies(readAll("plain-", 1)));
    }

    @Test
    void offsetsAreCommittedOnlyAfterTheChannelsCommittedTheBatch() throws Exception {
        broker.createTopic("commit-order", 2);
        produce("commit-order", 50);
        RecordingChannelProcessor processor = new RecordingChannelProcessor();
        processor.failNext(1);
        SourceContext context = Components.sourceContext(keys("kafka.bootstrap.servers", broker.bootstrapServers(),
                "kafka.topics", "commit-order", "kafka.consumer.group.id", "g-commit",
                "kafka.consumer.auto.offset.reset", "earliest"), processor, dir);
        PollableSource source = Components.source(context);
        try {
            // The first batch is refused: nothing accepted, nothing committed.
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                source.process();
                return TestContexts.countersOf(context).get("ChannelWriteFail") == 1;
            });
            assertEquals(0, processor.accepted().size());
            assertEquals(0, broker.committedOffsets("g-commit", "commit-order"));
            // Read again after the backoff: every record once, then committed.
            pollUntil(source, processor, 50);
            assertEquals(50, processor.accepted().stream().map(e -> e.getHeaders().get("partition") + "/"
                    + e.getHeaders().get("offset")).distinct().count());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> broker.committedOffsets("g-commit", "commit-order") == 50);
        } finally {
            source.stop();
        }
    }

    @Test
    void channelPutsAreInKafkaAtCommitAndARolledBackTakeComesBackInOrder() throws Exception {
        broker.createTopic("channel-topic", 1);
        Map<String, String> keys = keys("kafka.bootstrap.servers", broker.bootstrapServers(), "kafka.topic",
                "channel-topic", "kafka.consumer.group.id", "g-channel");
        Channel channel = Components.channel(Components.channelContext(keys, dir));
        try {
            Transaction put = channel.getTransaction();
            put.begin();
            for (int i = 0; i < 20; i++) {
                channel.put(EventBuilder.withBody("e" + i, StandardCharsets.UTF_8, Map.of("n", Integer.toString(i))));
            }
            assertEquals(0, broker.endOffsets("channel-topic"), "nothing is sent before the commit");
            put.commit();
            put.close();
            assertEquals(20, broker.endOffsets("channel-topic"), "the commit returned: the broker has every record");

            // A take on another thread, rolled back, then taken again: same events, same order, then committed.
            List<String> first = takeOnNewThread(channel, 5, false);
            List<String> again = takeOnNewThread(channel, 20, true);
            assertEquals(List.of("e0", "e1", "e2", "e3", "e4"), first);
            assertEquals(20, again.size());
            assertEquals(first, again.subList(0, 5));
            assertEquals("e19", again.get(19));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> broker.committedOffsets("g-channel", "channel-topic") == 20);
        } finally {
            channel.stop();
        }
    }

    /**
     * Several threads commit puts at once, as an avro source's connections do: a commit that ends while others are
     * still adding records waits for the producer's full batches instead of flushing, and must still return only
     * once the broker has every record of its put, losing and doubling none.
     */
    @Test
    void concurrentPutCommitsEachReturnOnlyOnceTheBrokerHasTheirRecords() throws Exception {
        broker.createTopic("channel-concurrent", 3);
        Map<String, String> keys = keys("kafka.bootstrap.servers", broker.bootstrapServers(), "kafka.topic",
                "channel-concurrent", "kafka.consumer.group.id", "g-concurrent");
        Channel channel = Components.channel(Components.channelContext(keys, dir));
        int threads = 4;
        int perPut = 500;
        int putsPerThread = 5;
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicInteger committed = new AtomicInteger();
        List<String> shortfalls = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int p = 0; p < putsPerThread; p++) {
                        Transaction put = channel.getTransaction();
                        put.begin();
                        for (int i = 0; i < perPut; i++) {
                            channel.put(EventBuilder.withBody(thread + "-" + p + "-" + i, StandardCharsets.UTF_8));
                        }
                        put.commit();
                        put.close();
                        // Every put counted here has returned from its commit, so the broker must hold its records.
                        long expected = (long) perPut * committed.incrementAndGet();
                        long inKafka = broker.endOffsets("channel-concurrent");
                        if (inKafka < expected) {
                            shortfalls.add(inKafka + " records in Kafka after " + expected / perPut + " commits");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            channel.stop();
        }
        assertEquals(List.of(), shortfalls);
        List<String> bodies = bodies(readAll("channel-concurrent", threads * putsPerThread * perPut));
        assertEquals(threads * putsPerThread * perPut, new HashSet<>(bodies).size(), "no record lost or doubled");
    }

    @Test
    void recordsThatAreNotFlumeEventsAreSkippedCountedAndLoggedAndTheRestIsRead() throws Exception {
        broker.createTopic("mixed", 1);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>("mixed", "not an avro event".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>("mixed", FlumeEventFormat.encode(EventBuilder.withBody("good 1",
                    StandardCharsets.UTF_8, Map.of("h", "1")))));
            producer.send(new ProducerRecord<>("mixed", new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1}));
            producer.send(new ProducerRecord<>("mixed", FlumeEventFormat.encode(EventBuilder.withBody("good 2",
                    StandardCharsets.UTF_8, Map.of("h", "2")))));
        }
        RecordingChannelProcessor processor = new RecordingChannelProcessor();
        SourceContext context = Components.sourceContext(keys("kafka.bootstrap.servers", broker.bootstrapServers(),
                "kafka.topics", "mixed", "kafka.consumer.group.id", "g-mixed", "useFlumeEventFormat", "true",
                "kafka.consumer.auto.offset.reset", "earliest"), processor, dir);
        try (LogCapture log = LogCapture.open()) {
            PollableSource source = Components.source(context);
            try {
                pollUntil(source, processor, 2);
            } finally {
                source.stop();
            }
            assertTrue(log.contains("skipped the record at topic 'mixed', partition 0, offset 0"), log.lines()::toString);
        }
        assertEquals(List.of("good 1", "good 2"), processor.accepted().stream()
                .map(e -> new String(e.getBody(), StandardCharsets.UTF_8)).toList());
        assertEquals(2, TestContexts.countersOf(context).get("EventReadFail"));
        await().atMost(Duration.ofSeconds(30)).until(() -> broker.committedOffsets("g-mixed", "mixed") == 4);

        // The channel reads the same topic as a Flume-event channel: the same two, the same count.
        Map<String, String> keys = keys("kafka.bootstrap.servers", broker.bootstrapServers(), "kafka.topic", "mixed",
                "kafka.consumer.group.id", "g-mixed-channel");
        var channelContext = Components.channelContext(keys, dir);
        Channel channel = Components.channel(channelContext);
        try {
            assertEquals(List.of("good 1", "good 2"), takeOnNewThread(channel, 2, true));
            assertEquals(2, TestContexts.countersOf(channelContext).get("EventReadFail"));
        } finally {
            channel.stop();
        }
    }

    @Test
    void anOversizedEventFailsItsBatchBeforeAnythingIsSentAndStaysInTheChannel() throws Exception {
        broker.createTopic("oversized", 1);
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(List.of(EventBuilder.withBody(new byte[100]), EventBuilder.withBody(new byte[20_000]),
                EventBuilder.withBody(new byte[100])));
        Sink small = Components.sink(keys("kafka.bootstrap.servers", broker.bootstrapServers(), "kafka.topic",
                "oversized", "kafka.producer.max.request.size", "10000"), channel, dir);
        try {
            EventDeliveryException e = assertThrows(EventDeliveryException.class, small::process);
            assertTrue(e.getMessage().contains("kafka.producer.max.request.size"), e.getMessage());
        } finally {
            small.stop();
        }
        assertEquals(3, channel.size(), "the batch is back in the channel");
        assertEquals(0, broker.endOffsets("oversized"), "nothing of the batch was sent");
        // With room for it, the same events go through.
        Sink large = Components.sink(keys("kafka.bootstrap.servers", broker.bootstrapServers(), "kafka.topic",
                "oversized"), channel, dir);
        try {
            drain(large, channel);
        } finally {
            large.stop();
        }
        assertEquals(3, broker.endOffsets("oversized"));

        // A Kafka channel refuses such a put at once, naming the key.
        Channel kafkaChannel = Components.channel(Components.channelContext(keys("kafka.bootstrap.servers",
                broker.bootstrapServers(), "kafka.topic", "oversized", "kafka.producer.max.request.size", "10000"),
                dir));
        try {
            Transaction put = kafkaChannel.getTransaction();
            put.begin();
            ChannelException refused = assertThrows(ChannelException.class,
                    () -> kafkaChannel.put(EventBuilder.withBody(new byte[20_000])));
            assertTrue(refused.getMessage().contains("kafka.producer.max.request.size"), refused.getMessage());
            put.rollback();
            put.close();
        } finally {
            kafkaChannel.stop();
        }
    }

    @Test
    void aTopicThatDoesNotExistFailsTheBatchSayingSoUntilItIsCreated() throws Exception {
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(List.of(EventBuilder.withBody("waits", StandardCharsets.UTF_8)));
        Sink sink = Components.sink(keys("kafka.bootstrap.servers", broker.bootstrapServers(), "kafka.topic",
                "created-later", "kafka.producer.max.block.ms", "3000"), channel, dir);
        try {
            EventDeliveryException e = assertThrows(EventDeliveryException.class, sink::process);
            assertTrue(e.getMessage().contains("topic 'created-later' does not exist"), e.getMessage());
            assertEquals(1, channel.size());
            broker.createTopic("created-later", 1);
            drain(sink, channel);
        } finally {
            sink.stop();
        }
        assertEquals(1, broker.endOffsets("created-later"));

        // The source says which topic is missing, and reads it once it exists.
        RecordingChannelProcessor processor = new RecordingChannelProcessor();
        SourceContext context = Components.sourceContext(keys("kafka.bootstrap.servers", broker.bootstrapServers(),
                "kafka.topics", "later-still", "kafka.consumer.group.id", "g-later",
                "kafka.consumer.auto.offset.reset", "earliest"), processor, dir);
        try (LogCapture log = LogCapture.open()) {
            PollableSource source = Components.source(context);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    source.process();
                    return log.contains("topic(s) [later-still] do not exist");
                });
                broker.createTopic("later-still", 1);
                produce("later-still", 3);
                pollUntil(source, processor, 3);
            } finally {
                source.stop();
            }
        }
    }

    @Test
    void unreachableBrokersGiveAClearErrorAndLeaveNoThreadsBehind() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String nowhere = "127.0.0.1:" + closedPort;
        long threadsBefore = kafkaThreads();
        TestChannel channel = new TestChannel(10);
        channel.putCommitted(List.of(EventBuilder.withBody("kept", StandardCharsets.UTF_8)));
        for (int attempt = 0; attempt < 3; attempt++) {
            Sink sink = Components.sink(keys("kafka.bootstrap.servers", nowhere, "kafka.topic", "t",
                    "kafka.producer.max.block.ms", "1500"), channel, dir);
            try {
                EventDeliveryException e = assertThrows(EventDeliveryException.class, sink::process);
                assertTrue(e.getMessage().contains("no Kafka broker of kafka.bootstrap.servers = " + nowhere),
                        e.getMessage());
            } finally {
                sink.stop();
            }
            assertEquals(1, channel.size());
        }
        RecordingChannelProcessor processor = new RecordingChannelProcessor();
        PollableSource source = Components.source(Components.sourceContext(keys("kafka.bootstrap.servers", nowhere,
                "kafka.topics", "t"), processor, dir));
        source.process();
        source.stop();
        // An unresolvable host fails the start (retried by the platform), naming the key.
        Sink unresolvable = new org.sluice.kafka.sink.KafkaSinkFactory().create(Components.sinkContext(keys(
                "kafka.bootstrap.servers", "no-such-host.invalid:9092"), channel, dir));
        IllegalStateException refused = assertThrows(IllegalStateException.class, unresolvable::start);
        assertTrue(refused.getMessage().contains("kafka.bootstrap.servers = no-such-host.invalid:9092"),
                refused.getMessage());
        unresolvable.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> kafkaThreads() <= threadsBefore);
    }

    @Test
    void theSecureListenerWithScramAndPlainOverTls() throws Exception {
        broker.createTopic("secure", 1);
        String truststore = broker.truststore().toString();
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(List.of(EventBuilder.withBody("over tls", StandardCharsets.UTF_8, Map.of("h", "v"))));
        drainThenStop(Components.sink(keys("kafka.bootstrap.servers", broker.secureBootstrapServers(), "kafka.topic",
                "secure", "useFlumeEventFormat", "true",
                "kafka.producer.security.protocol", "SASL_SSL",
                "kafka.producer.sasl.mechanism", "SCRAM-SHA-256",
                "kafka.producer.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"" + KafkaBroker.USER + "\" password=\"" + KafkaBroker.PASSWORD + "\";",
                "kafka.producer.ssl.truststore.location", truststore,
                "kafka.producer.ssl.truststore.password", KafkaBroker.STORE_PASSWORD), channel, dir), channel);
        RecordingChannelProcessor processor = pollThenStop(keys(
                "kafka.bootstrap.servers", broker.secureBootstrapServers(), "kafka.topics", "secure",
                "useFlumeEventFormat", "true", "kafka.consumer.auto.offset.reset", "earliest",
                "kafka.consumer.group.id", "g-secure",
                "kafka.consumer.security.protocol", "SASL_SSL",
                "kafka.consumer.sasl.mechanism", "PLAIN",
                "kafka.consumer.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"" + KafkaBroker.USER + "\" password=\"" + KafkaBroker.PASSWORD + "\";",
                "kafka.consumer.ssl.truststore.location", truststore,
                "kafka.consumer.ssl.truststore.password", KafkaBroker.STORE_PASSWORD), 1);
        assertEquals("v", processor.accepted().get(0).getHeaders().get("h"));

        // A wrong password is an authentication error, and the event stays.
        channel.putCommitted(List.of(EventBuilder.withBody("refused", StandardCharsets.UTF_8)));
        Sink wrong = Components.sink(keys("kafka.bootstrap.servers", broker.secureBootstrapServers(), "kafka.topic",
                "secure", "kafka.producer.security.protocol", "SASL_SSL", "kafka.producer.sasl.mechanism", "PLAIN",
                "kafka.producer.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"" + KafkaBroker.USER + "\" password=\"wrong\";",
                "kafka.producer.max.block.ms", "5000",
                "kafka.producer.ssl.truststore.location", truststore,
                "kafka.producer.ssl.truststore.password", KafkaBroker.STORE_PASSWORD), channel, dir);
        try {
            EventDeliveryException e = assertThrows(EventDeliveryException.class, wrong::process);
            assertTrue(e.getMessage().toLowerCase().contains("authentication"), e.getMessage());
            assertEquals(1, channel.size());
        } finally {
            wrong.stop();
        }
    }

    @Test
    void theChannelOverTlsWithScramSha512() throws Exception {
        broker.createTopic("secure-channel", 1);
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + KafkaBroker.USER
                + "\" password=\"" + KafkaBroker.PASSWORD + "\";";
        Map<String, String> keys = keys("kafka.bootstrap.servers", broker.secureBootstrapServers(),
                "kafka.topic", "secure-channel", "kafka.consumer.group.id", "g-secure-channel");
        for (String client : List.of("kafka.producer.", "kafka.consumer.")) {
            keys.putAll(keys(client + "security.protocol", "SASL_SSL", client + "sasl.mechanism", "SCRAM-SHA-512",
                    client + "sasl.jaas.config", jaas,
                    client + "ssl.truststore.location", broker.truststore().toString(),
                    client + "ssl.truststore.password", KafkaBroker.STORE_PASSWORD));
        }
        Channel channel = Components.channel(Components.channelContext(keys, dir));
        try {
            Transaction put = channel.getTransaction();
            put.begin();
            channel.put(EventBuilder.withBody("scram 512", StandardCharsets.UTF_8));
            put.commit();
            put.close();
            assertEquals(1, broker.endOffsets("secure-channel"));
            assertEquals(List.of("scram 512"), takeOnNewThread(channel, 1, true));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> broker.committedOffsets("g-secure-channel", "secure-channel") == 1);
        } finally {
            channel.stop();
        }
    }

    @Test
    void sslWithAClientCertificateAndSaslPlaintextAsTheUserGuideWritesThem() throws Exception {
        broker.createTopic("mutual", 1);
        String truststore = broker.truststore().toString();
        String keystore = broker.clientKeystore().toString();
        TestChannel channel = new TestChannel(100);
        channel.putCommitted(List.of(EventBuilder.withBody("client certificate", StandardCharsets.UTF_8,
                Map.of("h", "tls"))));
        drainThenStop(Components.sink(keys("kafka.bootstrap.servers", broker.sslBootstrapServers(), "kafka.topic",
                "mutual", "useFlumeEventFormat", "true",
                "kafka.producer.security.protocol", "SSL",
                "kafka.producer.ssl.truststore.location", truststore,
                "kafka.producer.ssl.truststore.password", KafkaBroker.STORE_PASSWORD,
                "kafka.producer.ssl.keystore.location", keystore,
                "kafka.producer.ssl.keystore.password", KafkaBroker.STORE_PASSWORD,
                "kafka.producer.ssl.key.password", KafkaBroker.STORE_PASSWORD), channel, dir), channel);
        RecordingChannelProcessor processor = pollThenStop(keys(
                "kafka.bootstrap.servers", broker.saslPlaintextBootstrapServers(), "kafka.topics", "mutual",
                "useFlumeEventFormat", "true", "kafka.consumer.auto.offset.reset", "earliest",
                "kafka.consumer.group.id", "g-sasl-plaintext",
                "kafka.consumer.security.protocol", "SASL_PLAINTEXT",
                "kafka.consumer.sasl.mechanism", "PLAIN",
                "kafka.consumer.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"" + KafkaBroker.USER + "\" password=\"" + KafkaBroker.PASSWORD + "\";"), 1);
        assertEquals("tls", processor.accepted().get(0).getHeaders().get("h"));
        assertEquals("client certificate", new String(processor.accepted().get(0).getBody(), StandardCharsets.UTF_8));

        // Without a client certificate the listener refuses the handshake: the batch fails and the event stays.
        channel.putCommitted(List.of(EventBuilder.withBody("no certificate", StandardCharsets.UTF_8)));
        Sink anonymous = Components.sink(keys("kafka.bootstrap.servers", broker.sslBootstrapServers(), "kafka.topic",
                "mutual", "kafka.producer.security.protocol", "SSL", "kafka.producer.max.block.ms", "5000",
                "kafka.producer.ssl.truststore.location", truststore,
                "kafka.producer.ssl.truststore.password", KafkaBroker.STORE_PASSWORD), channel, dir);
        try {
            assertThrows(EventDeliveryException.class, anonymous::process);
            assertEquals(1, channel.size());
            assertEquals(1, broker.endOffsets("mutual"), "only the event sent with a certificate is in the topic");
        } finally {
            anonymous.stop();
        }
    }

    @Test
    void flumesPreSevenKeysAreMappedWithAWarningOrRefusedNamingTheNewKey() throws Exception {
        broker.createTopic("legacy", 1);
        TestChannel channel = new TestChannel(10);
        channel.putCommitted(List.of(EventBuilder.withBody("old style", StandardCharsets.UTF_8)));
        try (LogCapture log = LogCapture.open()) {
            drainThenStop(Components.sink(keys("brokerList", broker.bootstrapServers(), "topic", "legacy", "batchSize",
                    "5", "requiredAcks", "-1"), channel, dir), channel);
            assertTrue(log.contains("'brokerList' is deprecated"), log.lines()::toString);
            assertTrue(log.contains("'requiredAcks' is deprecated"), log.lines()::toString);
            pollThenStop(keys("kafka.bootstrap.servers", broker.bootstrapServers(), "topic", "legacy", "groupId", "g-legacy",
                    "kafka.consumer.auto.offset.reset", "earliest", "zookeeperConnect", "zk:2181"), 1);
            assertTrue(log.contains("zookeeperConnect and migrateZookeeperOffsets are obsolete"), log.lines()::toString);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> broker.committedOffsets("g-legacy", "legacy") == 1);

        ConfigurationException refused = assertThrows(ConfigurationException.class, () -> new
                org.sluice.kafka.source.KafkaSourceFactory().create(Components.sourceContext(keys("zookeeperConnect",
                "zk:2181", "topic", "legacy"), new RecordingChannelProcessor(), dir)));
        assertTrue(refused.getMessage().contains("kafka.bootstrap.servers"), refused.getMessage());
    }

    // ---- helpers

    /** Sends what the channel holds through the sink, then stops it. */
    static void drainThenStop(Sink sink, TestChannel channel) {
        try {
            drain(sink, channel);
        } finally {
            sink.stop();
        }
    }

    /** What a source made of these keys delivered, once it delivered {@code events}; the source is stopped. */
    private RecordingChannelProcessor pollThenStop(Map<String, String> keys, int events) throws Exception {
        RecordingChannelProcessor processor = new RecordingChannelProcessor();
        PollableSource source = Components.source(Components.sourceContext(keys, processor, dir));
        try {
            pollUntil(source, processor, events);
        } finally {
            source.stop();
        }
        return processor;
    }

    private static void drain(Sink sink, TestChannel channel) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            sink.process();
            return channel.size() == 0;
        });
    }

    static void pollUntil(PollableSource source, RecordingChannelProcessor processor, int events) {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            source.process();
            return processor.accepted().size() >= events;
        });
        assertEquals(events, processor.accepted().size());
    }

    /** Takes up to {@code count} events in one transaction on a new thread, then commits or rolls back. */
    static List<String> takeOnNewThread(Channel channel, int count, boolean commit) throws Exception {
        List<String> bodies = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        Thread taker = new Thread(() -> {
            Transaction take = channel.getTransaction();
            take.begin();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (bodies.size() < count && System.nanoTime() < deadline) {
                    Event event = channel.take();
                    if (event != null) {
                        bodies.add(new String(event.getBody(), StandardCharsets.UTF_8));
                    }
                }
                if (commit) {
                    take.commit();
                } else {
                    take.rollback();
                }
            } catch (Throwable t) {
                failure[0] = t;
                take.rollback();
            } finally {
                take.close();
            }
        });
        taker.start();
        taker.join();
        if (failure[0] != null) {
            throw new AssertionError("take failed", failure[0]);
        }
        // The same thread is not used again: its consumer is closed when the channel notices it ended.
        return bodies;
    }

    static void produce(String topic, int count) {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, ("record " + i).getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    static KafkaProducer<String, byte[]> producer() {
        Properties settings = new Properties();
        settings.put("bootstrap.servers", broker.bootstrapServers());
        return new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
    }

    static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        Properties settings = new Properties();
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("auto.offset.reset", "earliest");
        settings.put("group.id", "reader-" + topic + "-" + System.nanoTime());
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                return records.size() >= expected;
            });
        }
        assertEquals(expected, records.size());
        return records;
    }

    private static List<String> bodies(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    private static long kafkaThreads() {
        Set<Thread> threads = Thread.getAllStackTraces().keySet();
        return threads.stream().filter(Thread::isAlive).filter(t -> t.getName().startsWith("kafka-")
                || t.getName().contains("consumer_background")).count();
    }
}

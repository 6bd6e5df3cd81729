package org.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.kafka.Components.keys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.security.auth.login.Configuration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.Sink;
import org.sluice.api.source.PollableSource;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.api.testkit.TestChannel;
import org.sluice.kafka.broker.KafkaBroker;
import org.sluice.kdc.TestKdc;

/**
 * Kerberos (SASL GSSAPI) between the three components and a real broker, against a real KDC, with the keys of
 * Flume's guide: {@code kafka.producer.security.protocol}, {@code kafka.producer.sasl.mechanism = GSSAPI},
 * {@code kafka.producer.sasl.kerberos.service.name}, and the login either in {@code sasl.jaas.config} or in a JAAS
 * file named by {@code java.security.auth.login.config} with a {@code KafkaClient} section. The broker's Kerberos
 * listener takes GSSAPI only, so what arrives went through a Kerberos login.
 */
class KafkaKerberosTest {
    private static TestKdc kdc;
    private static KafkaBroker broker;
    private static Path clientKeytab;
    private static String clientPrincipal;
    private static String previousJaasFile;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKdcAndBroker() throws Exception {
        Path home = Files.createDirectories(Path.of("target", "kerberos")).toAbsolutePath();
        SharedBroker.deleteTree(home);
        kdc = TestKdc.start(home.resolve("kdc")).useInThisJvm();
        String host = TestKdc.loopbackHostName();
        String brokerPrincipal = KafkaBroker.KERBEROS_SERVICE + "/" + host;
        Path brokerKeytab = kdc.keytab("kafka.keytab", brokerPrincipal);
        clientPrincipal = kdc.principal("flume/" + host);
        clientKeytab = kdc.keytab("flume.keytab", "flume/" + host);
        broker = KafkaBroker.builder(home.resolve("broker")).secureListener().autoCreateTopics(false)
                .kerberos(kdc.krb5Conf(), brokerKeytab, kdc.principal(brokerPrincipal)).start();

        // The JAAS file of Flume's guide, for the components that carry no sasl.jaas.config.
        Path jaas = kdc.jaasFile("flume_jaas.conf", "KafkaClient", clientPrincipal, clientKeytab);
        previousJaasFile = System.setProperty("java.security.auth.login.config", jaas.toString());
        Configuration.getConfiguration().refresh();
    }

    @AfterAll
    static void stop() throws Exception {
        if (previousJaasFile == null) {
            System.clearProperty("java.security.auth.login.config");
        } else {
            System.setProperty("java.security.auth.login.config", previousJaasFile);
        }
        if (broker != null) {
            broker.close();
        }
        if (kdc != null) {
            kdc.close();
        }
    }

    @Test
    void sinkSourceAndChannelDeliverThroughAKerberosLogin() throws Exception {
        broker.createTopic("kerberized", 2);
        TestChannel channel = new TestChannel(100);
        List<Event> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(EventBuilder.withBody("kerberized " + i, StandardCharsets.UTF_8, Map.of("n", Integer.toString(i))));
        }
        channel.putCommitted(sent);
        // The sink: SASL_SSL, the login in sasl.jaas.config.
        KafkaComponentsTest.drainThenStop(Components.sink(keys("kafka.bootstrap.servers",
                broker.secureBootstrapServers(), "kafka.topic", "kerberized", "useFlumeEventFormat", "true",
                "kafka.producer.security.protocol", "SASL_SSL",
                "kafka.producer.sasl.mechanism", "GSSAPI",
                "kafka.producer.sasl.kerberos.service.name", KafkaBroker.KERBEROS_SERVICE,
                "kafka.producer.sasl.jaas.config", TestKdc.keytabLogin(clientPrincipal, clientKeytab),
                "kafka.producer.ssl.truststore.location", broker.truststore().toString(),
                "kafka.producer.ssl.truststore.password", KafkaBroker.STORE_PASSWORD), channel, dir), channel);
        assertEquals(10, broker.endOffsets("kerberized"));

        // The source: SASL_PLAINTEXT, the login from the JAAS file's KafkaClient section.
        RecordingChannelProcessor processor = new RecordingChannelProcessor();
        PollableSource source = Components.source(Components.sourceContext(keys(
                "kafka.bootstrap.servers", broker.kerberosBootstrapServers(), "kafka.topics", "kerberized",
                "useFlumeEventFormat", "true", "kafka.consumer.auto.offset.reset", "earliest",
                "kafka.consumer.group.id", "g-kerberos",
                "kafka.consumer.security.protocol", "SASL_PLAINTEXT",
                "kafka.consumer.sasl.mechanism", "GSSAPI",
                "kafka.consumer.sasl.kerberos.service.name", KafkaBroker.KERBEROS_SERVICE), processor, dir));
        try {
            KafkaComponentsTest.pollUntil(source, processor, 10);
        } finally {
            source.stop();
        }
        Map<String, String> received = new HashMap<>();
        for (Event event : processor.accepted()) {
            received.put(event.getHeaders().get("n"), new String(event.getBody(), StandardCharsets.UTF_8));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("kerberized " + i, received.get(Integer.toString(i)));
        }
        assertEquals(10, broker.committedOffsets("g-kerberos", "kerberized"), "offsets committed over Kerberos");

        // The channel: its producer and its consumer both log in, from the JAAS file.
        broker.createTopic("kerberized-channel", 1);
        Channel kafkaChannel = Components.channel(Components.channelContext(keys(
                "kafka.bootstrap.servers", broker.kerberosBootstrapServers(), "kafka.topic", "kerberized-channel",
                "kafka.consumer.group.id", "g-kerberos-channel",
                "kafka.producer.security.protocol", "SASL_PLAINTEXT",
                "kafka.producer.sasl.mechanism", "GSSAPI",
                "kafka.producer.sasl.kerberos.service.name", KafkaBroker.KERBEROS_SERVICE,
                "kafka.consumer.security.protocol", "SASL_PLAINTEXT",
                "kafka.consumer.sasl.mechanism", "GSSAPI",
                "kafka.consumer.sasl.kerberos.service.name", KafkaBroker.KERBEROS_SERVICE), dir));
        try {
            Transaction put = kafkaChannel.getTransaction();
            put.begin();
            for (int i = 0; i < 5; i++) {
                kafkaChannel.put(EventBuilder.withBody("through the channel " + i, StandardCharsets.UTF_8));
            }
            put.commit();
            put.close();
            assertEquals(5, broker.endOffsets("kerberized-channel"));
            assertEquals(List.of("through the channel 0", "through the channel 1", "through the channel 2",
                    "through the channel 3", "through the channel 4"),
                    KafkaComponentsTest.takeOnNewThread(kafkaChannel, 5, true));
        } finally {
            kafkaChannel.stop();
        }
    }

    @Test
    void aPrincipalTheKdcNoLongerKnowsCannotStartTheSinkAndNothingIsTaken() throws Exception {
        Path strangerKeytab = kdc.keytab("stranger.keytab", "stranger");
        kdc.delete("stranger");
        TestChannel channel = new TestChannel(10);
        channel.putCommitted(List.of(EventBuilder.withBody("stays", StandardCharsets.UTF_8)));
        Sink sink = new org.sluice.kafka.sink.KafkaSinkFactory().create(Components.sinkContext(keys(
                "kafka.bootstrap.servers", broker.kerberosBootstrapServers(), "kafka.topic", "kerberized",
                "kafka.producer.security.protocol", "SASL_PLAINTEXT",
                "kafka.producer.sasl.mechanism", "GSSAPI",
                "kafka.producer.sasl.kerberos.service.name", KafkaBroker.KERBEROS_SERVICE,
                "kafka.producer.sasl.jaas.config", TestKdc.keytabLogin(kdc.principal("stranger"), strangerKeytab)),
                channel, dir));
        try {
            IllegalStateException refused = assertThrows(IllegalStateException.class, sink::start);
            assertTrue(refused.getMessage().contains("Kafka sink 'k1'"), refused.getMessage());
            assertTrue(refused.getMessage().contains("Client not found in Kerberos database"), refused.getMessage());
        } finally {
            sink.stop();
        }
        assertEquals(1, channel.size(), "the event is still in the channel");
    }
}

package org.sluice.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.kafka.broker.KafkaBroker;
import org.sluice.kdc.TestKdc;

/**
 * Kafka with Kerberos as Flume's guide sets it up, in an agent of the built distribution: a real KDC (in this JVM), a
 * broker that logs in to it (a child JVM), and {@code JAVA_OPTS} naming the KDC's krb5.conf and a JAAS file with a
 * {@code KafkaClient} section. seq -> memory -> Kafka sink (SASL_PLAINTEXT, GSSAPI, the JAAS file) -> topic -> Kafka
 * source (SASL_SSL, GSSAPI, {@code sasl.jaas.config}) -> Kafka channel (SASL_PLAINTEXT, GSSAPI, the JAAS file) ->
 * file_roll. Inside the kafka bundle, in a JVM where nothing else touched JAAS first: the bundle must find the JDK's
 * JAAS file reader and its Krb5LoginModule.
 */
class KafkaKerberosIT {
    private static final int EVENTS = 500;

    private AgentProcess agent;
    private KafkaBroker broker;
    private TestKdc kdc;

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (kdc != null) {
            kdc.close();
        }
    }

    @Test
    void theSinkSourceAndChannelLogInToKerberosInsideTheAgent() throws Exception {
        Path work = Installation.workDirectory("kerberos-");
        kdc = TestKdc.start(work.resolve("kdc"));
        String host = TestKdc.loopbackHostName();
        String brokerPrincipal = KafkaBroker.KERBEROS_SERVICE + "/" + host;
        Path brokerKeytab = kdc.keytab("kafka.keytab", brokerPrincipal);
        String flume = kdc.principal("flume/" + host);
        Path flumeKeytab = kdc.keytab("flume.keytab", "flume/" + host);
        broker = KafkaBroker.builder(work.resolve("broker")).secureListener()
                .kerberos(kdc.krb5Conf(), brokerKeytab, kdc.principal(brokerPrincipal)).start();
        broker.createTopic("kerberized", 2);
        broker.createTopic("kerberized-channel", 1);

        Path jaas = work.resolve("flume_jaas.conf");
        Files.writeString(jaas, """
                KafkaClient {
                  com.sun.security.auth.module.Krb5LoginModule required
                  useKeyTab=true
                  storeKey=true
                  keyTab="%s"
                  principal="%s";
                };
                """.formatted(flumeKeytab, flume), StandardCharsets.UTF_8);
        Installation installation = Installation.fresh();
        Path output = Files.createDirectories(installation.resolve("out"));
        Path file = installation.resolve("conf/kerberos.properties");
        Files.writeString(file, String.join("\n", List.of(
                "a1.sources = r1 r2",
                "a1.channels = c1 c2",
                "a1.sinks = k1 k2",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.totalEvents = " + EVENTS,
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = org.apache.flume.sink.kafka.KafkaSink",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.kafka.bootstrap.servers = " + broker.kerberosBootstrapServers(),
                "a1.sinks.k1.kafka.topic = kerberized",
                "a1.sinks.k1.kafka.producer.security.protocol = SASL_PLAINTEXT",
                "a1.sinks.k1.kafka.producer.sasl.mechanism = GSSAPI",
                "a1.sinks.k1.kafka.producer.sasl.kerberos.service.name = kafka",
                "a1.sources.r2.type = org.apache.flume.source.kafka.KafkaSource",
                "a1.sources.r2.channels = c2",
                "a1.sources.r2.kafka.bootstrap.servers = " + broker.secureBootstrapServers(),
                "a1.sources.r2.kafka.topics = kerberized",
                "a1.sources.r2.kafka.consumer.auto.offset.reset = earliest",
                "a1.sources.r2.kafka.consumer.security.protocol = SASL_SSL",
                "a1.sources.r2.kafka.consumer.sasl.mechanism = GSSAPI",
                "a1.sources.r2.kafka.consumer.sasl.kerberos.service.name = kafka",
                "a1.sources.r2.kafka.consumer.ssl.truststore.location = " + broker.truststore(),
                "a1.sources.r2.kafka.consumer.ssl.truststore.password = " + KafkaBroker.STORE_PASSWORD,
                "a1.sources.r2.kafka.consumer.sasl.jaas.config = com.sun.security.auth.module.Krb5LoginModule "
                        + "required useKeyTab=true storeKey=true keyTab=\"" + flumeKeytab + "\" principal=\"" + flume
                        + "\";",
                "a1.channels.c2.type = org.apache.flume.channel.kafka.KafkaChannel",
                "a1.channels.c2.kafka.bootstrap.servers = " + broker.kerberosBootstrapServers(),
                "a1.channels.c2.kafka.topic = kerberized-channel",
                "a1.channels.c2.kafka.producer.security.protocol = SASL_PLAINTEXT",
                "a1.channels.c2.kafka.producer.sasl.mechanism = GSSAPI",
                "a1.channels.c2.kafka.producer.sasl.kerberos.service.name = kafka",
                "a1.channels.c2.kafka.consumer.security.protocol = SASL_PLAINTEXT",
                "a1.channels.c2.kafka.consumer.sasl.mechanism = GSSAPI",
                "a1.channels.c2.kafka.consumer.sasl.kerberos.service.name = kafka",
                "a1.sinks.k2.type = file_roll",
                "a1.sinks.k2.channel = c2",
                "a1.sinks.k2.sink.directory = " + output,
                "")), StandardCharsets.UTF_8);
        agent = AgentProcess.start(installation, Map.of("JAVA_OPTS", "-Djava.security.krb5.conf=" + kdc.krb5Conf()
                + " -Djava.security.auth.login.config=" + jaas), "agent", "-c", "conf", "-f", file.toString(), "-n",
                "a1");

        AgentProcess.awaitWhileAllRun("every number from 0 to " + (EVENTS - 1) + " in file_roll's output",
                Duration.ofSeconds(180), Duration.ofSeconds(1), List.of(agent),
                () -> new TreeSet<>(FileRollNumbers.numbers(output)).size() == EVENTS);
        TreeSet<Long> numbers = new TreeSet<>(FileRollNumbers.numbers(output));
        assertEquals(0L, numbers.first());
        assertEquals(EVENTS - 1L, numbers.last());
        assertEquals(EVENTS, broker.endOffsets("kerberized"), "the sink wrote each event once");
    }
}

package org.sluice.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
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
 * Kerberos in an agent of the built distribution, against a real KDC (in this JVM), the agent's JVM told where the KDC
 * is through {@code JAVA_OPTS}, as Flume's guide sets it up:
 * <ul>
 * <li>Kafka: a broker that logs in to the KDC (a child JVM); seq -> memory -> Kafka sink (SASL_PLAINTEXT, GSSAPI, the
 * {@code KafkaClient} section of the JAAS file named by {@code java.security.auth.login.config}) -> topic -> Kafka
 * source (SASL_SSL, GSSAPI, {@code sasl.jaas.config}) -> Kafka channel (SASL_PLAINTEXT, GSSAPI, the JAAS file) ->
 * file_roll. Inside the kafka bundle, in a JVM where nothing else touched JAAS first: the bundle must find the JDK's
 * JAAS file reader and its Krb5LoginModule.</li>
 * <li>Thrift: seq -> memory -> thrift sink (kerberos, client-principal, client-keytab, server-principal) -> thrift
 * source (kerberos, agent-principal, agent-keytab) -> memory -> file_roll; the rpc-thrift bundle logs in with the
 * JDK's Krb5LoginModule and runs SASL GSSAPI inside Felix.</li>
 * </ul>
 */
class KerberosIT {
    private static final int KAFKA_EVENTS = 500;
    private static final int THRIFT_EVENTS = 300;

    private AgentProcess agent;
    private KafkaBroker broker;
    private TestKdc kdc;
    private String host;

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
    void kafkasSinkSourceAndChannelLogInToKerberosInsideTheAgent() throws Exception {
        Path work = startKdc("kafka-kerberos-");
        String brokerPrincipal = KafkaBroker.KERBEROS_SERVICE + "/" + host;
        Path brokerKeytab = kdc.keytab("kafka.keytab", brokerPrincipal);
        String flume = kdc.principal("flume/" + host);
        Path flumeKeytab = kdc.keytab("flume.keytab", "flume/" + host);
        broker = KafkaBroker.builder(work.resolve("broker")).secureListener()
                .kerberos(kdc.krb5Conf(), brokerKeytab, kdc.principal(brokerPrincipal)).start();
        broker.createTopic("kerberized", 2);
        broker.createTopic("kerberized-channel", 1);

        Path jaas = kdc.jaasFile("flume_jaas.conf", "KafkaClient", flume, flumeKeytab);
        Installation installation = Installation.fresh();
        Path output = Files.createDirectories(installation.resolve("out"));
        Path file = agentFile(installation, "kafka-kerberos.properties", KAFKA_EVENTS, output, List.of(
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
                "a1.sources.r2.kafka.consumer.sasl.jaas.config = " + TestKdc.keytabLogin(flume, flumeKeytab),
                "a1.channels.c2.type = org.apache.flume.channel.kafka.KafkaChannel",
                "a1.channels.c2.kafka.bootstrap.servers = " + broker.kerberosBootstrapServers(),
                "a1.channels.c2.kafka.topic = kerberized-channel",
                "a1.channels.c2.kafka.producer.security.protocol = SASL_PLAINTEXT",
                "a1.channels.c2.kafka.producer.sasl.mechanism = GSSAPI",
                "a1.channels.c2.kafka.producer.sasl.kerberos.service.name = kafka",
                "a1.channels.c2.kafka.consumer.security.protocol = SASL_PLAINTEXT",
                "a1.channels.c2.kafka.consumer.sasl.mechanism = GSSAPI",
                "a1.channels.c2.kafka.consumer.sasl.kerberos.service.name = kafka"));
        agent = AgentProcess.start(installation, Map.of("JAVA_OPTS", "-Djava.security.krb5.conf=" + kdc.krb5Conf()
                + " -Djava.security.auth.login.config=" + jaas), "agent", "-c", "conf", "-f", file.toString(), "-n",
                "a1");

        awaitEveryNumber(output, KAFKA_EVENTS);
    }

    @Test
    void aKerberosThriftHopDeliversEveryEvent() throws Exception {
        startKdc("thrift-kerberos-");
        Path sourceKeytab = kdc.keytab("thrift.keytab", "thrift/" + host);
        Path sinkKeytab = kdc.keytab("flume.keytab", "flume/" + host);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Installation installation = Installation.fresh();
        Path output = Files.createDirectories(installation.resolve("out"));
        Path file = agentFile(installation, "thrift-kerberos.properties", THRIFT_EVENTS, output, List.of(
                "a1.sinks.k1.type = thrift",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.hostname = 127.0.0.1",
                "a1.sinks.k1.port = " + port,
                "a1.sinks.k1.kerberos = true",
                "a1.sinks.k1.client-principal = " + kdc.principal("flume/" + host),
                "a1.sinks.k1.client-keytab = " + sinkKeytab,
                "a1.sinks.k1.server-principal = " + kdc.principal("thrift/" + host),
                "a1.sources.r2.type = thrift",
                "a1.sources.r2.channels = c2",
                "a1.sources.r2.bind = 127.0.0.1",
                "a1.sources.r2.port = " + port,
                "a1.sources.r2.kerberos = true",
                "a1.sources.r2.agent-principal = " + kdc.principal("thrift/" + host),
                "a1.sources.r2.agent-keytab = " + sourceKeytab,
                "a1.channels.c2.type = memory"));
        agent = AgentProcess.start(installation, Map.of("JAVA_OPTS", "-Djava.security.krb5.conf=" + kdc.krb5Conf()),
                "agent", "-c", "conf", "-f", file.toString(), "-n", "a1");

        awaitEveryNumber(output, THRIFT_EVENTS);
    }

    /** A KDC in a new work directory, which it returns; {@link #host} is the host part of the principals. */
    private Path startKdc(String prefix) throws Exception {
        Path work = Installation.workDirectory(prefix);
        kdc = TestKdc.start(work.resolve("kdc"));
        host = TestKdc.loopbackHostName();
        return work;
    }

    /**
     * An agent file: seq ({@code events} numbers) -> c1 (memory) -> k1, and r2 -> c2 -> k2 (file_roll into
     * {@code output}); {@code hop} configures k1, r2 and c2.
     */
    private static Path agentFile(Installation installation, String name, int events, Path output, List<String> hop)
            throws Exception {
        List<String> lines = new java.util.ArrayList<>(List.of("a1.sources = r1 r2", "a1.channels = c1 c2",
                "a1.sinks = k1 k2", "a1.sources.r1.type = seq", "a1.sources.r1.totalEvents = " + events,
                "a1.sources.r1.channels = c1", "a1.channels.c1.type = memory"));
        lines.addAll(hop);
        lines.addAll(List.of("a1.sinks.k2.type = file_roll", "a1.sinks.k2.channel = c2",
                "a1.sinks.k2.sink.directory = " + output, ""));
        Path file = installation.resolve("conf/" + name);
        Files.writeString(file, String.join("\n", lines), StandardCharsets.UTF_8);
        return file;
    }

    private void awaitEveryNumber(Path output, int events) throws Exception {
        AgentProcess.awaitWhileAllRun("every number from 0 to " + (events - 1) + " in file_roll's output",
                Duration.ofSeconds(180), Duration.ofSeconds(1), List.of(agent),
                () -> new TreeSet<>(FileRollNumbers.numbers(output)).size() == events);
        TreeSet<Long> numbers = new TreeSet<>(FileRollNumbers.numbers(output));
        assertEquals(0L, numbers.first());
        assertEquals(events - 1L, numbers.last());
    }
}

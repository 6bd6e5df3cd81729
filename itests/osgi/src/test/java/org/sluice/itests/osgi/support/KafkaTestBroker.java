package org.sluice.itests.osgi.support;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.nio.file.Path;

import org.ops4j.pax.exam.Option;
import org.sluice.kafka.broker.KafkaBroker;

/**
 * A real Kafka broker (KRaft, in a child JVM, from Maven Central's artifacts) for the tests of this JVM, started by
 * a test's {@code @Configuration} (outside the framework) on first use and killed when the JVM exits. Its address
 * reaches the probe inside the framework as a system property.
 */
public final class KafkaTestBroker {
    public static final String BOOTSTRAP_PROPERTY = "sluice.itests.kafka.bootstrap";
    public static final String SECURE_BOOTSTRAP_PROPERTY = "sluice.itests.kafka.secure.bootstrap";
    public static final String TRUSTSTORE_PROPERTY = "sluice.itests.kafka.truststore";
    private static KafkaBroker broker;

    private KafkaTestBroker() {
    }

    public static synchronized KafkaBroker start() throws IOException, InterruptedException {
        if (broker == null) {
            Path dir = WorkDirs.create("kafka-broker");
            broker = KafkaBroker.builder(dir).secureListener().start();
        }
        return broker;
    }

    /** The broker's address for the probe; call after {@link #start()}. */
    public static Option address() {
        return org.ops4j.pax.exam.CoreOptions.composite(
                systemProperty(BOOTSTRAP_PROPERTY).value(broker.bootstrapServers()),
                systemProperty(SECURE_BOOTSTRAP_PROPERTY).value(broker.secureBootstrapServers()),
                systemProperty(TRUSTSTORE_PROPERTY).value(broker.truststore().toString()));
    }

    /**
     * Inside the framework (where KafkaBroker's class is not: its user, password and store password are written
     * out): producer or consumer keys ({@code prefix} = {@code kafka.producer.}) for the secure
     * listener, SASL_SSL with SCRAM-SHA-256, as a Flume file writes them.
     */
    public static java.util.Map<String, String> saslScram(String prefix) {
        return java.util.Map.of(
                "kafka.bootstrap.servers", System.getProperty(SECURE_BOOTSTRAP_PROPERTY),
                prefix + "security.protocol", "SASL_SSL",
                prefix + "sasl.mechanism", "SCRAM-SHA-256",
                prefix + "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"flume\" password=\"flume-secret\";",
                prefix + "ssl.truststore.location", System.getProperty(TRUSTSTORE_PROPERTY),
                prefix + "ssl.truststore.password", "changeit");
    }

    /** Inside the framework: the broker's {@code host:port}. */
    public static String bootstrapServers() {
        String servers = System.getProperty(BOOTSTRAP_PROPERTY);
        if (servers == null || servers.isBlank()) {
            throw new IllegalStateException(BOOTSTRAP_PROPERTY + " is not set: start the broker in @Configuration");
        }
        return servers;
    }
}

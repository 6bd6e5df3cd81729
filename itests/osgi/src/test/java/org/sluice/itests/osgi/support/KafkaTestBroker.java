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
    private static KafkaBroker broker;

    private KafkaTestBroker() {
    }

    public static synchronized KafkaBroker start() throws IOException, InterruptedException {
        if (broker == null) {
            Path dir = WorkDirs.create("kafka-broker");
            broker = KafkaBroker.builder(dir).start();
        }
        return broker;
    }

    /** The broker's address for the probe; call after {@link #start()}. */
    public static Option address() {
        return systemProperty(BOOTSTRAP_PROPERTY).value(broker.bootstrapServers());
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

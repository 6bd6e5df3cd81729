package org.sluice.kafka.flumepeer;

import java.io.IOException;
import java.nio.file.Path;

import org.sluice.flumestate.FlumeJvm;

/**
 * An Apache Flume 1.11.0 agent with Flume's own Kafka components, run as Flume's {@code flume-ng agent} runs it in a
 * child JVM ({@link FlumeJvm}) on the class path this module's build resolved from Maven Central
 * ({@code flume-kafka.classpath}: Flume with its Kafka source, sink and channel and the kafka-clients they ship with).
 * Its log goes to {@code flume.log} in its directory.
 */
public final class FlumeAgent implements AutoCloseable {
    private final FlumeJvm jvm;

    private FlumeAgent(FlumeJvm jvm) {
        this.jvm = jvm;
    }

    /**
     * Writes {@code properties} to {@code dir/flume.properties} and starts agent {@code name} on it. Returns at once:
     * Flume has no signal for "started"; wait for what its components do.
     */
    public static FlumeAgent start(Path dir, String name, String properties) throws IOException {
        return new FlumeAgent(FlumeJvm.agent(FlumeAgent.class, "flume-kafka.classpath", dir, name, properties));
    }

    /** Flume's log, to show when an assertion fails. */
    public String log() {
        return jvm.log();
    }

    public boolean isAlive() {
        return jvm.isAlive();
    }

    /** SIGTERM, as an operator stops Flume: its shutdown hook stops the components; waits until it has exited. */
    public void stop() throws InterruptedException {
        jvm.stop();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}

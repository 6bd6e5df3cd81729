package org.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.kafka.broker.KafkaBroker;

/**
 * The tests' broker: one that cannot start fails at once, saying why, instead of after the two-minute start timeout
 * with its logs overwritten by the next attempt (a CI failure that could not be explained).
 */
class KafkaBrokerStartTest {
    @TempDir
    Path dir;

    @Test
    void aBrokerThatExitsFailsAtOnceWithItsExitCodeAndLog() {
        long started = System.nanoTime();
        IOException failure = assertThrows(IOException.class, () -> KafkaBroker.builder(dir)
                .jvmOptions(List.of("-XX:+NoSuchOptionForThisTest")).start());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(failure.getMessage().contains("it exited with code 1"), failure.getMessage());
        // The JVM's own complaint, from broker.err, is in the message.
        assertTrue(failure.getMessage().contains("NoSuchOptionForThisTest"), failure.getMessage());
        assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "failed only after " + took);
    }
}

package org.sluice.kafka;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.sluice.kafka.broker.KafkaBroker;

/**
 * One real broker (KRaft, with a SASL_SSL listener) for all test classes of this module's run, started on first
 * use and stopped when the run ends. Topics are not created automatically: each test creates its own, so a test
 * that names a missing topic sees what users see.
 */
final class SharedBroker {
    private static KafkaBroker broker;

    private SharedBroker() {
    }

    static synchronized KafkaBroker get(ExtensionContext context) throws Exception {
        if (broker == null) {
            Path dir = Files.createDirectories(Path.of("target", "kafka-broker")).toAbsolutePath();
            broker = startFresh(dir);
            KafkaBroker started = broker;
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(SharedBroker.class.getName(),
                    (ExtensionContext.Store.CloseableResource) started::close);
        }
        return broker;
    }

    /**
     * Starts a broker in an emptied directory; once more, on new ports, if the first exits before it is ready: its
     * ports are chosen free, but another process on the machine may take one before the broker binds it. The first
     * failure is printed and kept as suppressed, so a broker that cannot start at all still fails with both.
     */
    private static KafkaBroker startFresh(Path dir) throws Exception {
        deleteTree(dir);
        try {
            return KafkaBroker.builder(dir).secureListener().autoCreateTopics(false).start();
        } catch (java.io.IOException first) {
            first.printStackTrace();
            deleteTree(dir);
            try {
                return KafkaBroker.builder(dir).secureListener().autoCreateTopics(false).start();
            } catch (java.io.IOException second) {
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

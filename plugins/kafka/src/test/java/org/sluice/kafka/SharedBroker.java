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
            deleteTree(dir);
            broker = KafkaBroker.builder(dir).secureListener().autoCreateTopics(false).start();
            KafkaBroker started = broker;
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(SharedBroker.class.getName(),
                    (ExtensionContext.Store.CloseableResource) started::close);
        }
        return broker;
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

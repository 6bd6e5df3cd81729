package org.sluice.channel.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz targets of what the file channel reads back from disk (issue 15): a data file's records as
 * replay reads them, and a checkpoint. Damage is reported (an IOException, the replay's observer), never a crash.
 * Written against the replay and checkpoint entry points, which the durable-log rework keeps.
 */
class FileChannelFuzzTest {
    /** Replay's observations, discarded: damage is expected here. */
    private static final Replay.Observer QUIET = new Replay.Observer() {
        @Override
        public void damagedHeader(Path file) {
        }

        @Override
        public void damagedRecord(Path file, long offset, long skipped, boolean atEnd) {
        }

        @Override
        public void malformedRecord(Path file, long offset, String what) {
        }

        @Override
        public void incompleteTransaction(Path file, long offset, long txId, int puts, int takes, int readPuts,
                int readTakes) {
        }

        @Override
        public void missingFile(long pointer) {
        }
    };

    @FuzzTest(maxDuration = "10m")
    void recordReader(byte[] file) throws IOException {
        Path directory = Files.createTempDirectory("fuzz-data");
        try {
            Files.write(directory.resolve(DataLog.PREFIX + "1"), file);
            DataLog log = new DataLog("c1", List.of(directory), 1L << 20);
            try {
                new Replay(log, null, QUIET, true).run();
            } catch (IOException damaged) {
                // Reported damage.
            } finally {
                log.close();
            }
        } finally {
            deleteTree(directory);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void checkpointReader(byte[] checkpoint) throws IOException {
        Path directory = Files.createTempDirectory("fuzz-checkpoint");
        try {
            Files.write(directory.resolve(Checkpoint.FILE), checkpoint);
            Checkpoint.load(directory);
        } finally {
            deleteTree(directory);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}

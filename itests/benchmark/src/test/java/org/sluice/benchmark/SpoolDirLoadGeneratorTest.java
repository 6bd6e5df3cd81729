package org.sluice.benchmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spooling directory load, with the test acting as the source: it finishes files as a spooldir source does. */
class SpoolDirLoadGeneratorTest {

    @TempDir
    Path dir;

    private List<Path> waiting(Path spool) throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(p -> !p.getFileName().toString().endsWith(".COMPLETED")).sorted().toList();
        }
    }

    @Test
    void keepsEveryFileInRotationUnderANewNameOnceTheSourceFinishesIt() throws Exception {
        Path spool = dir.resolve("spool");
        try (SpoolDirLoadGenerator load = new SpoolDirLoadGenerator(
                new Scenario.SpoolDirLoad(spool, 3, 4, 10, ".COMPLETED"))) {
            load.start(Duration.ofSeconds(1));
            List<Path> first = waiting(spool);
            assertEquals(3, first.size(), first.toString());
            byte[] expected = ("abcdefghij\n").repeat(4).getBytes(StandardCharsets.US_ASCII);
            for (Path file : first) {
                assertArrayEquals(expected, Files.readAllBytes(file), file.toString());
            }

            // The source finishes the first file: it comes back, with the same lines, under a name not used before.
            Path finished = first.get(0);
            Files.move(finished, finished.resolveSibling(finished.getFileName() + ".COMPLETED"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (load.recycled() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            load.check();
            assertEquals(1, load.recycled());
            List<Path> now = waiting(spool);
            assertEquals(3, now.size(), now.toString());
            assertFalse(now.contains(finished), "a finished file's name is never used again: " + now);
            for (Path file : now) {
                assertArrayEquals(expected, Files.readAllBytes(file), file.toString());
            }
            assertTrue(Files.list(spool).noneMatch(p -> p.toString().endsWith(".COMPLETED")));
        }
    }

    @Test
    void leavesOtherFinishedFilesAlone() throws Exception {
        Path spool = Files.createDirectories(dir.resolve("spool"));
        Path someoneElses = Files.writeString(spool.resolve("other.log.COMPLETED"), "x\n");
        SpoolDirLoadGenerator load = new SpoolDirLoadGenerator(new Scenario.SpoolDirLoad(spool, 1, 1, 1, ".COMPLETED"));
        try (load) {
            load.start(Duration.ofSeconds(1));
            assertEquals(0, load.recycleFinished());
        }
        assertTrue(Files.exists(someoneElses));
    }
}

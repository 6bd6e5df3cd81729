package org.sluice.benchmark;

import static org.awaitility.Awaitility.await;
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

    private static void finish(Path file) throws IOException {
        Files.move(file, file.resolveSibling(file.getFileName() + ".COMPLETED"));
    }

    @Test
    void replacesEachFileTheSourceFinishesWithANewOneOfTheSameLines() throws Exception {
        Path spool = dir.resolve("spool");
        byte[] expected = "abcdefghij\n".repeat(4).getBytes(StandardCharsets.US_ASCII);
        try (SpoolDirLoadGenerator load = new SpoolDirLoadGenerator(
                new Scenario.SpoolDirLoad(spool, 3, 4, 10, ".COMPLETED"))) {
            load.start(Duration.ofSeconds(1));
            List<Path> first = waiting(spool);
            assertEquals(3, first.size(), first.toString());
            for (Path file : first) {
                assertArrayEquals(expected, Files.readAllBytes(file), file.toString());
            }

            finish(first.get(0));
            finish(first.get(1));
            await("a new file for each finished one").atMost(Duration.ofSeconds(10)).until(load::filesGiven, n -> n >= 5);
            load.check();
            assertEquals(5, load.filesGiven(), "one new file for each finished one");
            List<Path> now = waiting(spool);
            assertEquals(3, now.size(), now.toString());
            assertFalse(now.contains(first.get(0)) || now.contains(first.get(1)), "names are never used again: " + now);
            for (Path file : now) {
                assertArrayEquals(expected, Files.readAllBytes(file), file.toString());
            }
            // What the source finished stays as it left it: nothing disappears from under a listing.
            assertArrayEquals(expected, Files.readAllBytes(spool.resolve(first.get(0).getFileName() + ".COMPLETED")));
        }
    }

    @Test
    void countsOnlyItsOwnUnfinishedFilesAsWaiting() throws Exception {
        Path spool = Files.createDirectories(dir.resolve("spool"));
        Files.writeString(spool.resolve("other.txt"), "x\n");
        Files.createDirectories(spool.resolve(".flumespool"));
        SpoolDirLoadGenerator load = new SpoolDirLoadGenerator(new Scenario.SpoolDirLoad(spool, 2, 1, 1, ".done.txt"));
        try (load) {
            load.start(Duration.ofSeconds(1));
            assertEquals(2, load.filesGiven());
            try (Stream<Path> files = Files.list(spool)) {
                for (Path file : files.filter(p -> p.getFileName().toString().startsWith("load-")).toList()) {
                    Files.move(file, file.resolveSibling(file.getFileName() + ".done.txt"));
                }
            }
            await("new files for the finished ones").atMost(Duration.ofSeconds(10)).until(load::filesGiven, n -> n >= 4);
            assertEquals(4, load.filesGiven(), "finished files, even ones ending in .txt, are not waiting");
            assertEquals(0, load.refill(), "two are waiting again");
        }
        assertTrue(Files.exists(spool.resolve("other.txt")));
    }
}

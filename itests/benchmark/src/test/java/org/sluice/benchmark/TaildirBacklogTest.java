package org.sluice.benchmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaildirBacklogTest {

    @TempDir
    Path dir;

    @Test
    void writesEveryLineWholeInSegmentsOfTheGivenSize() throws IOException {
        // 10 lines of 100 bytes and a newline per 1,010-byte segment: 25 lines in 3 segments, the last of 5 lines.
        Scenario.TaildirBacklogLoad load = new Scenario.TaildirBacklogLoad(dir.resolve("tail"), 100, 25, 1010);
        Files.createDirectories(load.directory());
        Path leftOver = Files.writeString(load.directory().resolve("seg-000009.log"), "from a run that was killed\n");

        TaildirBacklog.write(load);

        List<Path> segments;
        try (Stream<Path> files = Files.list(load.directory())) {
            segments = files.sorted().toList();
        }
        assertEquals(List.of(TaildirLoadGenerator.segmentPath(load.directory(), 1),
                TaildirLoadGenerator.segmentPath(load.directory(), 2),
                TaildirLoadGenerator.segmentPath(load.directory(), 3)), segments);
        assertFalse(Files.exists(leftOver), "what was there before is gone");
        assertArrayEquals(SpoolDirLoadGenerator.fileContent(10, 100), Files.readAllBytes(segments.get(0)));
        assertArrayEquals(SpoolDirLoadGenerator.fileContent(10, 100), Files.readAllBytes(segments.get(1)));
        assertArrayEquals(SpoolDirLoadGenerator.fileContent(5, 100), Files.readAllBytes(segments.get(2)));
        assertEquals(25 * 101, TaildirBacklog.bytes(load));
        assertEquals(25 * 101, TaildirBacklog.readThrough(load), "every segment is read through");
    }

    @Test
    void refusesABacklogTheDiskHasNoRoomFor() throws IOException {
        long free = Files.getFileStore(dir).getUsableSpace();
        int lineBytes = 1 << 20;
        int lines = (int) Math.min(Integer.MAX_VALUE, free / lineBytes + 1);
        Scenario.TaildirBacklogLoad load = new Scenario.TaildirBacklogLoad(dir.resolve("tail"), lineBytes, lines,
                268435456);

        IOException e = assertThrows(IOException.class, () -> TaildirBacklog.write(load));

        assertTrue(e.getMessage().contains("give fewer lines (benchmark.load.lines)"), e.getMessage());
        try (Stream<Path> files = Files.list(load.directory())) {
            assertEquals(0, files.count(), "nothing written");
        }
    }
}

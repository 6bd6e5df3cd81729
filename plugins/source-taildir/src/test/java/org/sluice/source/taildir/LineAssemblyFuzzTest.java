package org.sluice.source.taildir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import org.sluice.source.taildir.LineSplitter.Line;

/**
 * The bytes of a tailed file are anybody's: whatever they are, the line splitter and the multi-line assembler
 * give the lines a reference split gives, however the bytes are cut into reads, hold no more than their bounds,
 * and give offsets that follow each other without a gap.
 *
 * <p>{@link #linesAndEventsWhateverTheBytes} is a Jazzer fuzz test: in the default test run it replays its corpus
 * (src/test/resources/.../LineAssemblyFuzzTestInputs); {@code JAZZER_FUZZ=1} makes it fuzz (the command is in
 * README.md) and adds what it finds to the corpus. {@link #randomBytes} runs a few seconds of seeded random input
 * in every run.
 */
class LineAssemblyFuzzTest {

    private static final Pattern START = Pattern.compile("^S");

    @FuzzTest(maxDuration = "10m")
    void linesAndEventsWhateverTheBytes(FuzzedDataProvider data) {
        int maxLineLength = data.consumeInt(1, 64);
        int firstChunk = data.consumeInt(1, 32);
        boolean multiline = data.consumeBoolean();
        int maxLines = data.consumeInt(1, 8);
        byte[] content = data.consumeRemainingAsBytes();
        check(content, maxLineLength, firstChunk, multiline, maxLines, new Random(content.length));
    }

    @Test
    void randomBytes() {
        Random random = new Random(20261206L);
        long end = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < end) {
            byte[] content = new byte[random.nextInt(2000)];
            for (int i = 0; i < content.length; i++) {
                int pick = random.nextInt(10);
                content[i] = pick < 2 ? (byte) '\n' : pick < 3 ? (byte) '\r' : pick < 4 ? (byte) 'S'
                        : (byte) random.nextInt(256);
            }
            check(content, 1 + random.nextInt(64), 1 + random.nextInt(32), random.nextBoolean(),
                    1 + random.nextInt(8), random);
        }
    }

    private static void check(byte[] content, int maxLineLength, int firstChunk, boolean multiline, int maxLines,
                              Random cuts) {
        List<Line> expected = referenceLines(content, maxLineLength);
        List<Line> whole = split(content, maxLineLength, content.length + 1, new Random(0));
        List<Line> chunked = split(content, maxLineLength, firstChunk, cuts);
        assertLinesEqual(expected, whole);
        assertLinesEqual(expected, chunked);

        MultilineRule rule = multiline ? new MultilineRule(START, null, 1000, maxLines) : null;
        EventAssembler assembler = new EventAssembler(rule, maxLineLength);
        List<Line> events = new ArrayList<>();
        for (Line line : chunked) {
            assembler.add(line, 0);
            for (Line event = assembler.poll(); event != null; event = assembler.poll()) {
                events.add(event);
            }
        }
        assembler.flush();
        for (Line event = assembler.poll(); event != null; event = assembler.poll()) {
            events.add(event);
        }
        long offset = 0;
        int lines = 0;
        for (Line event : events) {
            assertEquals(offset, event.start(), "events follow each other without a gap");
            assertTrue(event.body().length <= maxLineLength, "an event holds at most maxLineLength bytes");
            offset = event.end();
            lines += 1 + count(event.body(), (byte) '\n');
        }
        assertEquals(expected.isEmpty() ? 0 : expected.get(expected.size() - 1).end(), offset,
                "the events end where the last complete line ends");
        if (rule == null) {
            assertEquals(expected.size(), events.size());
        } else {
            assertTrue(events.size() <= expected.size());
        }
        assertTrue(lines >= events.size());
    }

    /** The lines as a plain reading of the rules gives them: cut at each \n, a \r before it dropped, bounded. */
    private static List<Line> referenceLines(byte[] content, int maxLineLength) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                int length = i - start;
                if (length > 0 && content[i - 1] == '\r') {
                    length--;
                }
                lines.add(new Line(Arrays.copyOfRange(content, start, start + Math.min(length, maxLineLength)),
                        start, i + 1, length > maxLineLength));
                start = i + 1;
            }
        }
        return lines;
    }

    private static List<Line> split(byte[] content, int maxLineLength, int firstChunk, Random cuts) {
        LineSplitter splitter = new LineSplitter(maxLineLength, 0);
        List<Line> lines = new ArrayList<>();
        int at = 0;
        int chunk = firstChunk;
        while (at < content.length) {
            int length = Math.min(chunk, content.length - at);
            // A sink that stops after some lines, as the source does when a batch is full: the rest is fed again.
            int stopAfter = 1 + cuts.nextInt(4);
            int[] taken = {0};
            int consumed = splitter.feed(content, at, length, line -> {
                lines.add(line);
                return ++taken[0] < stopAfter;
            });
            assertTrue(consumed > 0 && consumed <= length, "a feed consumes something and no more than it got");
            assertTrue(splitter.heldBytes() <= maxLineLength + 1, "the partial line is bounded");
            at += consumed;
            assertEquals(at, splitter.offset());
            chunk = 1 + cuts.nextInt(64);
        }
        return lines;
    }

    private static void assertLinesEqual(List<Line> expected, List<Line> actual) {
        assertEquals(expected.size(), actual.size(), "lines");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).body(), actual.get(i).body(), "line " + i);
            assertEquals(expected.get(i).start(), actual.get(i).start(), "start of line " + i);
            assertEquals(expected.get(i).end(), actual.get(i).end(), "end of line " + i);
            assertEquals(expected.get(i).truncated(), actual.get(i).truncated(), "truncation of line " + i);
        }
    }

    private static int count(byte[] bytes, byte b) {
        int n = 0;
        for (byte x : bytes) {
            if (x == b) {
                n++;
            }
        }
        return n;
    }
}

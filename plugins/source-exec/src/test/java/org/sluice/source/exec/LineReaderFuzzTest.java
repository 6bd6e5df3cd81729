package org.sluice.source.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

/**
 * A command's output is anybody's: whatever it is, the line reader gives BufferedReader's lines (Flume's), each
 * cut to maxLineLength, however the output arrives in reads. {@link #linesAsBufferedReaderReadsThem} replays its
 * corpus in the default run and fuzzes with {@code JAZZER_FUZZ=1}; {@link #randomText} runs two seconds of seeded
 * random text in every run.
 */
class LineReaderFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void linesAsBufferedReaderReadsThem(FuzzedDataProvider data) throws IOException {
        int maxLineLength = data.consumeInt(1, 40);
        String text = data.consumeRemainingAsString();
        check(text, maxLineLength, new Random(text.length()));
    }

    @Test
    void randomText() throws IOException {
        Random random = new Random(20261206L);
        long end = System.nanoTime() + 2_000_000_000L;
        String alphabet = "ab\r\n\u00e9\u2028";
        while (System.nanoTime() < end) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(3000); i > 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            check(text.toString(), 1 + random.nextInt(40), random);
        }
    }

    private static void check(String text, int maxLineLength, Random reads) throws IOException {
        List<String> expected = new ArrayList<>();
        List<Boolean> cut = new ArrayList<>();
        BufferedReader reference = new BufferedReader(new StringReader(text));
        for (String line = reference.readLine(); line != null; line = reference.readLine()) {
            expected.add(line.substring(0, Math.min(line.length(), maxLineLength)));
            cut.add(line.length() > maxLineLength);
        }
        LineReader reader = new LineReader(new ChoppyReader(text, reads), maxLineLength);
        List<String> actual = new ArrayList<>();
        List<Boolean> truncated = new ArrayList<>();
        for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
            assertTrue(line.text().length() <= maxLineLength);
            actual.add(line.text());
            truncated.add(line.truncated());
        }
        assertEquals(expected, actual);
        assertEquals(cut, truncated);
    }

    /** Hands its text out in reads of random sizes, as a pipe does. */
    private static final class ChoppyReader extends Reader {
        private final String text;
        private final Random sizes;
        private int at;

        ChoppyReader(String text, Random sizes) {
            this.text = text;
            this.sizes = sizes;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (at == text.length()) {
                return -1;
            }
            int n = Math.min(Math.min(length, 1 + sizes.nextInt(16)), text.length() - at);
            text.getChars(at, at + n, buffer, offset);
            at += n;
            return n;
        }

        @Override
        public void close() {
        }
    }
}

package org.sluice.source.taildir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The word-at-a-time newline search against the plain one, at every alignment and with every byte around it. */
class LineSplitterTest {

    private static int plainIndexOf(byte[] chunk, int from, int end) {
        for (int i = from; i < end; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsTheFirstNewlineWhereverItIs() {
        // Every byte value beside the newline: 0x0B and 0x09 differ from it in one bit, 0x8A in the high one.
        byte[] neighbours = {0x00, 0x09, 0x0B, (byte) 0x8A, (byte) 0xFF, 'a', '\r', 0x01};
        for (byte filler : neighbours) {
            for (int length = 0; length <= 72; length++) { // two 32-byte steps and a tail
                byte[] chunk = new byte[length];
                Arrays.fill(chunk, filler);
                for (int from = 0; from <= length; from++) {
                    assertEquals(plainIndexOf(chunk, from, length), LineSplitter.indexOf(chunk, from, length));
                    for (int at = from; at < length; at++) {
                        chunk[at] = '\n';
                        for (int end = from; end <= length; end++) {
                            assertEquals(plainIndexOf(chunk, from, end), LineSplitter.indexOf(chunk, from, end),
                                    "filler " + filler + " length " + length + " from " + from + " at " + at
                                            + " end " + end);
                        }
                        chunk[at] = filler;
                    }
                }
            }
        }
    }

    @Test
    void agreesWithThePlainSearchOnRandomChunks() {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] chunk = new byte[random.nextInt(300)];
            random.nextBytes(chunk);
            // Newlines sparse or dense, and bytes near them.
            for (int i = 0; i < chunk.length; i++) {
                if (chunk[i] == '\n' && random.nextInt(4) != 0) {
                    chunk[i] = 0x0B;
                }
            }
            int from = chunk.length == 0 ? 0 : random.nextInt(chunk.length + 1);
            int end = from + random.nextInt(chunk.length - from + 1);
            assertEquals(plainIndexOf(chunk, from, end), LineSplitter.indexOf(chunk, from, end));
        }
    }
}

package org.sluice.source.taildir;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Cuts the bytes of one file into lines, as they are read, chunk by chunk. A line ends with {@code \n}; a
 * {@code \r} just before it is not part of the line (Flume's rule: a lone {@code \r} stays in the body). The
 * bytes after the last newline are a line still being written: they are kept until their newline arrives.
 *
 * <p>Nothing a file holds can make it keep more than {@code maxLineLength} bytes: a longer line keeps its first
 * {@code maxLineLength} bytes, the rest up to its newline is skipped, and the line is marked truncated. Offsets
 * are the file's: each line knows where it starts and where the next one starts, so a position can be saved at
 * any line boundary. Not thread-safe: one per file, used by the source's thread.
 */
final class LineSplitter {

    /** One complete line: its body, where it starts in the file and where the next line starts. */
    record Line(byte[] body, long start, long end, boolean truncated) {
    }

    /** Receives the lines of a chunk; returns false to stop (the rest of the chunk is left unread). */
    interface LineSink {
        boolean accept(Line line);
    }

    private static final byte[] EMPTY = new byte[0];
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final int FIRST_PARTIAL_CAPACITY = 256;

    private final int maxLineLength;
    /** Bytes of the line being written, at most maxLineLength (+1 for a trailing \r that may precede \n). */
    private byte[] partial = EMPTY;
    private int partialLength;
    /** Bytes of the partial line beyond what is kept: skipped. */
    private long skipped;
    /** Where the partial line starts; also the end of the last complete line. */
    private long lineStart;
    /** The file offset of the next byte to be fed. */
    private long offset;

    LineSplitter(int maxLineLength, long offset) {
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength must be at least 1, was " + maxLineLength);
        }
        this.maxLineLength = maxLineLength;
        reset(offset);
    }

    /** Forgets the partial line; the next byte fed is at {@code offset}. */
    void reset(long offset) {
        this.offset = offset;
        this.lineStart = offset;
        this.partialLength = 0;
        this.skipped = 0;
        if (partial.length > FIRST_PARTIAL_CAPACITY * 16) {
            partial = EMPTY; // a long line's buffer is not kept for ever
        }
    }

    /**
     * Feeds {@code length} bytes of {@code chunk} from {@code from}, the file's bytes from {@link #offset()} on,
     * handing each complete line to {@code sink}.
     *
     * @return how many bytes were consumed: all of them, unless the sink stopped the split early
     */
    int feed(byte[] chunk, int from, int length, LineSink sink) {
        int end = from + length;
        int at = from;
        while (at < end) {
            int newline = indexOf(chunk, at, end);
            if (newline < 0) {
                keep(chunk, at, end - at);
                offset += end - at;
                return length;
            }
            int consumed = newline + 1 - at;
            Line line;
            if (partialLength == 0 && skipped == 0) {
                int bodyLength = newline - at;
                if (bodyLength > 0 && chunk[newline - 1] == '\r') {
                    bodyLength--;
                }
                boolean truncated = bodyLength > maxLineLength;
                line = new Line(Arrays.copyOfRange(chunk, at, at + Math.min(bodyLength, maxLineLength)),
                        lineStart, offset + consumed, truncated);
            } else {
                keep(chunk, at, newline - at);
                line = takePartial(offset + consumed);
            }
            offset += consumed;
            lineStart = offset;
            at = newline + 1;
            if (!sink.accept(line)) {
                return at - from;
            }
        }
        return length;
    }

    /**
     * The partial line as a line of its own, for a file that will not be written to again (a rotated file at its
     * close); null when there is none.
     */
    Line flushPartial() {
        if (partialLength == 0 && skipped == 0) {
            return null;
        }
        Line line = new Line(Arrays.copyOf(partial, Math.min(partialLength, maxLineLength)), lineStart, offset,
                skipped > 0 || partialLength > maxLineLength);
        partialLength = 0;
        skipped = 0;
        lineStart = offset;
        return line;
    }

    /** The offset of the next byte to feed. */
    long offset() {
        return offset;
    }

    /** Where the partial line starts: the end of the last complete line. */
    long lineStart() {
        return lineStart;
    }

    /** Whether bytes of an unfinished line are held. */
    boolean hasPartial() {
        return offset > lineStart;
    }

    /** Bytes held for the partial line: never more than maxLineLength + 1. */
    int heldBytes() {
        return partialLength;
    }

    private Line takePartial(long end) {
        int bodyLength = partialLength;
        boolean truncated;
        if (skipped == 0) {
            if (bodyLength > 0 && partial[bodyLength - 1] == '\r') {
                bodyLength--;
            }
            truncated = bodyLength > maxLineLength;
        } else {
            truncated = true; // the skipped bytes alone make it longer than maxLineLength
        }
        Line line = new Line(Arrays.copyOf(partial, Math.min(bodyLength, maxLineLength)), lineStart, end,
                truncated);
        partialLength = 0;
        skipped = 0;
        return line;
    }

    /**
     * Keeps bytes of the partial line, up to maxLineLength + 1: the one extra byte may be the {@code \r} of a
     * {@code \r\n} that ends a line of exactly maxLineLength bytes. The rest is only counted.
     */
    private void keep(byte[] chunk, int from, int length) {
        int room = maxLineLength + 1 - partialLength;
        int kept = Math.max(0, Math.min(room, length));
        if (kept > 0) {
            if (partialLength + kept > partial.length) {
                int capacity = Math.max(FIRST_PARTIAL_CAPACITY, partial.length);
                while (capacity < partialLength + kept) {
                    capacity *= 2;
                }
                partial = Arrays.copyOf(partial, Math.min(capacity, maxLineLength + 1));
            }
            System.arraycopy(chunk, from, partial, partialLength, kept);
            partialLength += kept;
        }
        skipped += length - kept;
    }

    /**
     * The first {@code \n} in {@code chunk[from..end)}, or -1. Eight bytes at a time: the JIT does not vectorise a
     * search loop that exits early, and a byte at a time was a tenth of the source's CPU on a backlog of 500-byte
     * lines. A byte of {@code word ^ NEWLINES} is zero where the chunk has a newline; {@code (x - ONES) & ~x & HIGHS}
     * flags zero bytes, and its lowest flag (little-endian: the earliest byte) is always a true one, so a word with
     * any flag has a newline. Long lines are skipped 32 bytes a step, the flags of four words ORed and tested once
     * (a word at a time, the search was still the largest share of a profile of the source's thread); the words of
     * the step that has one are then searched one by one.
     */
    static int indexOf(byte[] chunk, int from, int end) {
        int i = from;
        for (; i <= end - 4 * Long.BYTES; i += 4 * Long.BYTES) {
            long a = (long) LONGS.get(chunk, i) ^ NEWLINES;
            long b = (long) LONGS.get(chunk, i + Long.BYTES) ^ NEWLINES;
            long c = (long) LONGS.get(chunk, i + 2 * Long.BYTES) ^ NEWLINES;
            long d = (long) LONGS.get(chunk, i + 3 * Long.BYTES) ^ NEWLINES;
            long any = ((a - ONES) & ~a) | ((b - ONES) & ~b) | ((c - ONES) & ~c) | ((d - ONES) & ~d);
            if ((any & HIGHS) != 0) {
                break;
            }
        }
        for (; i <= end - Long.BYTES; i += Long.BYTES) {
            long x = (long) LONGS.get(chunk, i) ^ NEWLINES;
            long zeros = (x - ONES) & ~x & HIGHS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}

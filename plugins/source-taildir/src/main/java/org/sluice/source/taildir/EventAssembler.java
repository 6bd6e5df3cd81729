package org.sluice.source.taildir;

import java.util.ArrayDeque;
import java.util.Arrays;

import org.sluice.source.taildir.LineSplitter.Line;

/**
 * Turns the lines of one file into event bodies: each line is one, or, with a {@link MultilineRule}, the lines of
 * one multi-line event joined by {@code \n}. An assembled body keeps the offsets of its first line's start and its
 * last line's end, so a position saved after it is a line boundary of the file.
 *
 * <p>Bounded whatever the file holds: a multi-line event keeps at most {@code maxBytes} bytes and
 * {@code rule.maxLines()} lines; further lines that continue it are dropped and the event is marked truncated.
 * Not thread-safe: one per file.
 */
final class EventAssembler {

    private final MultilineRule rule;
    private final int maxBytes;
    private final ArrayDeque<Line> ready = new ArrayDeque<>();

    // The multi-line event being assembled.
    private byte[] pending = new byte[0];
    private int pendingLength;
    private int pendingLines;
    private long pendingStart = -1;
    private long pendingEnd;
    private boolean pendingTruncated;
    private long lastLineAt;

    /**
     * @param rule     how lines make up events; null: one line, one event
     * @param maxBytes the most bytes of one event body
     */
    EventAssembler(MultilineRule rule, int maxBytes) {
        this.rule = rule;
        this.maxBytes = maxBytes;
    }

    /** Whether lines are joined into multi-line events; when not, each line is an event of its own. */
    boolean joins() {
        return rule != null;
    }

    /** Adds the next line of the file, read at {@code now} (ms). */
    void add(Line line, long now) {
        if (rule == null) {
            ready.add(line);
            return;
        }
        if (pendingStart < 0 || rule.begins(line.body())) {
            complete();
            pendingStart = line.start();
            pendingLength = 0;
            pendingLines = 0;
            pendingTruncated = false;
        } else if (pendingLines >= rule.maxLines()) {
            pendingTruncated = true;
            pendingEnd = line.end();
            lastLineAt = now;
            return;
        } else {
            append((byte) '\n');
        }
        append(line.body());
        pendingTruncated |= line.truncated();
        pendingLines++;
        pendingEnd = line.end();
        lastLineAt = now;
    }

    /** Completes a multi-line event that has waited {@code rule.timeoutMillis()} for another line. */
    void expire(long now) {
        if (pendingStart >= 0 && now - lastLineAt >= rule.timeoutMillis()) {
            complete();
        }
    }

    /** When the event being assembled times out, in ms; Long.MAX_VALUE when there is none. */
    long deadline() {
        return pendingStart < 0 ? Long.MAX_VALUE : lastLineAt + rule.timeoutMillis();
    }

    /** Completes the event being assembled, whatever comes next (the file will not grow again). */
    void flush() {
        complete();
    }

    /** The next complete event, or null. */
    Line poll() {
        return ready.poll();
    }

    /** How many complete events wait to be polled. */
    int readyCount() {
        return ready.size();
    }

    /** Whether a multi-line event is being assembled. */
    boolean assembling() {
        return pendingStart >= 0;
    }

    /** Forgets every line: the file is read again from an earlier offset. */
    void reset() {
        ready.clear();
        pendingStart = -1;
        pendingLength = 0;
        pendingLines = 0;
        if (pending.length > 64 * 1024) {
            pending = new byte[0];
        }
    }

    private void complete() {
        if (pendingStart < 0) {
            return;
        }
        ready.add(new Line(Arrays.copyOf(pending, pendingLength), pendingStart, pendingEnd, pendingTruncated));
        pendingStart = -1;
        pendingLength = 0;
        pendingLines = 0;
    }

    private void append(byte b) {
        if (pendingLength >= maxBytes) {
            pendingTruncated = true;
            return;
        }
        ensure(pendingLength + 1);
        pending[pendingLength++] = b;
    }

    private void append(byte[] bytes) {
        int room = maxBytes - pendingLength;
        int kept = Math.min(room, bytes.length);
        if (kept < bytes.length) {
            pendingTruncated = true;
        }
        if (kept > 0) {
            ensure(pendingLength + kept);
            System.arraycopy(bytes, 0, pending, pendingLength, kept);
            pendingLength += kept;
        }
    }

    private void ensure(int capacity) {
        if (capacity > pending.length) {
            pending = Arrays.copyOf(pending, Math.min(maxBytes, Math.max(capacity, Math.max(256, pending.length * 2))));
        }
    }
}

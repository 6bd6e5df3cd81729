package org.sluice.channel.file;

import java.util.Arrays;

/**
 * The channel's queue of event pointers in take order, a growing ring of longs (8 bytes an event rather
 * than an object each, so a million queued events cost 8 MB of heap). Not thread-safe: the channel guards it.
 */
final class PointerQueue {
    private long[] ring = new long[64];
    private int head;
    private int size;

    int size() {
        return size;
    }

    void addLast(long pointer) {
        ensure(size + 1);
        ring[(head + size) % ring.length] = pointer;
        size++;
    }

    /** Puts {@code pointers[from..to)} back at the head, so that {@code pointers[from]} is taken next. */
    void addFirst(long[] pointers, int from, int to) {
        ensure(size + to - from);
        for (int i = to - 1; i >= from; i--) {
            head = (head - 1 + ring.length) % ring.length;
            ring[head] = pointers[i];
            size++;
        }
    }

    /** The head pointer, removed; the caller checks {@link #size()} first. */
    long pollFirst() {
        if (size == 0) {
            throw new IllegalStateException("empty");
        }
        long pointer = ring[head];
        head = (head + 1) % ring.length;
        size--;
        return pointer;
    }

    /** The pointers in take order. */
    long[] toArray() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = ring[(head + i) % ring.length];
        }
        return out;
    }

    private void ensure(int needed) {
        if (needed <= ring.length) {
            return;
        }
        long[] grown = new long[Math.max(needed, ring.length * 2)];
        for (int i = 0; i < size; i++) {
            grown[i] = ring[(head + i) % ring.length];
        }
        ring = grown;
        head = 0;
        Arrays.fill(grown, size, grown.length, 0L);
    }
}

package org.sluice.support.collections;

import java.util.NoSuchElementException;

/**
 * A FIFO of longs in a circular array that doubles as it fills, with {@link #addFirst} to put taken values back at
 * the head, in order, after a rollback. Channels queue event pointers or sequence numbers in it: 8 bytes an event.
 * Not thread-safe: its owner guards it.
 */
public final class LongRing {
    /** A power of two, so that positions wrap with a mask. */
    private long[] slots;
    private int head;
    private int size;

    public LongRing() {
        this(64);
    }

    /** A ring with room for {@code capacity} values before it first grows. */
    public LongRing(int capacity) {
        slots = new long[Integer.highestOneBit(Math.max(1, capacity - 1)) << 1];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void addLast(long value) {
        ensureRoom(1);
        slots[(head + size) & (slots.length - 1)] = value;
        size++;
    }

    /** Puts {@code values[from..to)} back at the head, so that {@code values[from]} is the next one polled. */
    public void addFirst(long[] values, int from, int to) {
        if (from < 0 || to > values.length || from > to) {
            throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + values.length);
        }
        ensureRoom(to - from);
        int mask = slots.length - 1;
        for (int i = to - 1; i >= from; i--) {
            head = (head - 1) & mask;
            slots[head] = values[i];
        }
        size += to - from;
    }

    /** The head, removed. */
    public long pollFirst() {
        if (size == 0) {
            throw new NoSuchElementException("pollFirst() on an empty ring");
        }
        long value = slots[head];
        head = (head + 1) & (slots.length - 1);
        size--;
        return value;
    }

    /** The head, left in place. */
    public long peekFirst() {
        if (size == 0) {
            throw new NoSuchElementException("peekFirst() on an empty ring");
        }
        return slots[head];
    }

    /** The tail, left in place. */
    public long peekLast() {
        if (size == 0) {
            throw new NoSuchElementException("peekLast() on an empty ring");
        }
        return slots[(head + size - 1) & (slots.length - 1)];
    }

    /** The values from head to tail, in a new array. */
    public long[] toArray() {
        long[] out = new long[size];
        int firstRun = Math.min(size, slots.length - head);
        System.arraycopy(slots, head, out, 0, firstRun);
        System.arraycopy(slots, 0, out, firstRun, size - firstRun);
        return out;
    }

    public void clear() {
        head = 0;
        size = 0;
    }

    private void ensureRoom(int extra) {
        long needed = (long) size + extra;
        if (needed <= slots.length) {
            return;
        }
        if (needed > 1 << 30) {
            throw new IllegalStateException("a ring holds at most 2^30 values, " + needed + " asked for");
        }
        long[] grown = new long[Integer.highestOneBit((int) needed - 1) << 1];
        int firstRun = Math.min(size, slots.length - head);
        System.arraycopy(slots, head, grown, 0, firstRun);
        System.arraycopy(slots, 0, grown, firstRun, size - firstRun);
        slots = grown;
        head = 0;
    }
}

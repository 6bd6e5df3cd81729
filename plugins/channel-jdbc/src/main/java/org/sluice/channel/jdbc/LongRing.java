package org.sluice.channel.jdbc;

/**
 * A FIFO of event sequence numbers in a circular array that doubles as it fills, with
 * {@link #addFirst(long[], int)} for takes that go back to the head after a rollback. Primitive longs,
 * because a channel may queue millions of events and boxing each one would cost four times the heap. Not
 * thread-safe: {@link JdbcChannel} guards it with its lock.
 */
final class LongRing {
    private long[] slots = new long[1024];
    private int head;
    private int size;

    int size() {
        return size;
    }

    void addLast(long value) {
        ensureRoom(1);
        slots[(head + size) % slots.length] = value;
        size++;
    }

    /** Puts {@code values[0..count)} back at the head, so that {@code values[0]} is next. */
    void addFirst(long[] values, int count) {
        ensureRoom(count);
        for (int i = count - 1; i >= 0; i--) {
            head = head == 0 ? slots.length - 1 : head - 1;
            slots[head] = values[i];
        }
        size += count;
    }

    /** The tail, left in place; the caller checks {@link #size()} first. */
    long peekLast() {
        return slots[(head + size - 1) % slots.length];
    }

    /** The head, removed; the caller checks {@link #size()} first. */
    long pollFirst() {
        if (size == 0) {
            throw new IllegalStateException("pollFirst() on an empty ring");
        }
        long value = slots[head];
        head = (head + 1) % slots.length;
        size--;
        return value;
    }

    private void ensureRoom(int extra) {
        if (size + extra <= slots.length) {
            return;
        }
        int length = slots.length;
        while (length < size + extra) {
            length *= 2;
        }
        long[] grown = new long[length];
        int firstRun = Math.min(size, slots.length - head);
        System.arraycopy(slots, head, grown, 0, firstRun);
        System.arraycopy(slots, 0, grown, firstRun, size - firstRun);
        slots = grown;
        head = 0;
    }
}

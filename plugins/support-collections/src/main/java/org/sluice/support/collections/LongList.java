package org.sluice.support.collections;

import java.util.Arrays;

/** A growing list of longs, appended to and read by index. Not thread-safe. */
public final class LongList {
    private long[] values;
    private int size;

    public LongList() {
        this(16);
    }

    public LongList(int capacity) {
        values = new long[Math.max(1, capacity)];
    }

    public void add(long value) {
        if (size == values.length) {
            if (size == Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("a list holds at most " + size + " values");
            }
            values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8, size * 2L));
        }
        values[size++] = value;
    }

    public long get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        return values[index];
    }

    /** Replaces the value at {@code index}. */
    public void set(int index, long value) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        values[index] = value;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void clear() {
        size = 0;
    }

    /** Keeps the first {@code newSize} values. */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IndexOutOfBoundsException(newSize + " of " + size);
        }
        size = newSize;
    }

    public long[] toArray() {
        return Arrays.copyOf(values, size);
    }
}

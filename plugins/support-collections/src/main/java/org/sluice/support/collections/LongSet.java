package org.sluice.support.collections;

/**
 * A set of longs, open addressing with linear probing over a long array: a replay may meet millions of taken
 * pointers, and boxed longs in a HashSet would cost about ten times the memory. Not thread-safe.
 */
public final class LongSet {
    /** Marks an empty slot; the value 0 itself is kept in {@link #hasZero}. */
    private static final long EMPTY = 0L;

    /** A power of two, at most half full. */
    private long[] slots;
    private int size;
    private boolean hasZero;

    public LongSet() {
        this(512);
    }

    /** A set with room for {@code expected} values before it first grows. */
    public LongSet(int expected) {
        slots = new long[Integer.highestOneBit(Math.max(2, expected) * 2 - 1) << 1];
    }

    /** False if it was there already. */
    public boolean add(long value) {
        if (value == EMPTY) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if ((size + 1) * 2L > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = hash(value) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == value) {
                return false;
            }
            if (slots[i] == EMPTY) {
                slots[i] = value;
                size++;
                return true;
            }
        }
    }

    public boolean contains(long value) {
        if (value == EMPTY) {
            return hasZero;
        }
        int mask = slots.length - 1;
        for (int i = hash(value) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == value) {
                return true;
            }
            if (slots[i] == EMPTY) {
                return false;
            }
        }
    }

    public int size() {
        return size + (hasZero ? 1 : 0);
    }

    private void grow() {
        if (slots.length >= 1 << 30) {
            throw new IllegalStateException("a set holds at most 2^29 values");
        }
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long value : old) {
            if (value != EMPTY) {
                int i = hash(value) & mask;
                while (slots[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                slots[i] = value;
            }
        }
    }

    private static int hash(long value) {
        long h = value * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}

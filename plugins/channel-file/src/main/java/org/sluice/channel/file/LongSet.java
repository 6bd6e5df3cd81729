package org.sluice.channel.file;

/**
 * A set of event pointers for replay, open addressing over a long array: replay may see millions of takes,
 * and boxed longs in a HashSet would cost ten times the memory. 0 is never a pointer (file ids start at 1)
 * and marks an empty slot.
 */
final class LongSet {
    private long[] slots = new long[1024];
    private int size;

    /** False if it was there already. */
    boolean add(long value) {
        if (value == 0L) {
            throw new IllegalArgumentException("0 is not a pointer");
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        return insert(slots, value);
    }

    boolean contains(long value) {
        int mask = slots.length - 1;
        for (int i = hash(value) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == value) {
                return true;
            }
            if (slots[i] == 0L) {
                return false;
            }
        }
    }

    int size() {
        return size;
    }

    private boolean insert(long[] into, long value) {
        int mask = into.length - 1;
        for (int i = hash(value) & mask; ; i = (i + 1) & mask) {
            if (into[i] == value) {
                return false;
            }
            if (into[i] == 0L) {
                into[i] = value;
                if (into == slots) {
                    size++;
                }
                return true;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        for (long value : old) {
            if (value != 0L) {
                int mask = slots.length - 1;
                int i = hash(value) & mask;
                while (slots[i] != 0L) {
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

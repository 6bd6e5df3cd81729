package org.sluice.channel.spillable;

import java.util.ArrayDeque;

/**
 * Where the next events are, in FIFO order across the two stores: a deque of runs, each a count of
 * consecutive events in memory or in the overflow. A put commit adds a run at the tail (or lengthens the
 * last one), a take consumes the head, a rollback puts the taken events' runs back at the head. The runs
 * stay few: they change only when commits switch between memory and overflow. Guarded by the channel's lock.
 */
final class DrainOrder {
    private static final class Run {
        final boolean overflow;
        long count;

        Run(boolean overflow, long count) {
            this.overflow = overflow;
            this.count = count;
        }
    }

    private final ArrayDeque<Run> runs = new ArrayDeque<>();

    boolean isEmpty() {
        return runs.isEmpty();
    }

    /** True if the next event is in the overflow; the caller checks {@link #isEmpty()} first. */
    boolean headIsOverflow() {
        return runs.getFirst().overflow;
    }

    void addLast(boolean overflow, long count) {
        if (count == 0) {
            return;
        }
        Run last = runs.peekLast();
        if (last != null && last.overflow == overflow) {
            last.count += count;
        } else {
            runs.addLast(new Run(overflow, count));
        }
    }

    void addFirst(boolean overflow, long count) {
        if (count == 0) {
            return;
        }
        Run first = runs.peekFirst();
        if (first != null && first.overflow == overflow) {
            first.count += count;
        } else {
            runs.addFirst(new Run(overflow, count));
        }
    }

    void consumeHead() {
        Run first = runs.getFirst();
        if (--first.count == 0) {
            runs.removeFirst();
        }
    }

    void clear() {
        runs.clear();
    }
}

package org.sluice.channel.memory;

import java.util.Arrays;

import org.sluice.api.event.Event;

/**
 * A double-ended FIFO of events in a circular array that grows by doubling up to a fixed maximum, so a
 * channel of large capacity costs memory only for what it holds. Bulk operations copy whole runs with
 * {@link System#arraycopy}. Not thread-safe: {@link EventStore} guards it with its lock.
 */
final class EventRing {
    private static final int INITIAL_LENGTH = 1024;

    private final int maxLength;
    private Event[] slots;
    /** Index of the first event. */
    private int head;
    private int size;

    EventRing(int maxLength) {
        this.maxLength = maxLength;
        this.slots = new Event[Math.min(maxLength, INITIAL_LENGTH)];
    }

    int size() {
        return size;
    }

    /** Appends {@code events[0..count)} at the tail, in order. */
    void addLast(Event[] events, int count) {
        ensureRoom(count);
        int tail = index(size);
        int firstRun = Math.min(count, slots.length - tail);
        System.arraycopy(events, 0, slots, tail, firstRun);
        System.arraycopy(events, firstRun, slots, 0, count - firstRun);
        size += count;
    }

    /** Puts {@code events[from..to)} back at the head so that {@code events[from]} is the first event. */
    void addFirst(Event[] events, int from, int to) {
        int count = to - from;
        ensureRoom(count);
        int newHead = head - count;
        if (newHead < 0) {
            newHead += slots.length;
        }
        int firstRun = Math.min(count, slots.length - newHead);
        System.arraycopy(events, from, slots, newHead, firstRun);
        System.arraycopy(events, from + firstRun, slots, 0, count - firstRun);
        head = newHead;
        size += count;
    }

    /**
     * Moves up to {@code max} events from the head into {@code into[offset..]}, in order, and returns how
     * many it moved. The slots are cleared so the ring keeps no reference to events it gave away.
     */
    int pollFirst(Event[] into, int offset, int max) {
        int count = Math.min(max, size);
        int firstRun = Math.min(count, slots.length - head);
        System.arraycopy(slots, head, into, offset, firstRun);
        Arrays.fill(slots, head, head + firstRun, null);
        int secondRun = count - firstRun;
        System.arraycopy(slots, 0, into, offset + firstRun, secondRun);
        Arrays.fill(slots, 0, secondRun, null);
        head = index(count);
        size -= count;
        return count;
    }

    private int index(int offsetFromHead) {
        int i = head + offsetFromHead;
        return i >= slots.length ? i - slots.length : i;
    }

    private void ensureRoom(int extra) {
        int needed = size + extra;
        if (needed <= slots.length) {
            return;
        }
        if (needed > maxLength) {
            // The store's accounting admits no more than the capacity; reaching this is a bug.
            throw new IllegalStateException("ring of " + maxLength + " slots cannot hold " + needed + " events");
        }
        int length = slots.length;
        while (length < needed) {
            length = (int) Math.min((long) length * 2, maxLength);
        }
        Event[] grown = new Event[length];
        int firstRun = Math.min(size, slots.length - head);
        System.arraycopy(slots, head, grown, 0, firstRun);
        System.arraycopy(slots, 0, grown, firstRun, size - firstRun);
        slots = grown;
        head = 0;
    }
}

package org.sluice.channel.memory;

import java.util.Arrays;

import org.sluice.api.event.Event;

/**
 * A double-ended FIFO of events in a circular array that grows by doubling up to a fixed maximum, so a
 * channel of large capacity costs memory only for what it holds. Beside each event it keeps the event's byte
 * slots ({@link EventStore#byteSlotsOf}), computed once when the event was put: a take on another thread then
 * counts the bytes it frees without reading the event's body, which is cold in its cache. Bulk operations copy
 * whole runs with {@link System#arraycopy}. Not thread-safe: {@link EventStore} guards it with its lock.
 */
final class EventRing {
    private static final int INITIAL_LENGTH = 1024;

    private final int maxLength;
    private Event[] events;
    /** {@code byteSlots[i]} belongs to {@code events[i]}. */
    private int[] byteSlots;
    /** Index of the first event. */
    private int head;
    private int size;

    EventRing(int maxLength) {
        this.maxLength = maxLength;
        int length = Math.min(maxLength, INITIAL_LENGTH);
        this.events = new Event[length];
        this.byteSlots = new int[length];
    }

    int size() {
        return size;
    }

    /** Appends the first {@code count} events of {@code from}, with their byte slots, at the tail, in order. */
    void addLast(EventBuffer from, int count) {
        ensureRoom(count);
        int tail = index(size);
        int firstRun = Math.min(count, events.length - tail);
        copyIn(from, 0, tail, firstRun);
        copyIn(from, firstRun, 0, count - firstRun);
        size += count;
    }

    /**
     * Puts the events {@code start..end} (exclusive) of {@code from}, with their byte slots, back at the head so
     * that the one at {@code start} is the first event.
     */
    void addFirst(EventBuffer from, int start, int end) {
        int count = end - start;
        ensureRoom(count);
        int newHead = head - count;
        if (newHead < 0) {
            newHead += events.length;
        }
        int firstRun = Math.min(count, events.length - newHead);
        copyIn(from, start, newHead, firstRun);
        copyIn(from, start + firstRun, 0, count - firstRun);
        head = newHead;
        size += count;
    }

    /**
     * Moves up to {@code max} events from the head, with their byte slots, into {@code into} from position
     * {@code offset} on, in order, and returns how many it moved. The ring keeps no reference to events it gave
     * away.
     */
    int pollFirst(EventBuffer into, int offset, int max) {
        int count = Math.min(max, size);
        int firstRun = Math.min(count, events.length - head);
        copyOut(head, into, offset, firstRun);
        int secondRun = count - firstRun;
        copyOut(0, into, offset + firstRun, secondRun);
        head = index(count);
        size -= count;
        return count;
    }

    private void copyIn(EventBuffer from, int start, int at, int count) {
        System.arraycopy(from.events, start, events, at, count);
        System.arraycopy(from.byteSlots, start, byteSlots, at, count);
    }

    private void copyOut(int at, EventBuffer into, int offset, int count) {
        System.arraycopy(events, at, into.events, offset, count);
        System.arraycopy(byteSlots, at, into.byteSlots, offset, count);
        Arrays.fill(events, at, at + count, null);
    }

    private int index(int offsetFromHead) {
        int i = head + offsetFromHead;
        return i >= events.length ? i - events.length : i;
    }

    private void ensureRoom(int extra) {
        int needed = size + extra;
        if (needed <= events.length) {
            return;
        }
        if (needed > maxLength) {
            // The store's accounting admits no more than the capacity; reaching this is a bug.
            throw new IllegalStateException("ring for " + maxLength + " events cannot hold " + needed + " events");
        }
        int length = events.length;
        while (length < needed) {
            length = (int) Math.min((long) length * 2, maxLength);
        }
        Event[] grownEvents = new Event[length];
        int[] grownSlots = new int[length];
        int firstRun = Math.min(size, events.length - head);
        System.arraycopy(events, head, grownEvents, 0, firstRun);
        System.arraycopy(events, 0, grownEvents, firstRun, size - firstRun);
        System.arraycopy(byteSlots, head, grownSlots, 0, firstRun);
        System.arraycopy(byteSlots, 0, grownSlots, firstRun, size - firstRun);
        events = grownEvents;
        byteSlots = grownSlots;
        head = 0;
    }
}

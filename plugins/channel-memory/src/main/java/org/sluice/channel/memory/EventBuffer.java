package org.sluice.channel.memory;

import java.util.Arrays;

import org.sluice.api.event.Event;

/**
 * A thread's reusable run of events with each one's byte slots ({@link EventStore#byteSlotsOf}), as a
 * transaction collects its puts or reserves its takes; it grows by doubling up to a limit (the transaction
 * capacity) and is reused from one transaction to the next, so transactions allocate nothing per event.
 */
final class EventBuffer {
    private static final int INITIAL_LENGTH = 16;

    private final int maxLength;
    Event[] events;
    /** {@code byteSlots[i]} belongs to {@code events[i]}. */
    int[] byteSlots;

    EventBuffer(int maxLength) {
        this.maxLength = maxLength;
        int length = Math.min(INITIAL_LENGTH, maxLength);
        this.events = new Event[length];
        this.byteSlots = new int[length];
    }

    /** Makes room for at least {@code needed} events, keeping those held. */
    void ensureLength(int needed) {
        if (needed <= events.length) {
            return;
        }
        int length = (int) Math.min(Math.max((long) events.length * 2, needed), maxLength);
        events = Arrays.copyOf(events, length);
        byteSlots = Arrays.copyOf(byteSlots, length);
    }

    /** Drops the references to {@code events[0..count)}, so the events can be collected. */
    void clear(int count) {
        Arrays.fill(events, 0, count, null);
    }
}

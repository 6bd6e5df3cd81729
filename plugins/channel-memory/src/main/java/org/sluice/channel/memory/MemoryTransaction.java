package org.sluice.channel.memory;

import org.sluice.api.channel.AbstractTransaction;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.event.Event;

/**
 * One thread's transaction on a memory channel. Puts collect in a thread-local buffer and reach the store in
 * one step at commit. Takes are reserved from the store in runs: a run is as long as the thread's previous
 * transaction took (a sink takes about its batch size each time), so a sink pays one lock per batch rather
 * than one per event. Reserved events that were not handed out go back to the head of the queue at commit,
 * and all of them at rollback, in their order.
 */
final class MemoryTransaction extends AbstractTransaction {

    /** What a thread reuses from one transaction to the next, so transactions allocate nothing per event. */
    static final class ThreadBuffers {
        final EventBuffer puts;
        final EventBuffer takes;
        /** Events the thread's last committed transaction took: the length of the next reservation run. */
        int lastTakeCount;

        ThreadBuffers(int transactionCapacity) {
            puts = new EventBuffer(transactionCapacity);
            takes = new EventBuffer(transactionCapacity);
        }
    }

    private final EventStore store;
    private final String channelName;
    private final int transactionCapacity;
    private final ThreadBuffers buffers;

    private int putCount;
    private long putByteSlots;
    /** Events reserved from the store into {@code buffers.takes}. */
    private int reserved;
    /** Of the reserved events, those handed to the caller by take(). */
    private int handed;
    private long handedByteSlots;

    MemoryTransaction(EventStore store, String channelName, int transactionCapacity, ThreadBuffers buffers) {
        this.store = store;
        this.channelName = channelName;
        this.transactionCapacity = transactionCapacity;
        this.buffers = buffers;
    }

    @Override
    protected void doPut(Event event) {
        if (putCount == transactionCapacity) {
            throw new ChannelException("memory channel " + channelName + ": a transaction may put at most "
                    + "transactionCapacity = " + transactionCapacity + " events; commit more often or raise "
                    + "transactionCapacity");
        }
        EventBuffer puts = buffers.puts;
        Event[] events = puts.events;
        if (putCount == events.length) {
            puts.ensureLength(putCount + 1);
            events = puts.events;
        }
        // Counted here, where the source thread has just made or read the body; the take never reads it.
        int slots = EventStore.byteSlotsOf(event);
        events[putCount] = event;
        puts.byteSlots[putCount] = slots;
        putCount++;
        putByteSlots += slots;
    }

    @Override
    protected Event doTake() {
        if (handed == reserved && !reserveMore()) {
            return null;
        }
        EventBuffer takes = buffers.takes;
        handedByteSlots += takes.byteSlots[handed];
        return takes.events[handed++];
    }

    /** Reserves the next run of events; false when the queue has none. */
    private boolean reserveMore() {
        if (handed == transactionCapacity) {
            throw new ChannelException("memory channel " + channelName + ": a transaction may take at most "
                    + "transactionCapacity = " + transactionCapacity + " events; commit more often or raise "
                    + "transactionCapacity");
        }
        // First run: as many as last time; later runs double what this transaction has taken so far.
        int run = Math.min(transactionCapacity - handed, Math.max(1, Math.max(buffers.lastTakeCount, handed)));
        buffers.takes.ensureLength(reserved + run);
        // Only a transaction's first take waits for events: a batch already begun commits what it has.
        int got = store.reserve(buffers.takes, reserved, run, reserved == 0);
        reserved += got;
        return got > 0;
    }

    @Override
    protected void doCommit() {
        store.commit(buffers.puts, putCount, putByteSlots, buffers.takes, handed, reserved, handedByteSlots);
        buffers.lastTakeCount = handed;
        clear();
    }

    @Override
    protected void doRollback() {
        store.giveBack(buffers.takes, 0, reserved);
        clear();
    }

    private void clear() {
        // The buffers outlive the transaction: drop the references so events can be collected.
        buffers.puts.clear(putCount);
        buffers.takes.clear(reserved);
        putCount = 0;
        putByteSlots = 0;
        reserved = 0;
        handed = 0;
        handedByteSlots = 0;
    }
}

package org.sluice.channel.memory;

import org.sluice.api.channel.AbstractChannel;
import org.sluice.api.channel.AbstractTransaction;

/**
 * Flume's memory channel: events held on the heap, bounded by {@code capacity} events and
 * {@code byteCapacity} bytes of bodies, with thread-bound transactions of at most
 * {@code transactionCapacity} puts or takes. A put commit that finds no room waits up to
 * {@code keep-alive} seconds for sinks to make some, then fails with ChannelFullException. A transaction's
 * first take waits up to {@code keep-alive} seconds, at most half a second, for an event when none is
 * queued (Flume's every take waits keep-alive), later takes in it never wait, so a sink commits a short batch at once; after stop no take waits.
 */
final class MemoryChannel extends AbstractChannel {
    private final String name;
    private final EventStore store;
    private final int transactionCapacity;
    private final ThreadLocal<MemoryTransaction.ThreadBuffers> buffers;

    MemoryChannel(String name, EventStore store, int transactionCapacity) {
        this.name = name;
        this.store = store;
        this.transactionCapacity = transactionCapacity;
        this.buffers = ThreadLocal.withInitial(() -> new MemoryTransaction.ThreadBuffers(transactionCapacity));
    }

    @Override
    public void start() {
        store.publishGauges();
    }

    @Override
    public void stop() {
        store.stop();
        store.publishGauges();
    }

    @Override
    protected AbstractTransaction createTransaction() {
        return new MemoryTransaction(store, name, transactionCapacity, buffers.get());
    }

    /** Events held, including those taken by transactions not committed yet. */
    int size() {
        return store.size();
    }

    long usedByteSlots() {
        return store.usedByteSlots();
    }

    @Override
    public String toString() {
        return "memory channel " + name + " (capacity " + store.capacity() + ", transactionCapacity "
                + transactionCapacity + ")";
    }
}

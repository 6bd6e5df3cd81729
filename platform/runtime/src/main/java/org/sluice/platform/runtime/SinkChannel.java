package org.sluice.platform.runtime;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.Event;
import org.sluice.platform.tap.TapPoint;

/**
 * The channel as one sink sees it: the shared {@link ManagedChannel}, with the events this sink takes shown to the
 * sink's taps ({@code sluice:tap}). Several sinks may take from one channel; only this view knows which one took.
 */
final class SinkChannel implements Channel {
    private final ManagedChannel channel;
    private final TapPoint tap;
    /**
     * The state on the channel of the thread that last got a transaction here (the sink's runner thread), so
     * its takes need not look it up for every event. Only the thread it belongs to uses it.
     */
    private ManagedChannel.Pending taker;

    SinkChannel(ManagedChannel channel, TapPoint tap) {
        this.channel = channel;
        this.tap = tap;
    }

    @Override
    public void put(Event event) throws ChannelException {
        channel.put(event);
    }

    @Override
    public Event take() throws ChannelException {
        ManagedChannel.Pending p = taker;
        Event event = p != null && p.ownedByCurrentThread() ? channel.take(p) : channel.take();
        if (event != null) {
            tap.offer("take", event);
        }
        return event;
    }

    @Override
    public Transaction getTransaction() {
        ManagedChannel.ManagedTransaction tx = channel.getTransaction();
        taker = tx.pending();
        return tx;
    }

    @Override
    public String toString() {
        return channel.toString();
    }
}

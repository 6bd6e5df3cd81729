package org.sluice.api.channel;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.Lifecycle;
import org.sluice.api.event.Event;

/**
 * A buffer between sources and sinks. Events enter with {@link #put} and leave with {@link #take}, always
 * inside a {@link Transaction} obtained from {@link #getTransaction()} on the same thread:
 *
 * <pre>{@code
 * Transaction tx = channel.getTransaction();
 * tx.begin();
 * try {
 *     channel.put(event);            // or take(), any number of times up to transactionCapacity
 *     tx.commit();
 * } catch (Throwable t) {
 *     tx.rollback();
 *     throw t;
 * } finally {
 *     tx.close();
 * }
 * }</pre>
 *
 * Puts become visible to takers only on commit; takes are returned to the channel on rollback. A channel is
 * safe for many threads, each with its own transaction.
 */
@ConsumerType
public interface Channel extends Lifecycle {

    /** Adds an event to the calling thread's open transaction. */
    void put(Event event) throws ChannelException;

    /**
     * Takes the next event in the calling thread's open transaction, or null if none is available. While the
     * channel runs, a take may wait a bounded time for an event to arrive (the memory channel waits up to
     * half a second on a transaction's first take, so a sink that catches up with its sources does not back
     * off). Once a channel that is not durable is stopped, a take never waits and the events it still holds
     * can be taken: that is how the platform hands them to the instance that replaces it. A durable channel
     * keeps its events where they are and may refuse puts and takes once stopped.
     */
    Event take() throws ChannelException;

    /**
     * The calling thread's transaction: the open one if there is one, otherwise a new one. A thread has at
     * most one open transaction per channel.
     */
    Transaction getTransaction();
}

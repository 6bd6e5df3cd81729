package org.sluice.platform.runtime;

import java.util.List;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.Event;

/** Flume's transaction template for the runtime's own puts: begin, put, commit; rollback on failure; close. */
final class Transactions {
    private Transactions() {
    }

    /** Puts the events into the channel in one transaction: all committed, or rolled back and the failure thrown. */
    static void putAll(Channel channel, List<Event> events) {
        Transaction tx = channel.getTransaction();
        tx.begin();
        try {
            if (tx instanceof ManagedChannel.ManagedTransaction managed) {
                // The thread's state on the channel, found once for the batch rather than once per event.
                ManagedChannel.Pending pending = managed.pending();
                ManagedChannel target = managed.channel();
                for (Event event : events) {
                    target.put(pending, event);
                }
            } else {
                for (Event event : events) {
                    channel.put(event);
                }
            }
            tx.commit();
        } catch (RuntimeException | Error e) {
            tx.rollback();
            throw e;
        } finally {
            tx.close();
        }
    }
}

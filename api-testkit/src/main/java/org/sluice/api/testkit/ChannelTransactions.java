package org.sluice.api.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.Event;

/**
 * Flume's transaction template around the puts and takes of channel tests, so each test says what it puts and
 * expects rather than repeating begin / commit / rollback in catch / close in finally.
 */
public final class ChannelTransactions {
    private ChannelTransactions() {
    }

    /** Puts events with these UTF-8 bodies in one transaction and commits it. */
    public static void putBodies(Channel channel, String... bodies) {
        putCommitted(channel, TextEvents.events(bodies));
    }

    /**
     * Runs {@code work} in one transaction of the calling thread and commits it; if anything fails, rolls back
     * and rethrows; closes it in any case. {@code work} may print or count what it did before the commit.
     */
    public static <T> T inTransaction(Channel channel, Supplier<T> work) {
        Transaction tx = channel.getTransaction();
        tx.begin();
        try {
            T result = work.get();
            tx.commit();
            return result;
        } catch (RuntimeException | Error e) {
            tx.rollback();
            throw e;
        } finally {
            tx.close();
        }
    }

    /** Puts the events in one transaction and commits it. */
    public static void putCommitted(Channel channel, List<Event> events) {
        inTransaction(channel, () -> {
            events.forEach(channel::put);
            return null;
        });
    }

    /** Takes up to {@code max} events in one transaction and commits it. */
    public static List<Event> take(Channel channel, int max) {
        return inTransaction(channel, () -> {
            List<Event> out = new ArrayList<>();
            for (Event event; out.size() < max && (event = channel.take()) != null; ) {
                out.add(event);
            }
            return out;
        });
    }

    /** The bodies, as UTF-8 text, of up to {@code max} events taken in one committed transaction. */
    public static List<String> takeBodies(Channel channel, int max) {
        return TextEvents.bodies(take(channel, max));
    }

    /** The bodies of everything the channel holds, taken {@code perTransaction} at a time. */
    public static List<String> takeAllBodies(Channel channel, int perTransaction) {
        List<String> all = new ArrayList<>();
        for (List<String> batch; !(batch = takeBodies(channel, perTransaction)).isEmpty(); ) {
            all.addAll(batch);
        }
        return all;
    }
}

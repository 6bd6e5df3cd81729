package org.sluice.platform.runtime;

import org.sluice.api.channel.AbstractChannel;
import org.sluice.api.channel.AbstractTransaction;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.event.Event;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.platform.tap.TapPoint;

/**
 * What sources and sinks see of a channel: the plugin's channel, with Flume's put and take counters kept
 * here for every channel alike (attempts per call, successes on commit), so no plugin counts them itself.
 * Counts are gathered per thread and published once per transaction, off the per-event path. Events put and
 * taken are shown to the channel's taps ({@code sluice:tap}), which cost one volatile read when none is open.
 *
 * <p>The thread's {@link Pending} state is found once per transaction: {@link #getTransaction} hands it to the
 * transaction it returns, and callers that hold that transaction ({@link Transactions#putAll}, {@link SinkChannel})
 * put and take through it. It also holds the thread's transaction on the plugin's channel, when that is an
 * {@link AbstractChannel}, so a put or take goes straight to it instead of the channel finding it again.
 */
final class ManagedChannel implements Channel {

    /** The calling thread's state on this channel: its counts in its open transaction, and that transaction. */
    static final class Pending {
        /** The thread this state belongs to; only it reads or writes the rest. */
        final Thread owner = Thread.currentThread();
        /**
         * The thread's latest transaction on the plugin's channel, when put and take may go straight to it; null
         * otherwise. While it is open it is the one the plugin's channel would route to (AbstractChannel keeps a
         * thread's transaction until it is closed).
         */
        AbstractTransaction direct;
        /** The wrapper last handed to the thread: handed again while the plugin's channel returns the same transaction. */
        ManagedTransaction handed;
        long putAttempts;
        long takeAttempts;
        long puts;
        long takes;

        void reset() {
            putAttempts = 0;
            takeAttempts = 0;
            puts = 0;
            takes = 0;
        }

        boolean ownedByCurrentThread() {
            return owner == Thread.currentThread();
        }
    }

    /** This channel's transaction on the calling thread: the plugin's, with the thread's counts beside it. */
    final class ManagedTransaction implements Transaction {
        private final Pending ownerState;
        private final Transaction tx;

        private ManagedTransaction(Pending ownerState, Transaction tx) {
            this.ownerState = ownerState;
            this.tx = tx;
        }

        ManagedChannel channel() {
            return ManagedChannel.this;
        }

        /** The owner thread's state; on another thread (a misuse the plugin's transaction may refuse), that one's. */
        Pending pending() {
            return ownerState.ownedByCurrentThread() ? ownerState : pending.get();
        }

        @Override
        public void begin() {
            pending().reset();
            tx.begin();
        }

        @Override
        public void commit() {
            Pending p = pending();
            publishAttempts(p);
            tx.commit();
            if (p.puts > 0) {
                counters.add(ChannelCounter.EVENT_PUT_SUCCESS, p.puts);
            }
            if (p.takes > 0) {
                counters.add(ChannelCounter.EVENT_TAKE_SUCCESS, p.takes);
            }
            p.reset();
        }

        @Override
        public void rollback() {
            Pending p = pending();
            publishAttempts(p);
            p.reset();
            tx.rollback();
        }

        @Override
        public void close() {
            tx.close();
            Pending p = pending();
            if (p.handed == this) {
                // Kept by a thread that may outlive this channel: hold no closed transaction of the plugin's.
                p.handed = null;
                p.direct = null;
            }
        }
    }

    private final String name;
    private final Channel delegate;
    /**
     * Whether getTransaction, put and take of {@link #delegate} are AbstractChannel's own: put and take then only
     * route to the thread's open transaction, and may go to it directly.
     */
    private final boolean routesToTransaction;
    private final ComponentCounters counters;
    private final TapPoint tap;
    private final ThreadLocal<Pending> pending = ThreadLocal.withInitial(Pending::new);

    ManagedChannel(String name, Channel delegate, ComponentCounters counters, TapPoint tap) {
        this.name = name;
        this.delegate = delegate;
        this.routesToTransaction = routesToTransaction(delegate);
        this.counters = counters;
        this.tap = tap;
    }

    private static boolean routesToTransaction(Channel channel) {
        if (!(channel instanceof AbstractChannel)) {
            return false;
        }
        try {
            Class<?> type = channel.getClass();
            return type.getMethod("getTransaction").getDeclaringClass() == AbstractChannel.class
                    && type.getMethod("put", Event.class).getDeclaringClass() == AbstractChannel.class
                    && type.getMethod("take").getDeclaringClass() == AbstractChannel.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("a channel without getTransaction, put or take: " + channel.getClass(),
                    e);
        }
    }

    String name() {
        return name;
    }

    Channel delegate() {
        return delegate;
    }

    ComponentCounters counters() {
        return counters;
    }

    @Override
    public void put(Event event) throws ChannelException {
        put(pending.get(), event);
    }

    /** A put by the thread that owns {@code p}. */
    void put(Pending p, Event event) {
        p.putAttempts++;
        AbstractTransaction direct = p.direct;
        if (direct != null && direct.state() == AbstractTransaction.State.OPEN) {
            direct.put(event);
        } else {
            // No transaction, or not an open one: the plugin's channel says what is wrong.
            delegate.put(event);
        }
        p.puts++;
        tap.offer("put", event);
    }

    @Override
    public Event take() throws ChannelException {
        return take(pending.get());
    }

    /** A take by the thread that owns {@code p}. */
    Event take(Pending p) {
        p.takeAttempts++;
        AbstractTransaction direct = p.direct;
        Event event = direct != null && direct.state() == AbstractTransaction.State.OPEN
                ? direct.take()
                : delegate.take();
        if (event != null) {
            p.takes++;
            tap.offer("take", event);
        }
        return event;
    }

    @Override
    public ManagedTransaction getTransaction() {
        Transaction tx = delegate.getTransaction();
        Pending p = pending.get();
        ManagedTransaction handed = p.handed;
        if (handed == null || handed.tx != tx) {
            // The thread's open transaction is the same object until it is closed, as Channel#getTransaction says.
            handed = new ManagedTransaction(p, tx);
            p.handed = handed;
            p.direct = routesToTransaction && tx instanceof AbstractTransaction direct ? direct : null;
        }
        return handed;
    }

    private void publishAttempts(Pending p) {
        if (p.putAttempts > 0) {
            counters.add(ChannelCounter.EVENT_PUT_ATTEMPT, p.putAttempts);
            p.putAttempts = 0;
        }
        if (p.takeAttempts > 0) {
            counters.add(ChannelCounter.EVENT_TAKE_ATTEMPT, p.takeAttempts);
            p.takeAttempts = 0;
        }
    }

    @Override
    public String toString() {
        return "channel " + name;
    }
}

package org.sluice.platform.runtime;

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
 */
final class ManagedChannel implements Channel {

    /** The calling thread's puts and takes in its open transaction on this channel. */
    private static final class Pending {
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
    }

    private final String name;
    private final Channel delegate;
    private final ComponentCounters counters;
    private final TapPoint tap;
    private final ThreadLocal<Pending> pending = ThreadLocal.withInitial(Pending::new);

    ManagedChannel(String name, Channel delegate, ComponentCounters counters, TapPoint tap) {
        this.name = name;
        this.delegate = delegate;
        this.counters = counters;
        this.tap = tap;
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
        Pending p = pending.get();
        p.putAttempts++;
        delegate.put(event);
        p.puts++;
        tap.offer("put", event);
    }

    @Override
    public Event take() throws ChannelException {
        Pending p = pending.get();
        p.takeAttempts++;
        Event event = delegate.take();
        if (event != null) {
            p.takes++;
            tap.offer("take", event);
        }
        return event;
    }

    @Override
    public Transaction getTransaction() {
        Transaction tx = delegate.getTransaction();
        return new Transaction() {
            @Override
            public void begin() {
                pending.get().reset();
                tx.begin();
            }

            @Override
            public void commit() {
                Pending p = pending.get();
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
                Pending p = pending.get();
                publishAttempts(p);
                p.reset();
                tx.rollback();
            }

            @Override
            public void close() {
                tx.close();
            }
        };
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

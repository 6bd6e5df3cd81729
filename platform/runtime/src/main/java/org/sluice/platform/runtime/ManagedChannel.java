package org.sluice.platform.runtime;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.event.Event;
import org.sluice.platform.metrics.ComponentCounters;

/**
 * What sources and sinks see of a channel: the plugin's channel, with Flume's put and take counters kept
 * here for every channel alike (attempts per call, successes on commit), so no plugin counts them itself.
 */
final class ManagedChannel implements Channel {

    /** The calling thread's puts and takes in its open transaction on this channel. */
    private static final class Pending {
        long puts;
        long takes;
    }

    private final String name;
    private final Channel delegate;
    private final ComponentCounters counters;
    private final ThreadLocal<Pending> pending = ThreadLocal.withInitial(Pending::new);

    ManagedChannel(String name, Channel delegate, ComponentCounters counters) {
        this.name = name;
        this.delegate = delegate;
        this.counters = counters;
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
        counters.add(ChannelCounter.EVENT_PUT_ATTEMPT, 1);
        delegate.put(event);
        pending.get().puts++;
    }

    @Override
    public Event take() throws ChannelException {
        counters.add(ChannelCounter.EVENT_TAKE_ATTEMPT, 1);
        Event event = delegate.take();
        if (event != null) {
            pending.get().takes++;
        }
        return event;
    }

    @Override
    public Transaction getTransaction() {
        Transaction tx = delegate.getTransaction();
        return new Transaction() {
            @Override
            public void begin() {
                Pending p = pending.get();
                p.puts = 0;
                p.takes = 0;
                tx.begin();
            }

            @Override
            public void commit() {
                tx.commit();
                Pending p = pending.get();
                if (p.puts > 0) {
                    counters.add(ChannelCounter.EVENT_PUT_SUCCESS, p.puts);
                }
                if (p.takes > 0) {
                    counters.add(ChannelCounter.EVENT_TAKE_SUCCESS, p.takes);
                }
                p.puts = 0;
                p.takes = 0;
            }

            @Override
            public void rollback() {
                Pending p = pending.get();
                p.puts = 0;
                p.takes = 0;
                tx.rollback();
            }

            @Override
            public void close() {
                tx.close();
            }
        };
    }

    @Override
    public String toString() {
        return "channel " + name;
    }
}

package org.sluice.flume;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.ChannelFullException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.Event;

/**
 * A Flume channel of a plugin, run by Sluice. Puts, takes and transactions go straight to it (on the caller's thread,
 * where Flume's channels keep their thread's transaction); its exceptions reach Sluice as Sluice's, a full channel as
 * {@link ChannelFullException}, so a source answers its client as it would for a Sluice channel.
 */
final class FlumeChannelAdapter implements Channel {
    private final org.apache.flume.Channel channel;
    private final PluginCall call;

    FlumeChannelAdapter(org.apache.flume.Channel channel, PluginCall call) {
        this.channel = channel;
        this.call = call;
    }

    @Override
    public void start() {
        call.run(channel::start);
    }

    @Override
    public void stop() {
        try {
            call.run(channel::stop);
        } finally {
            call.counters().close();
        }
    }

    @Override
    public void put(Event event) {
        try {
            channel.put(FlumeEvents.toFlume(event));
        } catch (org.apache.flume.ChannelException e) {
            throw toSluice(e);
        }
    }

    @Override
    public Event take() {
        try {
            return FlumeEvents.toSluice(channel.take());
        } catch (org.apache.flume.ChannelException e) {
            throw toSluice(e);
        }
    }

    @Override
    public Transaction getTransaction() {
        org.apache.flume.Transaction transaction;
        try {
            transaction = channel.getTransaction();
        } catch (org.apache.flume.ChannelException e) {
            throw toSluice(e);
        }
        return new TransactionAdapter(transaction);
    }

    @Override
    public String toString() {
        return channel.toString();
    }

    static ChannelException toSluice(org.apache.flume.ChannelException e) {
        if (e instanceof org.apache.flume.ChannelFullException) {
            ChannelFullException full = new ChannelFullException(e.getMessage());
            full.initCause(e);
            return full;
        }
        return new ChannelException(e.getMessage(), e);
    }

    /** A Flume transaction under Sluice's interface. */
    private static final class TransactionAdapter implements Transaction {
        private final org.apache.flume.Transaction transaction;

        TransactionAdapter(org.apache.flume.Transaction transaction) {
            this.transaction = transaction;
        }

        @Override
        public void begin() {
            try {
                transaction.begin();
            } catch (org.apache.flume.ChannelException e) {
                throw toSluice(e);
            }
        }

        @Override
        public void commit() {
            try {
                transaction.commit();
            } catch (org.apache.flume.ChannelException e) {
                throw toSluice(e);
            }
        }

        @Override
        public void rollback() {
            try {
                transaction.rollback();
            } catch (org.apache.flume.ChannelException e) {
                throw toSluice(e);
            }
        }

        @Override
        public void close() {
            try {
                transaction.close();
            } catch (org.apache.flume.ChannelException e) {
                throw toSluice(e);
            }
        }
    }
}

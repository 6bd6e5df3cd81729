package org.sluice.flume;

import org.apache.flume.ChannelFullException;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;

/**
 * A Sluice channel as a Flume sink or selector sees it. Its lifecycle is the platform's: start and stop do nothing.
 * Sluice's channel exceptions reach Flume code as Flume's ({@code ChannelFullException} included), so a sink's
 * catch blocks work as they did in Flume.
 */
final class FlumeChannelView extends PlatformOwnedView implements org.apache.flume.Channel {
    private final Channel channel;

    FlumeChannelView(String name, Channel channel) {
        super("channel", name);
        this.channel = channel;
    }

    Channel sluiceChannel() {
        return channel;
    }

    @Override
    public void put(org.apache.flume.Event event) {
        try {
            channel.put(FlumeEvents.toSluice(event));
        } catch (ChannelException e) {
            throw toFlume(e);
        }
    }

    @Override
    public org.apache.flume.Event take() {
        try {
            return FlumeEvents.toFlume(channel.take());
        } catch (ChannelException e) {
            throw toFlume(e);
        }
    }

    @Override
    public org.apache.flume.Transaction getTransaction() {
        return new TransactionView(channel.getTransaction());
    }

    static org.apache.flume.ChannelException toFlume(ChannelException e) {
        if (e instanceof org.sluice.api.channel.ChannelFullException) {
            return new ChannelFullException(e.getMessage(), e);
        }
        return new org.apache.flume.ChannelException(e.getMessage(), e);
    }

    /** A Sluice transaction under Flume's interface. */
    private static final class TransactionView implements org.apache.flume.Transaction {
        private final Transaction transaction;

        TransactionView(Transaction transaction) {
            this.transaction = transaction;
        }

        @Override
        public void begin() {
            try {
                transaction.begin();
            } catch (ChannelException e) {
                throw toFlume(e);
            }
        }

        @Override
        public void commit() {
            try {
                transaction.commit();
            } catch (ChannelException e) {
                throw toFlume(e);
            }
        }

        @Override
        public void rollback() {
            try {
                transaction.rollback();
            } catch (ChannelException e) {
                throw toFlume(e);
            }
        }

        @Override
        public void close() {
            try {
                transaction.close();
            } catch (ChannelException e) {
                throw toFlume(e);
            }
        }
    }
}

package org.sluice.support.sink;

import java.util.ArrayList;
import java.util.List;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.Event;

/**
 * A channel for sink tests that fails where a test tells it to, as a broken channel would: its takes after a
 * number of good ones, its next commit, its rollbacks. The events live in the channel it wraps. It records
 * "commit" and "rollback" as they happen, for tests of their order. Shared through this module's test jar.
 */
public final class FaultyChannel implements Channel {
    private final Channel delegate;
    private final List<String> calls;
    private int goodTakes = Integer.MAX_VALUE;
    private boolean failNextCommit;
    private boolean failRollbacks;

    /** Recording into a list of its own. */
    public FaultyChannel(Channel delegate) {
        this(delegate, new ArrayList<>());
    }

    /** Recording into {@code calls}, which a test may share with what else it records. */
    public FaultyChannel(Channel delegate, List<String> calls) {
        this.delegate = delegate;
        this.calls = calls;
    }

    /** Takes fail after this many more good ones. */
    public FaultyChannel failTakesAfter(int good) {
        goodTakes = good;
        return this;
    }

    public FaultyChannel failNextCommit() {
        failNextCommit = true;
        return this;
    }

    /** Every rollback fails, after the wrapped channel rolled back. */
    public FaultyChannel failRollbacks() {
        failRollbacks = true;
        return this;
    }

    public List<String> calls() {
        return calls;
    }

    @Override
    public void put(Event event) {
        delegate.put(event);
    }

    @Override
    public Event take() {
        if (goodTakes <= 0) {
            throw new ChannelException("test: take failed");
        }
        goodTakes--;
        return delegate.take();
    }

    @Override
    public Transaction getTransaction() {
        Transaction transaction = delegate.getTransaction();
        return new Transaction() {
            @Override
            public void begin() {
                transaction.begin();
            }

            @Override
            public void commit() {
                if (failNextCommit) {
                    failNextCommit = false;
                    throw new ChannelException("test: commit failed");
                }
                transaction.commit();
                calls.add("commit");
            }

            @Override
            public void rollback() {
                calls.add("rollback");
                transaction.rollback();
                if (failRollbacks) {
                    throw new ChannelException("test: rollback failed");
                }
            }

            @Override
            public void close() {
                transaction.close();
            }
        };
    }
}

package org.sluice.testkit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.sluice.api.channel.AbstractChannel;
import org.sluice.api.channel.AbstractTransaction;
import org.sluice.api.channel.ChannelFullException;
import org.sluice.api.event.Event;

/**
 * A small transactional channel for sink and source tests: puts visible on commit, takes returned on
 * rollback, bounded by a capacity.
 */
public final class TestChannel extends AbstractChannel {
    private final Deque<Event> queue = new ArrayDeque<>();
    private final int capacity;
    private int commits;
    private int rollbacks;

    public TestChannel(int capacity) {
        this.capacity = capacity;
    }

    public synchronized int size() {
        return queue.size();
    }

    public synchronized int commits() {
        return commits;
    }

    public synchronized int rollbacks() {
        return rollbacks;
    }

    /** Puts events in one committed transaction, as a source would. */
    public void putCommitted(List<Event> events) {
        var tx = getTransaction();
        tx.begin();
        try {
            events.forEach(this::put);
            tx.commit();
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        } finally {
            tx.close();
        }
    }

    /** Takes everything left in one committed transaction. */
    public List<Event> drain() {
        List<Event> out = new ArrayList<>();
        var tx = getTransaction();
        tx.begin();
        try {
            for (Event e = take(); e != null; e = take()) {
                out.add(e);
            }
            tx.commit();
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        } finally {
            tx.close();
        }
        return out;
    }

    @Override
    protected AbstractTransaction createTransaction() {
        return new AbstractTransaction() {
            private final List<Event> puts = new ArrayList<>();
            private final List<Event> takes = new ArrayList<>();

            @Override
            protected void doPut(Event event) {
                puts.add(event);
            }

            @Override
            protected Event doTake() {
                synchronized (TestChannel.this) {
                    Event e = queue.pollFirst();
                    if (e != null) {
                        takes.add(e);
                    }
                    return e;
                }
            }

            @Override
            protected void doCommit() {
                synchronized (TestChannel.this) {
                    if (queue.size() + puts.size() > capacity) {
                        throw new ChannelFullException("test channel full");
                    }
                    queue.addAll(puts);
                    commits++;
                }
            }

            @Override
            protected void doRollback() {
                synchronized (TestChannel.this) {
                    for (int i = takes.size() - 1; i >= 0; i--) {
                        queue.addFirst(takes.get(i));
                    }
                    rollbacks++;
                }
            }
        };
    }
}

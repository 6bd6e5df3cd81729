package org.sluice.api.testkit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.sluice.api.channel.AbstractChannel;
import org.sluice.api.channel.AbstractTransaction;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.ChannelFullException;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.event.Event;

/**
 * A small transactional channel for sink and source tests that keeps the channel contract
 * ({@link org.sluice.api.testkit.channel.ChannelContract}, which its own tests run): puts visible on commit,
 * takes returned to the head on rollback in their order, at most {@code capacity} events held counting those
 * taken by open transactions, a commit that does not fit refused at once with ChannelFullException, puts
 * refused once stopped while what it holds can still be taken. Takes never wait. It counts its commits and
 * rollbacks, so a test can tell that a sink rolled back.
 */
public final class TestChannel extends AbstractChannel {
    private final Deque<Event> queue = new ArrayDeque<>();
    private final String name;
    private final int capacity;
    private final ChannelCounter counter;
    /** Events taken by open transactions: out of the queue, still counted against the capacity. */
    private int outstanding;
    private boolean stopped;
    private int commits;
    private int rollbacks;

    public TestChannel(int capacity) {
        this("test", capacity, new MapCounters());
    }

    /** A channel named {@code name} that publishes its ChannelCapacity and ChannelSize gauges to {@code counter}. */
    public TestChannel(String name, int capacity, ChannelCounter counter) {
        this.name = name;
        this.capacity = capacity;
        this.counter = counter;
        counter.setChannelCapacity(capacity);
        counter.setChannelSize(0);
    }

    @Override
    public synchronized void stop() {
        stopped = true;
    }

    /** Events held, including those taken by open transactions. */
    public synchronized int size() {
        return queue.size() + outstanding;
    }

    public synchronized int commits() {
        return commits;
    }

    public synchronized int rollbacks() {
        return rollbacks;
    }

    /** Puts events in one committed transaction, as a source would. */
    public void putCommitted(List<Event> events) {
        ChannelTransactions.putCommitted(this, events);
    }

    /** Takes everything left in one committed transaction. */
    public List<Event> drain() {
        return ChannelTransactions.take(this, Integer.MAX_VALUE);
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
                    Event event = queue.pollFirst();
                    if (event != null) {
                        takes.add(event);
                        outstanding++;
                    }
                    return event;
                }
            }

            @Override
            protected void doCommit() {
                synchronized (TestChannel.this) {
                    if (!puts.isEmpty()) {
                        if (stopped) {
                            throw new ChannelException(TestChannel.this + " is stopped: the put of " + puts.size()
                                    + " events is refused");
                        }
                        // The transaction's own takes leave with this commit: their room is the puts'.
                        if (queue.size() + outstanding - takes.size() + puts.size() > capacity) {
                            throw new ChannelFullException(TestChannel.this + " is full");
                        }
                    }
                    queue.addAll(puts);
                    outstanding -= takes.size();
                    commits++;
                    counter.setChannelSize(queue.size() + outstanding);
                }
                puts.clear();
                takes.clear();
            }

            @Override
            protected void doRollback() {
                synchronized (TestChannel.this) {
                    for (int i = takes.size() - 1; i >= 0; i--) {
                        queue.addFirst(takes.get(i));
                    }
                    outstanding -= takes.size();
                    rollbacks++;
                }
                puts.clear();
                takes.clear();
            }
        };
    }

    @Override
    public String toString() {
        return "test channel " + name + " (capacity " + capacity + ")";
    }
}

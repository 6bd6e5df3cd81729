package org.sluice.channel.jdbc;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.AbstractChannel;
import org.sluice.api.channel.AbstractTransaction;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.ChannelFullException;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.support.collections.LongRing;

/**
 * Flume's JDBC channel. Every committed event is a row of the database ({@link Database}); the heap holds
 * only the queue of the rows' sequence numbers, in commit order. A put commit inserts its events and a take
 * commit deletes its events in one database transaction each, so a commit returns once Derby has forced its
 * log: committed puts survive any crash, committed takes never come back, uncommitted work leaves no trace.
 *
 * <p>Takers find events through the in-memory queue, never by scanning the tables, so an uncommitted insert
 * is invisible whatever {@code transaction.isolation} says, and two takers never contend for one row.
 */
final class JdbcChannel extends AbstractChannel {
    static final String LOGGER = "org.apache.flume.channel.jdbc.JdbcChannel";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    /** Same as the memory channel: a transaction's first take waits at most this long on an empty queue. */
    static final long MAX_TAKE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final String name;
    private final Database database;
    private final long maximumCapacity;
    private final Map<String, String> systemProperties;
    private final ChannelCounter counter;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition eventsQueued = lock.newCondition();
    // Guarded by lock.
    private LongRing queue = new LongRing();
    /** Events taken by open transactions: out of the queue, still in the database and in the capacity. */
    private int reserved;
    /** Puts of commits under way: counted against maximum.capacity from before their insert. */
    private long pending;
    private long nextSeq = 1;
    /**
     * Events whose take commit failed inside the database's commit call: that commit may have happened, so
     * such an event's row may be gone when it is taken again. Only for these is a missing row not a loss.
     */
    private final Set<Long> doubtful = new HashSet<>();
    private boolean running;

    JdbcChannel(String name, Database database, long maximumCapacity, Map<String, String> systemProperties,
            ChannelCounter counter) {
        this.name = name;
        this.database = database;
        this.maximumCapacity = maximumCapacity;
        this.systemProperties = systemProperties;
        this.counter = counter;
    }

    @Override
    public void start() {
        systemProperties.forEach((key, value) -> {
            String previous = System.setProperty(key, value);
            if (previous != null && !previous.equals(value)) {
                LOG.warn("Channel {}: sysprop.{} changes the JVM's system property {} from '{}' to '{}'; Derby "
                        + "reads its properties when its engine boots, so other channels may see either", name, key,
                        key, previous, value);
            }
        });
        if ("test".equalsIgnoreCase(System.getProperty("derby.system.durability"))) {
            LOG.warn("Channel {}: derby.system.durability=test: Derby does not force its log at commit, so "
                    + "committed events may be lost in a crash of the machine", name);
        }
        LongRing loaded;
        try {
            loaded = database.open();
        } catch (SQLException e) {
            throw new ChannelException("jdbc channel " + name + ": cannot open its database", e);
        }
        lock.lock();
        try {
            queue = loaded;
            nextSeq = loaded.size() == 0 ? 1 : loaded.peekLast() + 1;
            running = true;
        } finally {
            lock.unlock();
        }
        LOG.info("Channel {}: {} events in the database", name, loaded.size());
        publishGauges();
    }

    @Override
    public void stop() {
        lock.lock();
        try {
            running = false;
            eventsQueued.signalAll();
        } finally {
            lock.unlock();
        }
        database.close();
        publishGauges();
    }

    @Override
    protected AbstractTransaction createTransaction() {
        return new JdbcTransaction(this, database, name);
    }

    void checkRunning() {
        lock.lock();
        try {
            if (!running) {
                throw new ChannelException("jdbc channel " + name + " is not running");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next event's sequence number for a take, or -1 when there is none; a transaction's first take
     * waits up to {@link #MAX_TAKE_WAIT_NANOS} for one, so a sink that has caught up picks up the next
     * commit at once rather than backing off.
     */
    long reserve(boolean wait) {
        lock.lock();
        try {
            if (!running) {
                throw new ChannelException("jdbc channel " + name + " is not running");
            }
            long nanos = wait ? MAX_TAKE_WAIT_NANOS : 0L;
            while (queue.size() == 0 && running && nanos > 0L) {
                nanos = eventsQueued.awaitNanos(nanos);
            }
            if (queue.size() == 0) {
                return -1;
            }
            reserved++;
            return queue.pollFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A reserved event whose row is gone leaves the queue for good; true if a take commit of unknown outcome
     * explains it, false if the row was lost (the tables were changed outside the channel).
     */
    boolean vanished(long seq) {
        lock.lock();
        try {
            reserved--;
            return doubtful.remove(seq);
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code seqs[0..count)} back to the head of the queue, in their order (a rollback). */
    void giveBack(long[] seqs, int count) {
        if (count == 0) {
            return;
        }
        lock.lock();
        try {
            queue.addFirst(seqs, 0, count);
            reserved -= count;
            eventsQueued.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes room for a put commit of {@code puts} events in a transaction that took {@code takes} (their
     * room is freed by the same commit) and returns the first of the sequence numbers given to the puts.
     */
    long admit(int puts, int takes) {
        lock.lock();
        try {
            if (!running) {
                throw new ChannelException("jdbc channel " + name + " is not running");
            }
            long held = queue.size() + reserved + pending;
            if (maximumCapacity > 0 && held + puts - takes > maximumCapacity) {
                throw new ChannelFullException("jdbc channel " + name + " is full: maximum.capacity = "
                        + maximumCapacity + " events, " + held + " held, no room for " + (puts - takes)
                        + " more; the sinks are likely not keeping up with the sources");
            }
            pending += puts;
            long first = nextSeq;
            nextSeq += puts;
            return first;
        } finally {
            lock.unlock();
        }
    }

    /** The database committed: the puts join the tail, the takes are gone. */
    void committed(long first, int puts, int takes) {
        lock.lock();
        try {
            pending -= puts;
            for (long seq = first; seq < first + puts; seq++) {
                queue.addLast(seq);
            }
            reserved -= takes;
            if (puts > 0) {
                eventsQueued.signalAll();
            }
            counter.setChannelSize(queue.size() + reserved);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A commit failed: its room is released. When the database's own commit call failed, the commit may
     * still have happened; the takes are marked so that their missing rows are recognised later. The puts of
     * such a commit, if they did reach the disk, are in the queue again after the next start (a duplicate of
     * the put the source retries, within Flume's at-least-once contract).
     */
    void commitFailed(int puts, long[] takes, int takeCount, boolean outcomeUnknown) {
        lock.lock();
        try {
            pending -= puts;
            if (outcomeUnknown) {
                for (int i = 0; i < takeCount; i++) {
                    doubtful.add(takes[i]);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Events held: queued, or taken by transactions that have not committed yet. */
    int size() {
        lock.lock();
        try {
            return queue.size() + reserved;
        } finally {
            lock.unlock();
        }
    }

    private void publishGauges() {
        counter.setChannelCapacity(maximumCapacity);
        counter.setChannelSize(size());
    }

    @Override
    public String toString() {
        return "jdbc channel " + name + " (maximum.capacity " + maximumCapacity + ")";
    }
}

package org.sluice.channel.memory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.ChannelFullException;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.event.Event;

/**
 * The memory channel's shared state: the queued events and the accounting of room, under one lock that is
 * taken once per put transaction and once per batch of takes, never per put.
 *
 * <p>Room is counted as Flume counts it. An event taken in an open transaction is out of the queue but
 * keeps its place in {@code capacity} and its bytes in {@code byteCapacity} until the take commits, so a
 * rollback can always put it back. Bytes are counted in Flume's 100-byte slots of body
 * ({@link #byteSlotsOf}).
 */
final class EventStore {

    /**
     * The longest a take waits on an empty queue. Long enough to ride out the gap between two put commits of
     * a busy source, short enough that stopping a sink that waits in a take is not held up (Flume waits the
     * whole keep-alive, 3 s by default, on every take).
     */
    static final long MAX_TAKE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** Flume counts event bodies in slots of this many bytes; an empty body takes one slot. */
    static final int BYTES_PER_SLOT = 100;

    private final String channelName;
    private final int capacity;
    private final long byteCapacitySlots;
    private final long keepAliveNanos;
    private final ChannelCounter counter;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when committed takes free room, for put commits waiting up to keep-alive. */
    private final Condition roomFreed = lock.newCondition();
    /** Signalled when events join the queue, for takes waiting up to keep-alive on an empty one. */
    private final Condition eventsQueued = lock.newCondition();
    /** Takes waiting on {@link #eventsQueued}; commits signal only when there is one. */
    private int waitingTakes;
    /** Set when the channel stops: takes no longer wait, so what is left can be emptied at once. */
    private boolean stopped;
    private final EventRing queue;
    /** Events taken out of {@link #queue} by transactions that have not committed yet. */
    private int outstanding;
    /** Byte slots of the events queued or outstanding. */
    private long usedByteSlots;

    EventStore(String channelName, int capacity, long byteCapacitySlots, long keepAliveNanos,
            ChannelCounter counter) {
        this.channelName = channelName;
        this.capacity = capacity;
        this.byteCapacitySlots = byteCapacitySlots;
        this.keepAliveNanos = keepAliveNanos;
        this.counter = counter;
        this.queue = new EventRing(capacity);
    }

    /** Computed once, when the event is put; the store keeps it beside the event until the take commits. */
    static int byteSlotsOf(Event event) {
        int length = event.getBody().length;
        return length == 0 ? 1 : (length + BYTES_PER_SLOT - 1) / BYTES_PER_SLOT;
    }

    /**
     * Moves up to {@code max} events from the head of the queue, with their byte slots, into {@code into} from
     * position {@code offset} on, for a take transaction, and returns how many; they stay counted against
     * capacity until {@link #commit} or {@link #giveBack}.
     */
    int reserve(EventBuffer into, int offset, int max, boolean waitForEvents) {
        lock.lock();
        try {
            if (waitForEvents) {
                awaitEvents();
            }
            int reserved = queue.pollFirst(into, offset, max);
            outstanding += reserved;
            return reserved;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, the lock held, up to keep-alive (at most {@link #MAX_TAKE_WAIT_NANOS}) for an event while the
     * queue is empty and the channel runs, as Flume's take does: a sink that has caught up with its sources then takes the next batch as it comes
     * instead of reporting BACKOFF and sleeping. An interrupt (a runner being stopped) ends the wait.
     */
    private void awaitEvents() {
        long nanos = Math.min(keepAliveNanos, MAX_TAKE_WAIT_NANOS);
        waitingTakes++;
        try {
            while (queue.size() == 0 && !stopped && nanos > 0L) {
                nanos = eventsQueued.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waitingTakes--;
        }
    }

    /**
     * After this, takes never wait and puts are refused; wakes the takes and puts that wait. The runtime hands a
     * stopped channel's events to its successor, so an event put into it afterwards (by a source thread that
     * outlived its source's stop) would be acknowledged and then lost.
     */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            eventsQueued.signalAll();
            roomFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Puts reserved events {@code from..to} (exclusive) of {@code events} back at the head of the queue, in order. */
    void giveBack(EventBuffer events, int from, int to) {
        if (from == to) {
            return;
        }
        lock.lock();
        try {
            queue.addFirst(events, from, to);
            outstanding -= to - from;
            signalQueued();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Commits one transaction atomically: the first {@code handed} of its {@code reserved} events are gone,
     * the rest go back to the head of the queue, and the first {@code putCount} of {@code puts} join the tail. When the puts
     * need more room than is free, waits up to keep-alive for takes to free it; if they do not, throws
     * and changes nothing, so the caller can roll back.
     */
    void commit(EventBuffer puts, int putCount, long putByteSlots, EventBuffer reservedEvents, int handed,
            int reserved, long handedByteSlots) {
        lock.lock();
        try {
            if (putCount > 0) {
                awaitRoom(putCount - handed, putByteSlots - handedByteSlots);
            }
            if (reserved > handed) {
                queue.addFirst(reservedEvents, handed, reserved);
            }
            outstanding -= reserved;
            usedByteSlots -= handedByteSlots;
            if (putCount > 0) {
                queue.addLast(puts, putCount);
                usedByteSlots += putByteSlots;
            }
            if (putCount > 0 || reserved > handed) {
                signalQueued();
            }
            if (handed > 0) {
                roomFreed.signalAll();
            }
            // Published under the lock so that gauge updates from racing commits cannot land out of order.
            counter.setChannelSize(queue.size() + outstanding);
        } finally {
            lock.unlock();
        }
    }

    private void signalQueued() {
        if (waitingTakes > 0) {
            eventsQueued.signalAll();
        }
    }

    /** Waits until {@code events} more events and {@code byteSlots} more byte slots fit; the lock is held. */
    private void awaitRoom(int events, long byteSlots) {
        long nanos = keepAliveNanos;
        try {
            while (true) {
                // Before the room check: the hand-over after stop() empties the channel, and a put that waited
                // for room must not then fit into the stopped instance.
                refuseIfStopped(events);
                boolean countFits = events <= capacity - queue.size() - outstanding;
                boolean bytesFit = byteSlots <= byteCapacitySlots - usedByteSlots;
                if (countFits && bytesFit) {
                    return;
                }
                if (nanos <= 0L) {
                    throw full(countFits, events);
                }
                nanos = roomFreed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelException("memory channel " + channelName
                    + ": interrupted while waiting for room to commit " + events + " events", e);
        }
    }

    private void refuseIfStopped(int events) {
        if (stopped) {
            throw new ChannelException("memory channel " + channelName + " is stopped: the put of " + events
                    + " events is refused (the events it held went to its successor, and these would be lost)");
        }
    }

    private ChannelFullException full(boolean countFits, int events) {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(keepAliveNanos);
        if (!countFits) {
            return new ChannelFullException("memory channel " + channelName + " is full: no room for " + events
                    + " more events within keep-alive " + seconds + " s (capacity " + capacity + ", "
                    + (queue.size() + outstanding) + " held); the sinks are likely not keeping up with the sources");
        }
        return new ChannelFullException("memory channel " + channelName + " has reached its byteCapacity ("
                + byteCapacitySlots * BYTES_PER_SLOT + " bytes of event bodies after the buffer percentage) within "
                + "keep-alive " + seconds + " s; increase byteCapacity or the heap, or the sinks are not keeping up");
    }

    /** Events held: queued, or taken by transactions that have not committed yet. */
    int size() {
        lock.lock();
        try {
            return queue.size() + outstanding;
        } finally {
            lock.unlock();
        }
    }

    long usedByteSlots() {
        lock.lock();
        try {
            return usedByteSlots;
        } finally {
            lock.unlock();
        }
    }

    void publishGauges() {
        counter.setChannelCapacity(capacity);
        counter.setChannelSize(size());
    }

    int capacity() {
        return capacity;
    }
}

package org.sluice.channel.spillable;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
import org.sluice.api.event.Event;
import org.sluice.support.collections.LongRing;

/**
 * Flume's spillable memory channel. A put commit goes to memory when memory has room (memoryCapacity events
 * and byteCapacity bytes of bodies) and otherwise, after waiting up to overflowTimeout seconds for room
 * (not at all while the overflow is in use), to the overflow log ({@link OverflowLog}), where its commit
 * returns once the record is forced. {@link DrainOrder} keeps takes in FIFO order across both. Every event
 * has a sequence number, written with it in the overflow, so that the events saved from memory at a clean
 * stop take their places again among the overflow's at the next start.
 *
 * <p>What survives: a crash of the process or the machine keeps the overflow's committed events and loses
 * those in memory, as in Flume. A clean stop (agent shutdown, configuration change, plugin update) writes the
 * memory's events to the overflow log first, so it loses nothing (Flume loses them).
 */
final class SpillableChannel extends AbstractChannel {
    static final String LOGGER = "org.apache.flume.channel.SpillableMemoryChannel";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    /** Sluice's counter: damaged overflow records or events skipped at recovery or at a take. */
    static final String CORRUPT_RECORDS = "CorruptRecordCount";
    /** Same as the memory channel: a transaction's first take waits at most this long on an empty channel. */
    static final long MAX_TAKE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Events per record when memory is saved at stop, so that no record grows past what one buffer holds. */
    private static final int SAVE_BATCH = 1000;

    /** What the factory read from the configuration. */
    record Settings(int memoryCapacity, long overflowCapacity, long overflowTimeoutNanos, long byteCapacitySlots,
            int bytesPerSlot, int transactionCapacity, long minimumRequiredSpace, boolean fsyncPerTransaction,
            int fsyncIntervalSeconds) {
    }

    /** An event in memory with its sequence number. */
    record Held(Event event, long seq, long slots) {
    }

    /** Where a put commit goes, with what it reserved. */
    record Decision(boolean overflow, long firstSeq, int count, long slots) {
    }

    private final String name;
    private final Settings settings;
    private final OverflowLog log;
    private final ChannelCounter counter;
    private ScheduledExecutorService syncer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roomFreed = lock.newCondition();
    private final Condition eventsQueued = lock.newCondition();
    // Guarded by lock.
    private final ArrayDeque<Held> memory = new ArrayDeque<>();
    private LongRing overflow = new LongRing();
    private final DrainOrder drain = new DrainOrder();
    private int memoryReserved;
    private int memoryPending;
    /** Byte slots of the memory's events, queued or taken by open transactions. */
    private long memorySlots;
    private long memoryPendingSlots;
    private long overflowReserved;
    private long overflowPending;
    private long nextSeq = 1;
    /** Set by a spill, cleared when the overflow is empty: meanwhile puts do not wait for memory. */
    private boolean overflowActivated;
    private boolean running;

    SpillableChannel(String name, Settings settings, OverflowLog log, ChannelCounter counter) {
        this.name = name;
        this.settings = settings;
        this.log = log;
        this.counter = counter;
    }

    String name() {
        return name;
    }

    Settings settings() {
        return settings;
    }

    OverflowLog log() {
        return log;
    }

    @Override
    public void start() {
        OverflowLog.Recovered recovered;
        try {
            recovered = log.open();
        } catch (IOException | RuntimeException e) {
            // Releases the directory locks, so that a retried start can take them again.
            log.close();
            throw new ChannelException("spillable memory channel " + name + ": cannot open its overflow", e);
        }
        if (recovered.damagedRecords() > 0) {
            counter.add(CORRUPT_RECORDS, recovered.damagedRecords());
        }
        lock.lock();
        try {
            overflow = new LongRing();
            for (long pointer : recovered.pointers()) {
                overflow.addLast(pointer);
            }
            drain.clear();
            drain.addLast(true, overflow.size());
            overflowActivated = overflow.size() > 0;
            nextSeq = recovered.nextSeq();
            running = true;
        } finally {
            lock.unlock();
        }
        if (!settings.fsyncPerTransaction()) {
            syncer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "spillable-" + name + "-fsync");
                thread.setDaemon(true);
                return thread;
            });
            syncer.scheduleWithFixedDelay(this::syncQuietly, settings.fsyncIntervalSeconds(),
                    settings.fsyncIntervalSeconds(), TimeUnit.SECONDS);
        }
        LOG.info("Channel {}: {} events recovered from the overflow", name, recovered.pointers().length);
        publishGauges();
    }

    private void syncQuietly() {
        try {
            log.sync();
        } catch (IOException e) {
            // The log is now refusing records: the next spill or overflow take fails and says so.
            LOG.error("Channel {}: the periodic force of the overflow failed", name, e);
        }
    }

    /**
     * Stops taking puts and takes, then saves the memory's queued events to the overflow log with their
     * sequence numbers, so a clean stop keeps them. Events taken by transactions still open are theirs: the
     * platform stops the sinks, which commit or roll back, before it stops a channel.
     */
    @Override
    public void stop() {
        List<Held> saved;
        lock.lock();
        try {
            if (!running) {
                return;
            }
            running = false;
            roomFreed.signalAll();
            eventsQueued.signalAll();
            saved = new ArrayList<>(memory);
            memory.clear();
        } finally {
            lock.unlock();
        }
        if (syncer != null) {
            syncer.shutdownNow();
        }
        try {
            for (int from = 0; from < saved.size(); from += SAVE_BATCH) {
                List<Held> batch = saved.subList(from, Math.min(saved.size(), from + SAVE_BATCH));
                List<Event> events = new ArrayList<>(batch.size());
                long[] seqs = new long[batch.size()];
                for (int i = 0; i < batch.size(); i++) {
                    events.add(batch.get(i).event());
                    seqs[i] = batch.get(i).seq();
                }
                log.append(events, seqs, new long[0], 0, new long[batch.size()]);
            }
            if (!saved.isEmpty()) {
                log.sync();
                LOG.info("Channel {}: saved the {} events in memory to the overflow for the next start", name,
                        saved.size());
            }
        } catch (IOException e) {
            LOG.error("Channel {}: saving the {} events in memory to the overflow failed; they are lost", name,
                    saved.size(), e);
        } finally {
            log.close();
            publishGauges();
        }
    }

    @Override
    protected AbstractTransaction createTransaction() {
        return new SpillableTransaction(this);
    }

    void checkRunning() {
        lock.lock();
        try {
            if (!running) {
                throw new ChannelException("spillable memory channel " + name + " is not running");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reserves the next event for a take: a {@link Held} from memory, or a Long pointer into the overflow,
     * or null when there is none. A transaction's first take waits briefly for one.
     */
    Object reserve(boolean wait) {
        lock.lock();
        try {
            if (!running) {
                throw new ChannelException("spillable memory channel " + name + " is not running");
            }
            long nanos = wait ? MAX_TAKE_WAIT_NANOS : 0L;
            while (drain.isEmpty() && running && nanos > 0L) {
                nanos = eventsQueued.awaitNanos(nanos);
            }
            if (drain.isEmpty() || !running) {
                return null;
            }
            boolean fromOverflow = drain.headIsOverflow();
            drain.consumeHead();
            if (fromOverflow) {
                overflowReserved++;
                return overflow.pollFirst();
            }
            memoryReserved++;
            return memory.pollFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** An overflow event that cannot be read: it leaves the channel, and the caller's transaction fails. */
    void dropDamaged(long pointer, IOException cause) {
        lock.lock();
        try {
            overflowReserved--;
        } finally {
            lock.unlock();
        }
        log.taken(new long[] {pointer}, 1);
        counter.add(CORRUPT_RECORDS, 1);
        LOG.error("Channel {}: the overflow event at {} is damaged and lost", name, log.describe(pointer), cause);
    }

    /**
     * Decides where a put commit of {@code count} events goes and reserves the room; the transaction's own
     * memory takes ({@code memoryTakes}, {@code memoryTakeSlots}) and overflow takes free theirs in the same
     * commit. Waits up to overflowTimeout for memory room unless the overflow is in use.
     */
    Decision decide(int count, long slots, int memoryTakes, long memoryTakeSlots, int overflowTakes) {
        lock.lock();
        try {
            if (!running) {
                throw new ChannelException("spillable memory channel " + name + " is not running");
            }
            if (settings.memoryCapacity() > 0) {
                long nanos = overflowActivated ? 0L : settings.overflowTimeoutNanos();
                while (true) {
                    boolean countFits = memory.size() + memoryReserved + memoryPending + count - memoryTakes
                            <= settings.memoryCapacity();
                    boolean bytesFit = memorySlots + memoryPendingSlots + slots - memoryTakeSlots
                            <= settings.byteCapacitySlots();
                    if (countFits && bytesFit) {
                        memoryPending += count;
                        memoryPendingSlots += slots;
                        return new Decision(false, take(count), count, slots);
                    }
                    if (nanos <= 0L) {
                        if (settings.overflowCapacity() == 0) {
                            throw new ChannelFullException("spillable memory channel " + name + ": memory is full ("
                                    + (countFits ? "byteCapacity" : "memoryCapacity = " + settings.memoryCapacity()
                                    + " events") + ") after overflowTimeout and the overflow is disabled "
                                    + "(overflowCapacity = 0); raise memoryCapacity or byteCapacity, or enable "
                                    + "the overflow");
                        }
                        break;
                    }
                    nanos = roomFreed.awaitNanos(nanos);
                    if (!running) {
                        throw new ChannelException("spillable memory channel " + name + " stopped during a commit");
                    }
                }
            } else if (settings.overflowCapacity() == 0) {
                throw new ChannelFullException("spillable memory channel " + name
                        + ": memoryCapacity and overflowCapacity are both 0, the channel holds nothing");
            }
            long held = overflow.size() + overflowReserved + overflowPending;
            if (held + count - overflowTakes > settings.overflowCapacity()) {
                throw new ChannelFullException("spillable memory channel " + name + " is full: memory has no room "
                        + "and the overflow holds " + held + " of overflowCapacity = " + settings.overflowCapacity()
                        + " events; the sinks are likely not keeping up with the sources");
            }
            overflowPending += count;
            overflowActivated = true;
            return new Decision(true, take(count), count, slots);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelException("spillable memory channel " + name + ": interrupted waiting for room", e);
        } finally {
            lock.unlock();
        }
    }

    private long take(int count) {
        long first = nextSeq;
        nextSeq += count;
        return first;
    }

    /** A commit failed before it changed anything: what it reserved is free again. */
    void release(Decision decision) {
        if (decision == null) {
            return;
        }
        lock.lock();
        try {
            if (decision.overflow()) {
                overflowPending -= decision.count();
            } else {
                memoryPending -= decision.count();
                memoryPendingSlots -= decision.slots();
            }
            roomFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The commit is durable where it needs to be: its puts join the tail, its takes are gone. */
    void apply(Decision decision, List<Event> puts, long[] slots, long[] putPointers, int memoryTakes,
            long memoryTakeSlots, int overflowTakes) {
        lock.lock();
        try {
            if (decision != null) {
                if (decision.overflow()) {
                    for (int i = 0; i < decision.count(); i++) {
                        overflow.addLast(putPointers[i]);
                    }
                    overflowPending -= decision.count();
                } else {
                    for (int i = 0; i < decision.count(); i++) {
                        memory.addLast(new Held(puts.get(i), decision.firstSeq() + i, slots[i]));
                    }
                    memoryPending -= decision.count();
                    memoryPendingSlots -= decision.slots();
                    memorySlots += decision.slots();
                }
                drain.addLast(decision.overflow(), decision.count());
                eventsQueued.signalAll();
            }
            memoryReserved -= memoryTakes;
            memorySlots -= memoryTakeSlots;
            overflowReserved -= overflowTakes;
            if (overflow.size() + overflowReserved + overflowPending == 0) {
                overflowActivated = false;
            }
            if (memoryTakes + overflowTakes > 0) {
                roomFreed.signalAll();
            }
            counter.setChannelSize(sizeLocked());
        } finally {
            lock.unlock();
        }
    }

    /**
     * A rollback: the taken events go back to the heads of their stores and the drain order, so that the
     * first one taken is the next one again. {@code fromOverflow[i]} says where the i-th take came from.
     */
    void giveBack(List<Held> memoryTaken, long[] overflowTaken, int overflowCount, boolean[] fromOverflow,
            int takes) {
        if (takes == 0) {
            return;
        }
        lock.lock();
        try {
            for (int i = memoryTaken.size() - 1; i >= 0; i--) {
                memory.addFirst(memoryTaken.get(i));
            }
            overflow.addFirst(overflowTaken, 0, overflowCount);
            for (int i = takes - 1; i >= 0; i--) {
                drain.addFirst(fromOverflow[i], 1);
            }
            memoryReserved -= memoryTaken.size();
            overflowReserved -= overflowCount;
            eventsQueued.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private long sizeLocked() {
        return memory.size() + memoryReserved + overflow.size() + overflowReserved;
    }

    /** Events held: in memory or the overflow, including those taken by open transactions. */
    long size() {
        lock.lock();
        try {
            return sizeLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Events in memory, including those taken by open transactions. */
    int memorySize() {
        lock.lock();
        try {
            return memory.size() + memoryReserved;
        } finally {
            lock.unlock();
        }
    }

    private void publishGauges() {
        counter.setChannelCapacity(settings.memoryCapacity() + settings.overflowCapacity());
        counter.setChannelSize(size());
    }

    @Override
    public String toString() {
        return "spillable memory channel " + name + " (memoryCapacity " + settings.memoryCapacity()
                + ", overflowCapacity " + settings.overflowCapacity() + ")";
    }
}

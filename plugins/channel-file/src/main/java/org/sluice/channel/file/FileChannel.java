package org.sluice.channel.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.AbstractChannel;
import org.sluice.api.channel.AbstractTransaction;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.ChannelFullException;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.event.Event;
import org.sluice.support.collections.LongList;
import org.sluice.support.collections.LongRing;
import org.sluice.support.log.AppendLog;
import org.sluice.support.log.CorruptRecordException;
import org.sluice.support.log.DirectoryLock;
import org.sluice.support.log.FileOpener;
import org.sluice.support.log.LogFile;

/**
 * Flume's file channel. Committed events live in append-only data files (see {@link Records}); the heap
 * holds only a queue of pointers to their PUT records. A commit returns once its records are forced to the
 * disk; concurrent commits share forces ({@link LogFile#syncTo}). The queue is checkpointed every
 * checkpointInterval, and a start loads the checkpoint and replays the data files after it.
 *
 * <p>Locks, always taken in this order: {@link #checkpointLock} (read by each commit from its write to the
 * data file until its effect is in the queue, write by a checkpoint for the instant of its snapshot, so a
 * snapshot never holds a transaction that is in the files but not in the queue, or the reverse), a
 * {@link AppendLog.Writer} (one append at a time per file), {@link #lock} (the queue and the room).
 */
final class FileChannel extends AbstractChannel {
    static final String LOGGER = "org.apache.flume.channel.file.FileChannel";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    /** Flume's names for the checkpoint failure counters. */
    static final String CHECKPOINT_WRITE_ERRORS = "CheckpointWriteErrorCount";
    static final String CHECKPOINT_BACKUP_WRITE_ERRORS = "CheckpointBackupWriteErrorCount";
    /** Sluice's: records found damaged at recovery or at a take, and skipped. */
    static final String CORRUPT_RECORDS = "CorruptRecordCount";

    /** Same as the memory channel: a take waits at most this long on an empty queue, so stops stay quick. */
    static final long MAX_TAKE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int KEPT_BUFFER_BYTES = 1 << 20;

    /** What the factory read from the configuration. */
    record Settings(Path checkpointDir, Path backupCheckpointDir, List<Path> dataDirs, int capacity,
            int transactionCapacity, long checkpointIntervalMillis, long maxFileSize, long minimumRequiredSpace,
            boolean checkpointOnClose, long keepAliveNanos, boolean fsyncPerTransaction, int fsyncIntervalSeconds,
            Encryption encryption) {
    }

    private final String name;
    private final Settings settings;
    private final ChannelCounter counter;
    private final DataLog.SpaceProbe probe;
    private final FileOpener opener;

    private final ReentrantReadWriteLock checkpointLock = new ReentrantReadWriteLock();
    private final Object checkpointing = new Object();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roomFreed = lock.newCondition();
    private final Condition eventsQueued = lock.newCondition();

    // Guarded by lock.
    private final LongRing queue = new LongRing(1024);
    /** Events taken by open transactions. */
    private int outstanding;
    /** Room promised to put commits that are writing. */
    private int reservedRoom;
    private int waitingTakes;
    /** Queued or outstanding events per data file id: a file at zero can go after the next checkpoint. */
    private final Map<Integer, Integer> liveEvents = new HashMap<>();
    /** Transactions holding takes, whose events a checkpoint must keep. */
    private final Set<FileTransaction> takers = Collections.newSetFromMap(new IdentityHashMap<>());

    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger nextWriter = new AtomicInteger();
    private final ThreadLocal<ByteBuffer> buffers = new ThreadLocal<>();
    private volatile boolean open;
    /** Where the last start recovered from, for the log and tests. */
    private volatile String recoveredFrom = "";
    private DataLog log;
    private ScheduledExecutorService scheduler;
    private final List<DirectoryLock> locks = new ArrayList<>();

    /** The settings this channel was made with, after the factory applied Flume's bounds. */
    Settings settings() {
        return settings;
    }

    FileChannel(String name, Settings settings, ChannelCounter counter, DataLog.SpaceProbe probe, FileOpener opener) {
        this.name = name;
        this.settings = settings;
        this.counter = counter;
        this.probe = probe;
        this.opener = opener;
    }

    // ---------------------------------------------------------------------------------------------- lifecycle

    @Override
    public void start() throws IOException {
        long began = System.nanoTime();
        try {
            List<Path> lockDirs = new ArrayList<>();
            lockDirs.add(settings.checkpointDir());
            if (settings.backupCheckpointDir() != null) {
                lockDirs.add(settings.backupCheckpointDir());
            }
            lockDirs.addAll(settings.dataDirs());
            for (Path dir : lockDirs) {
                lock(dir);
            }
            // A Flume channel's events in these directories become this channel's, once, before anything is read.
            FlumeTakeover.Result takeover = new FlumeTakeover(name, settings, opener, probe).run();
            if (takeover.imported() > 0 || takeover.source() != null) {
                LOG.info("Channel {}: took over {} events from {}{}", name, takeover.imported(), takeover.source(),
                        takeover.lost() > 0 ? "; " + takeover.lost() + " events were lost to the damage logged above"
                                : "");
                if (takeover.lost() > 0) {
                    counter.add(CORRUPT_RECORDS, takeover.lost());
                }
            }
            log = new DataLog(name, settings.dataDirs(), settings.maxFileSize(), settings.encryption(), opener);
            Checkpoint.Loaded chosen = Checkpoint.choose(logged(Checkpoint.load(settings.checkpointDir())),
                    () -> settings.backupCheckpointDir() == null ? null
                            : logged(Checkpoint.load(settings.backupCheckpointDir())));
            Checkpoint checkpoint = chosen == null ? null : chosen.checkpoint();
            String source = chosen == null ? "a full replay of the data files"
                    : chosen.dir().equals(settings.checkpointDir()) ? "the checkpoint in " + chosen.dir()
                    : "the backup checkpoint in " + chosen.dir();
            if (checkpoint != null) {
                log.reserveIdsBelow(checkpoint.nextFileId());
            }
            Replay.Result result = new Replay(name, log, checkpoint).run();
            // Before anything is taken: a key missing for queued events fails the start, naming it, rather
            // than every take of them.
            log.requireKeys(result.queue());
            lock.lock();
            try {
                for (long pointer : result.queue()) {
                    queue.addLast(pointer);
                    liveEvents.merge(AppendLog.fileId(pointer), 1, Integer::sum);
                }
            } finally {
                lock.unlock();
            }
            sequence.set(result.maxSequence());
            recoveredFrom = source;
            if (result.corruptRecords() > 0) {
                counter.add(CORRUPT_RECORDS, result.corruptRecords());
            }
            if (result.queue().length > settings.capacity()) {
                LOG.warn("Channel {}: recovered {} events, more than its capacity {}; puts wait until sinks "
                        + "take the excess", name, result.queue().length, settings.capacity());
            }
            open = true;
            publishGauges();
            LOG.info("Channel {}: recovered {} events from {} plus {} transactions replayed{}{} in {} ms", name,
                    result.queue().length, source, result.transactions(),
                    result.corruptRecords() > 0 ? ", " + result.corruptRecords() + " damaged records skipped" : "",
                    result.droppedPointers() > 0 ? ", " + result.droppedPointers() + " events in missing files lost"
                            : "",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
            // A fresh checkpoint makes the next start fast and lets files no longer referenced go.
            checkpoint();
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "file-channel-" + name);
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::scheduledCheckpoint, settings.checkpointIntervalMillis(),
                    settings.checkpointIntervalMillis(), TimeUnit.MILLISECONDS);
            if (!settings.fsyncPerTransaction()) {
                scheduler.scheduleWithFixedDelay(this::flush, settings.fsyncIntervalSeconds(),
                        settings.fsyncIntervalSeconds(), TimeUnit.SECONDS);
            }
        } catch (IOException | RuntimeException e) {
            open = false;
            release();
            throw e;
        }
    }

    /** Logs why a checkpoint is absent or not usable; never fatal: the backup or a full replay still recovers. */
    private Checkpoint.Loaded logged(Checkpoint.Loaded loaded) {
        if (loaded.absent()) {
            LOG.info("Channel {}: no checkpoint in {}", name, loaded.dir());
        } else if (loaded.failure() instanceof Checkpoint.InvalidException) {
            LOG.error("Channel {}: {}; recovering without it", name, loaded.failure().getMessage());
        } else if (loaded.failure() != null) {
            LOG.error("Channel {}: cannot read the checkpoint in {}; recovering without it", name, loaded.dir(),
                    loaded.failure());
        }
        return loaded;
    }

    private void lock(Path dir) throws IOException {
        try {
            locks.add(DirectoryLock.acquire(dir));
        } catch (DirectoryLock.InUseException e) {
            throw new ChannelException("channel " + name + ": directory " + dir + " is in use by another file "
                    + "channel (its in_use.lock is held); two channels must not share checkpoint or data directories",
                    e);
        }
    }

    @Override
    public void stop() {
        lock.lock();
        try {
            open = false;
            eventsQueued.signalAll();
            roomFreed.signalAll();
        } finally {
            lock.unlock();
        }
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("Channel {}: a checkpoint did not finish within 30 s of stop", name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (log != null && settings.checkpointOnClose()) {
            try {
                checkpoint();
            } catch (IOException | RuntimeException e) {
                // Nothing is lost: the next start replays the data files from the previous checkpoint.
                LOG.error("Channel {}: checkpoint on close failed; the next start replays more of the data files",
                        name, e);
            }
        }
        release();
        publishGauges();
        LOG.info("Channel {} stopped with {} events", name, size());
    }

    private void release() {
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                LOG.error("Channel {}: closing the data files failed", name, e);
            }
        }
        for (DirectoryLock held : locks) {
            try {
                held.close();
            } catch (IOException e) {
                LOG.warn("Channel {}: releasing {} failed", name, held, e);
            }
        }
        locks.clear();
    }

    // ---------------------------------------------------------------------------------------------- transactions

    @Override
    protected AbstractTransaction createTransaction() {
        ByteBuffer buffer = buffers.get();
        if (buffer == null) {
            buffer = ByteBuffer.allocate(4096);
        } else {
            buffers.remove();
            buffer.clear();
        }
        return new FileTransaction(this, sequence.incrementAndGet(), settings.transactionCapacity(),
                settings.maxFileSize() - (settings.encryption() == null ? Records.FILE_HEADER : Records.MAX_FILE_HEADER),
                buffer);
    }

    /** Bytes a commit adds to a transaction's PUT records: its TAKE records and the COMMIT record. */
    long commitOverhead(int puts, int takes) {
        return (long) takes * (Records.RECORD_HEADER + Records.TAKE_PAYLOAD) + Records.RECORD_HEADER
                + Records.COMMIT_PAYLOAD;
    }

    void release(FileTransaction tx) {
        if (tx.records.capacity() <= KEPT_BUFFER_BYTES) {
            buffers.set(tx.records);
        }
    }

    Event take(FileTransaction tx) {
        ensureOpen("take");
        while (true) {
            long pointer;
            lock.lock();
            try {
                if (queue.size() == 0 && tx.taken.size() == 0) {
                    awaitEvents();
                }
                if (queue.size() == 0 || !open) {
                    return null;
                }
                pointer = queue.pollFirst();
                outstanding++;
                tx.taken.add(pointer);
                takers.add(tx);
            } finally {
                lock.unlock();
            }
            try {
                return log.read(pointer);
            } catch (CorruptRecordException e) {
                // The event cannot be read back; the take stays in the transaction, so its commit removes
                // the damaged record from the queue instead of blocking every later event behind it.
                counter.add(CORRUPT_RECORDS, 1);
                LOG.error("Channel {}: {}; the event is lost and skipped", name, e.getMessage());
            } catch (IOException e) {
                throw new ChannelException(this + ": cannot read the event at " + Records.describe(pointer), e);
            }
            if (tx.taken.size() == settings.transactionCapacity()) {
                return null;
            }
        }
    }

    private void awaitEvents() {
        long nanos = Math.min(settings.keepAliveNanos(), MAX_TAKE_WAIT_NANOS);
        waitingTakes++;
        try {
            while (queue.size() == 0 && open && nanos > 0L) {
                nanos = eventsQueued.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waitingTakes--;
        }
    }

    void commit(FileTransaction tx) {
        ensureOpen("commit");
        int puts = tx.putCount;
        int takes = tx.taken.size();
        if (puts == 0 && takes == 0) {
            return;
        }
        AppendLog.Writer writer = log.writer(Math.floorMod(nextWriter.getAndIncrement(), log.writerCount()));
        if (puts > 0) {
            checkSpace(writer);
            reserveRoom(puts - takes);
        }
        boolean applied = false;
        checkpointLock.readLock().lock();
        try {
            ByteBuffer records = finishRecords(tx);
            AppendLog.Appended appended;
            try {
                appended = log.append(writer, records, tx.putOffsets, tx.putCount);
            } catch (IOException e) {
                throw new ChannelException(this + ": writing the transaction to " + writer.directory()
                        + " failed; roll it back", e);
            }
            if (settings.fsyncPerTransaction()) {
                try {
                    appended.file().syncTo(appended.end());
                } catch (IOException e) {
                    // Written but not known to be on the disk: the commit fails. Its PUT records were encrypted in
                    // the transaction's buffer for that file; back to the clear, so that a retry writes them right.
                    log.undoEncryption(appended, tx.records, tx.putOffsets, tx.putCount);
                    throw new ChannelException(this + ": forcing the transaction to " + appended.file().path()
                            + " failed; roll it back", e);
                }
            }
            apply(tx, appended);
            applied = true;
        } finally {
            checkpointLock.readLock().unlock();
            if (!applied && puts > 0) {
                releaseRoom(puts - takes);
            }
        }
    }

    /**
     * The transaction's records for its commit: its PUT records, then a TAKE record per take and the COMMIT record,
     * which are written after the PUT records in its buffer but not kept there: a commit retried after a failure
     * writes them once again, not twice.
     */
    private ByteBuffer finishRecords(FileTransaction tx) {
        int putsEnd = tx.records.position();
        long[] taken = tx.taken.toArray();
        long needed = tx.records.position() + commitOverhead(tx.putCount, taken.length);
        if (tx.records.capacity() < needed) {
            ByteBuffer grown = ByteBuffer.allocate((int) needed);
            tx.records.flip();
            grown.put(tx.records);
            tx.records = grown;
        }
        for (long pointer : taken) {
            Records.writeTake(tx.records, tx.txId, pointer);
        }
        Records.writeCommit(tx.records, tx.txId, sequence.incrementAndGet(), tx.putCount, taken.length);
        ByteBuffer records = tx.records.duplicate().flip();
        tx.records.position(putsEnd);
        return records;
    }

    private void apply(FileTransaction tx, AppendLog.Appended appended) {
        lock.lock();
        try {
            long[] taken = tx.taken.toArray();
            for (long pointer : taken) {
                liveEvents.merge(AppendLog.fileId(pointer), -1, Integer::sum);
            }
            outstanding -= taken.length;
            takers.remove(tx);
            tx.taken.clear();
            int fileId = appended.file().id();
            for (int i = 0; i < tx.putCount; i++) {
                queue.addLast(AppendLog.pointer(fileId, appended.start() + tx.putOffsets[i]));
            }
            if (tx.putCount > 0) {
                liveEvents.merge(fileId, tx.putCount, Integer::sum);
                reservedRoom -= Math.max(0, tx.putCount - taken.length);
                if (waitingTakes > 0) {
                    eventsQueued.signalAll();
                }
            }
            if (taken.length > 0) {
                roomFreed.signalAll();
            }
            counter.setChannelSize(queue.size() + outstanding);
        } finally {
            lock.unlock();
        }
    }

    void rollback(FileTransaction tx) {
        lock.lock();
        try {
            long[] taken = tx.taken.toArray();
            if (taken.length > 0) {
                queue.addFirst(taken, 0, taken.length);
                outstanding -= taken.length;
                takers.remove(tx);
                tx.taken.clear();
                if (waitingTakes > 0) {
                    eventsQueued.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void checkSpace(AppendLog.Writer writer) {
        long usable;
        try {
            usable = probe.usableSpace(writer.directory());
        } catch (IOException e) {
            throw new ChannelException(this + ": cannot tell the free space of " + writer.directory(), e);
        }
        if (usable < settings.minimumRequiredSpace()) {
            // Refused before anything is written, so a full disk never leaves half a record; puts resume on
            // their own once space is freed.
            throw new ChannelException("file channel " + name + ": only " + usable + " bytes free in "
                    + writer.directory() + ", below minimumRequiredSpace " + settings.minimumRequiredSpace()
                    + "; puts are refused until space is freed");
        }
    }

    private void reserveRoom(int events) {
        lock.lock();
        try {
            long nanos = settings.keepAliveNanos();
            while (events > settings.capacity() - queue.size() - outstanding - reservedRoom) {
                if (!open) {
                    throw new ChannelException(this + " stopped while a commit waited for room");
                }
                if (nanos <= 0L) {
                    throw new ChannelFullException("file channel " + name + " is full: no room for " + events
                            + " more events within keep-alive " + TimeUnit.NANOSECONDS.toSeconds(
                                    settings.keepAliveNanos()) + " s (capacity " + settings.capacity() + ", "
                            + (queue.size() + outstanding) + " held); the sinks are likely not keeping up");
                }
                nanos = roomFreed.awaitNanos(nanos);
            }
            reservedRoom += Math.max(0, events);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelException(this + ": interrupted while waiting for room", e);
        } finally {
            lock.unlock();
        }
    }

    private void releaseRoom(int events) {
        lock.lock();
        try {
            reservedRoom -= Math.max(0, events);
            roomFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen(String operation) {
        if (!open) {
            throw new ChannelException(this + " is not running: " + operation + " refused");
        }
    }

    // ---------------------------------------------------------------------------------------------- checkpoints

    private void scheduledCheckpoint() {
        try {
            checkpoint();
        } catch (IOException | RuntimeException e) {
            // Nothing is lost: the data files hold every committed transaction; the next checkpoint retries.
            LOG.error("Channel {}: checkpoint failed; retried in {} ms", name, settings.checkpointIntervalMillis(),
                    e);
        }
    }

    private void flush() {
        for (int i = 0; i < log.writerCount(); i++) {
            try {
                log.writer(i).flush();
            } catch (IOException e) {
                LOG.error("Channel {}: forcing the data files of {} failed; transactions committed since the last "
                        + "force are not on the disk yet", name, log.writer(i).directory(), e);
            }
        }
    }

    /** Writes a checkpoint of the queue, then deletes the data files it no longer needs. */
    void checkpoint() throws IOException {
        synchronized (checkpointing) {
            Checkpoint checkpoint;
            List<Integer> unreferenced = new ArrayList<>();
            Map<Integer, LogFile> activeFiles = new LinkedHashMap<>();
            checkpointLock.writeLock().lock();
            try {
                Map<Integer, Long> offsets = new LinkedHashMap<>();
                for (int i = 0; i < log.writerCount(); i++) {
                    LogFile file = log.writer(i).current();
                    if (file != null) {
                        offsets.put(file.id(), file.written());
                        activeFiles.put(file.id(), file);
                    }
                }
                lock.lock();
                try {
                    LongList pointers = new LongList();
                    // Events in open take transactions are still in the channel: first, as a rollback would put them.
                    for (FileTransaction taker : takers) {
                        for (long pointer : taker.taken.toArray()) {
                            pointers.add(pointer);
                        }
                    }
                    for (long pointer : queue.toArray()) {
                        pointers.add(pointer);
                    }
                    for (Integer id : log.files().keySet()) {
                        if (!activeFiles.containsKey(id) && liveEvents.getOrDefault(id, 0) <= 0) {
                            unreferenced.add(id);
                        }
                    }
                    checkpoint = new Checkpoint(sequence.get(), log.nextFileId(), offsets, pointers.toArray());
                } finally {
                    lock.unlock();
                }
            } finally {
                checkpointLock.writeLock().unlock();
            }
            // With fsyncPerTransaction = false the files may not be on the disk up to the snapshot yet; a
            // checkpoint must never point past what is.
            for (Map.Entry<Integer, LogFile> active : activeFiles.entrySet()) {
                active.getValue().syncTo(checkpoint.activeOffsets().get(active.getKey()));
            }
            try {
                checkpoint.write(settings.checkpointDir());
            } catch (IOException e) {
                counter.add(CHECKPOINT_WRITE_ERRORS, 1);
                throw e;
            }
            if (settings.backupCheckpointDir() != null) {
                try {
                    checkpoint.write(settings.backupCheckpointDir());
                } catch (IOException e) {
                    counter.add(CHECKPOINT_BACKUP_WRITE_ERRORS, 1);
                    // Files stay until a backup is written too, so the older backup can still be replayed.
                    LOG.error("Channel {}: writing the backup checkpoint to {} failed; data files are kept until "
                            + "it succeeds", name, settings.backupCheckpointDir(), e);
                    return;
                }
            }
            lock.lock();
            try {
                unreferenced.removeIf(id -> liveEvents.getOrDefault(id, 0) > 0);
                unreferenced.forEach(liveEvents::remove);
            } finally {
                lock.unlock();
            }
            for (int id : unreferenced) {
                log.delete(id);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- gauges

    private void publishGauges() {
        counter.setChannelCapacity(settings.capacity());
        counter.setChannelSize(size());
    }

    /** Events held, including those taken by transactions not committed yet. */
    int size() {
        lock.lock();
        try {
            return queue.size() + outstanding;
        } finally {
            lock.unlock();
        }
    }

    String recoveredFrom() {
        return recoveredFrom;
    }

    /** Data file ids on disk, for tests. */
    Set<Integer> dataFileIds() {
        return log.files().keySet();
    }

    @Override
    public String toString() {
        return "file channel " + name;
    }
}

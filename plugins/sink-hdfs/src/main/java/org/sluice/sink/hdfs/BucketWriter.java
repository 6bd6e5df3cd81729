package org.sluice.sink.hdfs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.event.Event;

/**
 * One file of a bucket (a resolved directory and file prefix), from its creation under the in-use name to its
 * rename to the final name: Flume's BucketWriter. Events are appended to a list and written, with an hflush,
 * in one Hadoop call within {@code hdfs.callTimeout} when the batch is flushed; the file says when it reached
 * {@code hdfs.rollCount} or {@code hdfs.rollSize}, and runs its own {@code hdfs.rollInterval} and
 * {@code hdfs.idleTimeout} timers. Closing renames it; a close or rename that fails is left for a retry, never
 * deleted, except a file that never held a flushed event.
 *
 * <p>Guarded by the sink's lock while open; once handed to the retries only the retry task touches it.
 */
final class BucketWriter {
    /** Flume's logger name, so log configurations written for Flume still apply. */
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.sink.hdfs.BucketWriter");

    /** What every file of a sink shares. */
    record Shared(Hadoop hadoop, FileFormat format, SinkCounter counter, String sinkName, long rollSize,
            long rollCount, long callTimeoutMillis) {
    }

    final String bucket;
    final Path inUsePath;
    final Path finalPath;
    private final Shared shared;
    private FileFormat.Writer writer;
    private long events;
    private long bytes;
    /** Events written and hflushed: a file without any holds nothing a committed batch relies on. */
    private long flushedEvents;
    /**
     * The batch's events for this file, not handed to Hadoop yet: they are written in one call with the hflush,
     * rather than one call (a thread hand-off with a time limit) per event.
     */
    private final List<Event> pending = new ArrayList<>();
    private boolean closed;
    /** Left in use by an earlier run: its lease is recovered (HDFS) before the rename. */
    private boolean leftover;
    private int renameAttempts;
    private ScheduledFuture<?> rollTimer;
    private ScheduledFuture<?> idleTimer;
    /** The {@link FileFormat#fileKey} of the file's events, set by the first. */
    private Object key;

    private BucketWriter(String bucket, Path inUsePath, Path finalPath, Shared shared) {
        this.bucket = bucket;
        this.inUsePath = inUsePath;
        this.finalPath = finalPath;
        this.shared = shared;
    }

    /** Creates the file under its in-use name (never over an existing file). */
    static BucketWriter create(String bucket, Path inUsePath, Path finalPath, Shared shared) throws IOException {
        BucketWriter file = new BucketWriter(bucket, inUsePath, finalPath, shared);
        FileSystem fs = shared.hadoop.fileSystem(inUsePath);
        try {
            file.writer = shared.hadoop.call("create " + inUsePath,
                    () -> shared.format.create(fs, inUsePath, shared.hadoop.conf()));
        } catch (IOException | RuntimeException e) {
            shared.counter.incrementConnectionFailedCount();
            throw e;
        }
        shared.counter.incrementConnectionCreatedCount();
        LOG.debug("hdfs sink {} opened {}", shared.sinkName, file);
        return file;
    }

    /** An in-use file an earlier run left behind: not ours to close, only to rename once its lease is recovered. */
    static BucketWriter leftover(Path inUsePath, Path finalPath, Shared shared) {
        BucketWriter file = new BucketWriter(null, inUsePath, finalPath, shared);
        file.closed = true;
        file.leftover = true;
        return file;
    }

    /** Whether the event may go into this file: it has the key of the file's first event (an Avro schema). */
    boolean accepts(Event event) {
        return events == 0 || java.util.Objects.equals(key, shared.format.fileKey(event));
    }

    /** Takes the event into the batch; it reaches the file at the next {@link #flush()}. */
    void append(Event event) {
        if (events == 0) {
            key = shared.format.fileKey(event);
        }
        pending.add(event);
        events++;
        bytes += event.getBody().length;
    }

    /** Whether the file holds hdfs.rollCount events or hdfs.rollSize bytes of bodies, and is to be closed. */
    boolean reachedRollSize() {
        return (shared.rollCount > 0 && events >= shared.rollCount)
                || (shared.rollSize > 0 && bytes >= shared.rollSize);
    }

    /** Writes the pending events and hflushes the file, in one Hadoop call within hdfs.callTimeout. */
    void flush() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        FileFormat.Writer out = writer;
        List<Event> batch = pending;
        shared.hadoop.call("write " + batch.size() + " events to " + this + " and hflush it", () -> {
            for (Event event : batch) {
                out.append(event);
            }
            out.sync();
            return null;
        });
        flushedEvents += batch.size();
        batch.clear();
    }

    /** After a failed batch: its events not written yet go back to the channel, not into this file. */
    void discardPending() {
        pending.clear();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Closes (if not closed yet) and renames to the final name; false if either failed and is to be retried. The
     * rename is tried even when the close failed: on HDFS it first has the NameNode recover the lease, which
     * closes the file with what its DataNodes hold. A file that never held a flushed event is deleted instead.
     */
    boolean closeAndRename() {
        cancelTimers();
        boolean wasClosed = tryClose();
        if (flushedEvents == 0 && !leftover && wasClosed && deleteEmpty()) {
            return true;
        }
        return rename();
    }

    private boolean tryClose() {
        if (closed) {
            return true;
        }
        FileFormat.Writer out = writer;
        try {
            shared.hadoop.call("close " + this, () -> {
                out.close();
                return null;
            });
            closed = true;
            shared.counter.incrementConnectionClosedCount();
            LOG.debug("hdfs sink {} closed {}", shared.sinkName, this);
            return true;
        } catch (IOException | RuntimeException e) {
            shared.counter.incrementConnectionFailedCount();
            LOG.warn("hdfs sink {} could not close {}; will retry (its flushed batches are in HDFS): {}",
                    shared.sinkName, this, e.toString());
            return false;
        }
    }

    /**
     * A file whose every batch was rolled back (the first event could not be written) holds no event anyone
     * relies on: removed, rather than left behind, empty, at every failed attempt.
     */
    private boolean deleteEmpty() {
        try {
            FileSystem fs = shared.hadoop.fileSystem(inUsePath);
            shared.hadoop.call("delete the empty " + this, () -> fs.delete(inUsePath, false));
            LOG.debug("hdfs sink {} deleted {}: no event was written to it", shared.sinkName, this);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("hdfs sink {} could not delete the empty {}; renaming it: {}", shared.sinkName, this,
                    e.toString());
            return false;
        }
    }

    /** Renames a closed file to its final name; false if that failed and should be retried. */
    private boolean rename() {
        renameAttempts++;
        try {
            FileSystem fs = shared.hadoop.fileSystem(inUsePath);
            return shared.hadoop.call("rename " + this + " to " + finalPath, () -> {
                if (fs instanceof DistributedFileSystem dfs && (!closed || leftover)) {
                    // The stream could not be closed, or its writer is gone: let the NameNode close it, so the
                    // rename moves a complete file.
                    recoverLease(dfs);
                }
                if (inUsePath.equals(finalPath)) {
                    return true;
                }
                if (fs.rename(inUsePath, finalPath)) {
                    LOG.debug("hdfs sink {} renamed {} to {}", shared.sinkName, this, finalPath);
                    return true;
                }
                if (!fs.exists(inUsePath) && fs.exists(finalPath)) {
                    return true; // an earlier attempt did it, though its answer was lost
                }
                if (fs.exists(finalPath)) {
                    throw new FinalNameTaken(finalPath + " exists already; " + this + " is left as it is");
                }
                throw new IOException("the file system refused to rename " + this + " to " + finalPath);
            });
        } catch (FinalNameTaken e) {
            // Never overwritten, and no retry can change that: the data stays under the in-use name.
            LOG.error("hdfs sink {}: {}", shared.sinkName, e.getMessage());
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("hdfs sink {} could not rename {} to {} (attempt {}): {}", shared.sinkName, this, finalPath,
                    renameAttempts, e.toString());
            return false;
        }
    }

    /** How many renames were tried, for hdfs.closeTries. */
    int renameAttempts() {
        return renameAttempts;
    }

    /** A rename whose target exists: another writer used the name (two sinks sharing a directory and prefix). */
    private static final class FinalNameTaken extends IOException {
        private static final long serialVersionUID = 1L;

        FinalNameTaken(String message) {
            super(message);
        }
    }

    /**
     * Asks the NameNode to recover the file's lease and waits for the file to be closed, within most of one
     * hdfs.callTimeout (block recovery takes a DataNode heartbeat or two); if it is not closed by then the
     * rename is retried later.
     */
    private void recoverLease(DistributedFileSystem dfs) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(shared.callTimeoutMillis * 8 / 10);
        if (dfs.recoverLease(inUsePath)) {
            return;
        }
        while (!dfs.isFileClosed(inUsePath)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("lease recovery of " + inUsePath + " is still under way");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted during lease recovery of " + inUsePath);
            }
        }
    }

    /** hdfs.rollInterval: {@code roll} runs once, that many seconds after the file was opened. */
    void scheduleRoll(ScheduledExecutorService timers, long seconds, Runnable roll) {
        rollTimer = timers.schedule(roll, seconds, TimeUnit.SECONDS);
    }

    /** hdfs.idleTimeout: {@code close} runs that many seconds after the last batch, unless another comes first. */
    void restartIdleTimer(ScheduledExecutorService timers, long seconds, Runnable close) {
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        idleTimer = timers.schedule(close, seconds, TimeUnit.SECONDS);
    }

    private void cancelTimers() {
        if (rollTimer != null) {
            rollTimer.cancel(false);
        }
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
    }

    @Override
    public String toString() {
        return inUsePath.toString();
    }
}

package org.sluice.support.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import org.slf4j.Logger;

/**
 * A file of an {@link AppendLog} being appended to, with group commit: committers append under their
 * {@link AppendLog.Writer}'s lock, then call {@link #syncTo} with the end of what they wrote. One of them forces
 * the file while the others wait; a force covers everything appended before it began, so every committer that
 * appended meanwhile is released by it or by the next one, and N concurrent commits cost about two forces, not N.
 *
 * <p>A failed force fails the file for good: after an fsync error the operating system may have dropped the
 * unwritten pages and a later fsync would report success without them, so nothing appended after the last good
 * force may be acknowledged. Every waiter for such records fails, and the writer starts a new file.
 */
public final class LogFile {
    private final int id;
    private final Path path;
    /** Where its first record goes, after the file header. */
    private final long recordsStart;
    private final FileChannel channel;
    /** The owning plugin's logger, so that its log configuration applies. */
    private final Logger log;

    /** Bytes appended; written under the writer's lock, read by forcers without it. */
    private volatile long written;

    // Guarded by this.
    private long forced;
    private boolean forcing;
    private boolean closed;
    /** Why a force failed; records past {@link #forced} are never acknowledged once it is set. Written under this. */
    private volatile IOException failure;

    private LogFile(int id, Path path, long recordsStart, FileChannel channel, Logger log) {
        this.id = id;
        this.log = log;
        this.path = path;
        this.recordsStart = recordsStart;
        this.channel = channel;
        this.written = recordsStart;
    }

    /**
     * Creates the file with its header (which may be empty); the caller forces the directory so that the new name
     * is durable.
     */
    static LogFile create(int id, Path path, ByteBuffer header, FileOpener opener, Logger log) throws IOException {
        FileChannel channel = opener.open(path, FileOpener.Purpose.CREATE);
        int length = header.remaining();
        try {
            while (header.hasRemaining()) {
                channel.write(header, length - header.remaining());
            }
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return new LogFile(id, path, length, channel, log);
    }

    public int id() {
        return id;
    }

    public Path path() {
        return path;
    }

    public long recordsStart() {
        return recordsStart;
    }

    /** Where the next record goes. */
    public long written() {
        return written;
    }

    /** Whether a force failed: the file takes no more records. */
    public boolean failed() {
        return failure != null;
    }

    /**
     * Appends {@code records} at the end; the caller holds the writer's lock. A failed write is cut off the file
     * again, so that what follows starts at a record boundary; if even that fails the file must be retired by the
     * caller ({@link RetireException}).
     */
    void append(ByteBuffer records) throws IOException {
        long start = written;
        long position = start;
        try {
            while (records.hasRemaining()) {
                position += channel.write(records, position);
            }
        } catch (IOException e) {
            try {
                channel.truncate(start);
            } catch (IOException truncating) {
                e.addSuppressed(truncating);
                throw new RetireException(e);
            }
            throw e;
        }
        written = position;
    }

    /** Returns once the file is on the disk at least up to {@code end}. */
    public void syncTo(long end) throws IOException {
        boolean interrupted = false;
        try {
            synchronized (this) {
                while (forced < end) {
                    if (failure != null) {
                        throw new IOException(path + " could not be forced: what was appended after offset "
                                + forced + " may not be on the disk", failure);
                    }
                    if (closed) {
                        throw new IOException(path + " was closed before offset " + end + " was forced");
                    }
                    if (!forcing) {
                        break;
                    }
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // A commit waiting for its force must not return early: its caller would think it failed
                        // while the records may reach the disk. Keep waiting; restore the flag after.
                        interrupted = true;
                    }
                }
                if (forced >= end) {
                    return;
                }
                forcing = true;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        // Everything appended before this read is covered by the force below.
        long target = written;
        IOException failed = null;
        try {
            channel.force(false);
        } catch (IOException e) {
            failed = e;
        }
        synchronized (this) {
            forcing = false;
            if (failed == null) {
                forced = Math.max(forced, target);
            } else {
                failure = failed;
            }
            notifyAll();
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** Forces everything and closes; waiters for offsets already forced are released by the force. */
    void close() throws IOException {
        try {
            syncTo(written);
        } finally {
            synchronized (this) {
                closed = true;
                notifyAll();
            }
            channel.close();
        }
    }

    /**
     * Retires a file that takes no more records (a write that could not be cut off, a failed force): what was
     * appended before is forced if the disk lets us (those commits then succeed), then the file is closed.
     */
    void abandon() {
        try {
            syncTo(written);
        } catch (IOException e) {
            // The commits waiting on this file get the failure from their own syncTo; nothing is acknowledged.
            log.error("Could not force {} before retiring it; commits waiting on it fail", path, e);
        }
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing in the file's unforced tail is relied on: its commits failed.
            log.warn("Could not close the retired file {}", path, e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }

    /** The file could not be restored to a record boundary after a failed write and must not be appended to. */
    public static final class RetireException extends IOException {
        private static final long serialVersionUID = 1L;

        RetireException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }
}

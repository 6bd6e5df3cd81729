package org.sluice.channel.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data file being appended to, with group commit: committers append under their {@link LogWriter}'s lock,
 * then call {@link #syncTo} with the end of what they wrote. One of them forces the file while the others
 * wait; a force covers everything appended before it began, so every committer that appended meanwhile is
 * released by it or by the next one, and N concurrent commits cost about two forces, not N.
 */
final class LogFile {
    private static final Logger LOG = LoggerFactory.getLogger(DataLog.LOGGER);

    final int id;
    final Path path;
    /** The key its PUT records are encrypted with; null: an unencrypted file. */
    final Encryption.FileKey key;
    /** Where its first record goes, after the file header. */
    final long recordsStart;
    private final FileChannel channel;

    /** Bytes appended; written under the writer's lock, read by forcers without it. */
    private volatile long written;

    // Guarded by this.
    private long forced;
    private boolean forcing;
    private boolean closed;

    private LogFile(int id, Path path, Encryption.FileKey key, long recordsStart, FileChannel channel) {
        this.id = id;
        this.path = path;
        this.key = key;
        this.recordsStart = recordsStart;
        this.channel = channel;
        this.written = recordsStart;
        this.forced = 0;
    }

    /**
     * Creates the file with its header (naming {@code key}, if not null: the file is encrypted); the caller
     * forces the directory so that the new name is durable.
     */
    static LogFile create(int id, Path path, Encryption.FileKey key) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuffer header = Records.fileHeader(id, key);
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
        return new LogFile(id, path, key, length, channel);
    }

    long written() {
        return written;
    }

    /**
     * Appends {@code records} at the end; the caller holds the writer's lock. A failed write is cut off the
     * file again, so that what follows starts at a record boundary; if even that fails the file must be
     * retired by the caller.
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
    void syncTo(long end) throws IOException {
        boolean interrupted = false;
        try {
            synchronized (this) {
                while (forced < end) {
                    if (closed) {
                        throw new IOException(path + " was closed before offset " + end + " was forced");
                    }
                    if (!forcing) {
                        break;
                    }
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // A commit waiting for its force must not return early: its caller would think it
                        // failed while the records may reach the disk. Keep waiting; restore the flag after.
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
        IOException failure = null;
        try {
            channel.force(false);
        } catch (IOException e) {
            failure = e;
        }
        synchronized (this) {
            forcing = false;
            if (failure == null) {
                forced = Math.max(forced, target);
            }
            notifyAll();
        }
        if (failure != null) {
            throw failure;
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
     * Retires a file whose last write failed and could not be cut off: what was appended before it is forced
     * if the disk lets us (those commits then succeed), then the file is closed.
     */
    void abandon() {
        try {
            syncTo(written);
        } catch (IOException e) {
            // Their commits fail with this file closed below, and are rolled back by their callers.
            LOG.error("Could not force the data file {} before retiring it", path, e);
        }
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing in the file's unforced tail is relied on: its transaction was rolled back.
            LOG.warn("Could not close the abandoned data file {}", path, e);
        }
    }

    /** The file could not be restored to a record boundary after a failed write and must not be appended to. */
    static final class RetireException extends IOException {
        private static final long serialVersionUID = 1L;

        RetireException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }
}

package org.sluice.sink.fileroll;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One file being written. It knows where the last committed batch ends, so a batch that fails (while
 * written, flushed or committed) can be cut off again: {@link #abandon()} drops what was buffered, truncates
 * the file to that point and closes it, and the events the channel takes back are not on disk twice.
 */
final class OutputFile {
    private final Path path;
    private final FileChannel file;
    private final OutputStream out;
    private long flushedSize;
    private long committedSize;

    private OutputFile(Path path, FileChannel file) {
        this.path = path;
        this.file = file;
        this.out = new BufferedOutputStream(Channels.newOutputStream(file), 64 * 1024);
    }

    /** Creates the file; never opens or truncates an existing one. */
    static OutputFile create(Path path) throws IOException {
        return new OutputFile(path, FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    Path path() {
        return path;
    }

    OutputStream stream() {
        return out;
    }

    /** Hands everything written so far to the operating system, and to the disk if {@code force}. */
    void flush(boolean force) throws IOException {
        out.flush();
        if (force) {
            file.force(false);
        }
        flushedSize = file.position();
    }

    /** The flushed content belongs to a committed transaction: {@link #abandon()} keeps it from now on. */
    void committed() {
        committedSize = flushedSize;
    }

    /** Flushes and closes. */
    void close() throws IOException {
        try {
            out.flush();
        } finally {
            file.close();
        }
    }

    /** Forgets what was written since the last commit and closes; the file ends with the last committed batch. */
    void abandon() throws IOException {
        try {
            file.truncate(committedSize);
        } finally {
            file.close();
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}

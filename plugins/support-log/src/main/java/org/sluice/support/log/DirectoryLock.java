package org.sluice.support.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A directory held by one log: an exclusive lock on its {@value #FILE}, as Flume's file channel takes, so that two
 * channels configured with the same directory do not write over each other. Held until {@link #close}; the
 * operating system releases it if the process dies.
 */
public final class DirectoryLock implements Closeable {
    public static final String FILE = "in_use.lock";

    private final FileLock lock;

    private DirectoryLock(FileLock lock) {
        this.lock = lock;
    }

    /** Creates the directory if needed and locks it; {@link InUseException} if someone else holds it. */
    public static DirectoryLock acquire(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // This JVM holds it already.
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new InUseException(directory);
        }
        return new DirectoryLock(lock);
    }

    /**
     * Whether someone holds the lock of {@code directory}, probed with a shared lock released at once; reads only
     * (the lock file is not created). Whoever starts to lock the directory in that very moment finds it held.
     */
    public static boolean isHeld(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock probe;
            try {
                probe = channel.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                // This JVM holds it.
                return true;
            }
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        // Closing the channel releases the lock.
        lock.channel().close();
    }

    /** The directory's lock is held by another log. */
    public static final class InUseException extends IOException {
        private static final long serialVersionUID = 1L;

        InUseException(Path directory) {
            super(directory + " is in use: its " + FILE + " is held by another channel");
        }
    }
}

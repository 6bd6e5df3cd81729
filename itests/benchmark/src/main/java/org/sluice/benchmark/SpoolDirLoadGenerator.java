package org.sluice.benchmark;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps a spooling directory source busy: a fixed set of finished files of lines is written once, then each file the
 * source has finished with (renamed with its {@code fileSuffix}) is renamed back into the directory under a new name,
 * so the source always has the rest of the set waiting. A rename costs the harness next to nothing and leaves the
 * file as it was, complete and unchanged, as a spooling directory's files must be; the new name makes it a file the
 * source has not seen. The files live on the same file system as the directory, so every move is atomic.
 *
 * <p>It runs in the harness's JVM; its CPU is counted with the harness's.
 */
final class SpoolDirLoadGenerator implements LoadGenerator {
    static final String FILE_PREFIX = "load-";
    private static final String FILE_EXTENSION = ".txt";

    private final Scenario.SpoolDirLoad load;
    private final AtomicLong named = new AtomicLong();
    private final AtomicLong recycled = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private Thread recycler;

    SpoolDirLoadGenerator(Scenario.SpoolDirLoad load) {
        this.load = load;
    }

    /** Writes the files beside the directory and moves them in; the source need not be running yet. */
    @Override
    public void start(Duration connectTimeout) throws IOException {
        Path directory = load.directory();
        Files.createDirectories(directory);
        Path staging = Files.createDirectories(directory.resolveSibling(directory.getFileName() + "-staging"));
        byte[] content = fileContent(load.linesPerFile(), load.lineBytes());
        for (int i = 0; i < load.files(); i++) {
            Path file = Files.write(staging.resolve("file-" + i), content);
            Files.move(file, nextName(), StandardCopyOption.ATOMIC_MOVE);
        }
        recycler = new Thread(this::recycle, "spooldir-load");
        recycler.setDaemon(true);
        recycler.start();
    }

    /** {@code lines} lines of {@code lineBytes} letters and a newline each. */
    static byte[] fileContent(int lines, int lineBytes) {
        byte[] content = new byte[lines * (lineBytes + 1)];
        for (int line = 0; line < lines; line++) {
            int start = line * (lineBytes + 1);
            for (int i = 0; i < lineBytes; i++) {
                content[start + i] = (byte) ('a' + i % 26);
            }
            content[start + lineBytes] = '\n';
        }
        return content;
    }

    private Path nextName() {
        return load.directory().resolve(String.format(Locale.ROOT, "%s%09d%s", FILE_PREFIX, named.incrementAndGet(),
                FILE_EXTENSION));
    }

    private void recycle() {
        try {
            while (running) {
                if (recycleFinished() == 0) {
                    Thread.sleep(10);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            failure.set(e);
        }
    }

    /** Renames each finished file of this load back into the directory under a new name; how many there were. */
    int recycleFinished() throws IOException {
        int moved = 0;
        String finishedEnd = FILE_EXTENSION + load.completedSuffix();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(load.directory(), p -> {
            String name = p.getFileName().toString();
            return name.startsWith(FILE_PREFIX) && name.endsWith(finishedEnd);
        })) {
            for (Path finished : files) {
                Files.move(finished, nextName(), StandardCopyOption.ATOMIC_MOVE);
                moved++;
            }
        }
        recycled.addAndGet(moved);
        return moved;
    }

    /** Files the source finished and got back so far. */
    long recycled() {
        return recycled.get();
    }

    @Override
    public void check() throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw new IOException("The spooling directory load in " + load.directory() + " failed: " + t, t);
        }
    }

    /** A spooling directory has no way to refuse a file. */
    @Override
    public long rejected() {
        return 0;
    }

    @Override
    public OptionalLong processId() {
        return OptionalLong.empty();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (recycler != null) {
            recycler.join(5_000);
        }
    }
}

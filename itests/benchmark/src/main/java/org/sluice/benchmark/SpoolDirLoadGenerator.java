package org.sluice.benchmark;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps a spooling directory source busy: a file of lines is written once, beside the directory, and the directory
 * is kept holding {@code files} names for it that the source has not finished yet, each a hard link to that one file
 * under a name never used before. As the source finishes a file (renames it with its {@code fileSuffix}), a new
 * link takes its place. A link costs the harness next to nothing, appears in the directory complete, atomically and
 * unchanged ever after, as a spooling directory's files must be, and the new name makes it a file the source has
 * not seen.
 *
 * <p>Nothing is ever removed from the directory: a file that disappeared while a source lists the directory would
 * be an error in its log (Flume 1.11's source logs a stack trace and works with the part of the listing it got), and
 * the finished files, all links to the same data, take no room. It runs in the harness's JVM; its CPU is counted
 * with the harness's.
 */
final class SpoolDirLoadGenerator implements LoadGenerator {
    static final String FILE_PREFIX = "load-";
    private static final String FILE_EXTENSION = ".txt";

    private final Scenario.SpoolDirLoad load;
    private final AtomicLong named = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private Path lines;
    private Thread refiller;

    SpoolDirLoadGenerator(Scenario.SpoolDirLoad load) {
        this.load = load;
    }

    /** Writes the file beside the directory and links it in; the source need not be running yet. */
    @Override
    public void start(Duration connectTimeout) throws IOException {
        Path directory = load.directory();
        Files.createDirectories(directory);
        Path staging = Files.createDirectories(directory.resolveSibling(directory.getFileName() + "-staging"));
        lines = Files.write(staging.resolve("lines" + FILE_EXTENSION), fileContent(load.linesPerFile(), load.lineBytes()));
        refill();
        refiller = new Thread(this::keepRefilling, "spooldir-load");
        refiller.setDaemon(true);
        refiller.start();
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

    private void keepRefilling() {
        try {
            while (running) {
                if (refill() == 0) {
                    Thread.sleep(10);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            failure.set(e);
        }
    }

    /** Links new files in until {@code files} of this load's are waiting (or being read); how many it linked. */
    int refill() throws IOException {
        int waiting = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(load.directory(), p -> {
            String name = p.getFileName().toString();
            return name.startsWith(FILE_PREFIX) && name.endsWith(FILE_EXTENSION)
                    && !name.endsWith(load.completedSuffix());
        })) {
            for (Path ignored : files) {
                waiting++;
            }
        }
        int linked = 0;
        for (; waiting + linked < load.files(); linked++) {
            Path name = load.directory().resolve(String.format(Locale.ROOT, "%s%09d%s", FILE_PREFIX,
                    named.incrementAndGet(), FILE_EXTENSION));
            Files.createLink(name, lines);
        }
        return linked;
    }

    /** Files put in the directory so far. */
    long filesGiven() {
        return named.get();
    }

    @Override
    public void check() throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw new IOException("The spooling directory load in " + load.directory() + " failed: " + t, t);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (refiller != null) {
            refiller.join(5_000);
        }
    }
}

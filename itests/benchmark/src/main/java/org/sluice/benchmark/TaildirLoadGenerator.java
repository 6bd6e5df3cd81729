package org.sluice.benchmark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Appends lines to the files a taildir source tails, as fast as the disk takes them, while the agent keeps up: the
 * writer stays at most {@code lagLines} lines ahead of the agent's counter (read from its HTTP metrics, as the
 * harness reads it), so the files hold a bounded backlog and the agent, not the writer, sets the pace.
 *
 * <p>Lines go to segment files {@code seg-000001.log}, {@code seg-000002.log}, ..., a new one every
 * {@code segmentBytes}; a segment is deleted once the agent's counter shows all its lines, so a run takes no more disk
 * than the backlog and a segment or two. Segments are new files, never renamed, so neither agent's handling of
 * rotation (Flume's re-reads and delays) enters the figures; the rotation test is {@code rotation.sh}. It runs in the
 * harness's JVM; its CPU is counted with the harness's.
 */
final class TaildirLoadGenerator implements LoadGenerator {
    static final String SEGMENT_PREFIX = "seg-";
    static final String SEGMENT_SUFFIX = ".log";

    private final Scenario.TaildirLoad load;
    private final MetricsClient metrics;
    private final CounterRef counter;
    private final AtomicLong written = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private volatile long counted;
    private Thread writer;
    private Thread watcher;

    TaildirLoadGenerator(Scenario.TaildirLoad load, MetricsClient metrics, CounterRef counter) {
        this.load = load;
        this.metrics = metrics;
        this.counter = counter;
    }

    @Override
    public void start(Duration connectTimeout) throws IOException {
        Files.createDirectories(load.directory());
        watcher = new Thread(this::watchCounter, "taildir-load-counter");
        watcher.setDaemon(true);
        watcher.start();
        writer = new Thread(this::write, "taildir-load");
        writer.setDaemon(true);
        writer.start();
    }

    /** One chunk of whole lines: {@code lineBytes} letters and a newline each. */
    static byte[] chunk(int lines, int lineBytes) {
        return SpoolDirLoadGenerator.fileContent(lines, lineBytes);
    }

    private void write() {
        int lineBytes = load.lineBytes() + 1;
        int linesPerChunk = Math.max(1, (1 << 20) / lineBytes);
        ByteBuffer chunk = ByteBuffer.wrap(chunk(linesPerChunk, load.lineBytes()));
        Deque<long[]> segments = new ArrayDeque<>(); // {number, lines written up to its end}
        long segment = 0;
        FileChannel out = null;
        long segmentBytes = 0;
        try {
            while (running) {
                if (written.get() - counted + linesPerChunk > load.lagLines()) {
                    Thread.sleep(2);
                    deleteRead(segments);
                    continue;
                }
                if (out == null || segmentBytes >= load.segmentBytes()) {
                    if (out != null) {
                        out.close();
                        segments.add(new long[] {segment, written.get()});
                    }
                    segment++;
                    out = FileChannel.open(segmentPath(segment), StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                    segmentBytes = 0;
                }
                chunk.rewind();
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                segmentBytes += chunk.capacity();
                written.addAndGet(linesPerChunk);
                deleteRead(segments);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            failure.set(e);
        } finally {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException e) {
                    failure.compareAndSet(null, e);
                }
            }
        }
    }

    /** Deletes the finished segments whose every line the agent has counted. */
    private void deleteRead(Deque<long[]> segments) throws IOException {
        while (!segments.isEmpty() && segments.peek()[1] <= counted) {
            Files.deleteIfExists(segmentPath(segments.poll()[0]));
        }
    }

    private Path segmentPath(long number) {
        return segmentPath(load.directory(), number);
    }

    /** The segment file of that number: {@code seg-000001.log}, ... */
    static Path segmentPath(Path directory, long number) {
        return directory.resolve(String.format(Locale.ROOT, "%s%06d%s", SEGMENT_PREFIX, number, SEGMENT_SUFFIX));
    }

    private void watchCounter() {
        try {
            while (running) {
                try {
                    OptionalLong value = metrics.read(counter);
                    if (value.isPresent()) {
                        counted = value.getAsLong();
                    }
                } catch (IOException e) {
                    // not serving yet, or a read that failed: the next one will do
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void check() throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw new IOException("The taildir load in " + load.directory() + " failed: " + t, t);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (writer != null) {
            writer.join(5_000);
        }
        if (watcher != null) {
            watcher.join(5_000);
        }
    }
}

package org.sluice.benchmark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Writes the files a taildir source reads in a backlog scenario, before the agent starts: {@code lines} lines of
 * {@code lineBytes} letters and a newline, in segment files of {@code segmentBytes} ({@code seg-000001.log}, ...),
 * each forced to the disk before the next is begun. Nothing writes to them while an agent reads them, so the agent's
 * own read rate sets the pace; the harness writes them once and every run of the scenario reads them from the start,
 * with a position file of its own.
 *
 * <p>Forcing each segment means no writeback is left running when the agent starts. The pages stay in the page cache
 * as long as the machine has the memory; when it has not, the oldest go first, which are the segments an agent reads
 * first. So before every run the harness reads the backlog through, its last segment first
 * ({@link #readThrough}): whatever the cache holds then is the backlog's start, the same for every run whichever
 * agent read before it, and on a machine with the memory to spare the agents read from memory, not from the disk.
 */
final class TaildirBacklog {
    /** Disk space left free beside the backlog, for the runs' logs and for whatever else shares the disk. */
    static final long SPARE_BYTES = 4L << 30;

    private TaildirBacklog() {
    }

    /** Bytes the backlog takes: whole lines, a newline each. */
    static long bytes(Scenario.TaildirBacklogLoad load) {
        return (long) load.lines() * (load.lineBytes() + 1);
    }

    /**
     * Replaces whatever is in the load's directory by the backlog.
     *
     * @throws IOException when the disk has not room for it and {@link #SPARE_BYTES} beside, before writing anything
     */
    /**
     * Reads every segment of the backlog, the last first, so that the most recently used pages, the last the page
     * cache lets go, are those of the first segments.
     *
     * @return the bytes read
     */
    static long readThrough(Scenario.TaildirBacklogLoad load) throws IOException {
        java.util.List<Path> segments;
        try (java.util.stream.Stream<Path> files = Files.list(load.directory())) {
            segments = files.sorted(java.util.Comparator.reverseOrder()).toList();
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        long total = 0;
        for (Path segment : segments) {
            try (FileChannel in = FileChannel.open(segment, StandardOpenOption.READ)) {
                for (int read; (read = in.read(buffer.clear())) >= 0; ) {
                    total += read;
                }
            }
        }
        return total;
    }

    static void write(Scenario.TaildirBacklogLoad load) throws IOException {
        Harness.deleteTree(load.directory());
        Files.createDirectories(load.directory());
        long usable = Files.getFileStore(load.directory()).getUsableSpace();
        if (usable < bytes(load) + SPARE_BYTES) {
            throw new IOException(String.format(Locale.ROOT, "A backlog of %,d lines of %d bytes takes %,d bytes in %s;"
                            + " the disk has %,d free, and %,d more are kept free: give fewer lines"
                            + " (benchmark.load.lines)", load.lines(), load.lineBytes(), bytes(load), load.directory(),
                    usable, SPARE_BYTES));
        }
        int lineLength = load.lineBytes() + 1;
        int linesPerChunk = Math.max(1, Math.min((1 << 20) / lineLength, load.lines()));
        ByteBuffer chunk = ByteBuffer.wrap(TaildirLoadGenerator.chunk(linesPerChunk, load.lineBytes()));
        long linesPerSegment = Math.max(1, load.segmentBytes() / lineLength);
        long left = load.lines();
        for (int segment = 1; left > 0; segment++) {
            long inSegment = Math.min(left, linesPerSegment);
            try (FileChannel out = FileChannel.open(TaildirLoadGenerator.segmentPath(load.directory(), segment),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (long written = 0; written < inSegment; ) {
                    int lines = (int) Math.min(linesPerChunk, inSegment - written);
                    chunk.clear().limit(lines * lineLength);
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                    written += lines;
                }
                out.force(false);
            }
            left -= inSegment;
        }
    }
}

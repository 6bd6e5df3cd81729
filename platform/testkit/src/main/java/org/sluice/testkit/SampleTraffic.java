package org.sluice.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.Event;
import org.sluice.api.testkit.ChannelTransactions;

/**
 * The traffic a format sample ({@link FormatSamples}) is written with: numbered events ({@link FormatSamples#event})
 * put and taken in committed transactions, each take checked to be the head of what is queued, so that at the end
 * {@link #queued()} is what a start on the files must deliver.
 */
public final class SampleTraffic {
    private final ArrayDeque<Event> queued = new ArrayDeque<>();
    private int next;

    /** The next numbered event, for a transaction the caller runs itself. */
    public Event next() {
        return FormatSamples.event(next++);
    }

    /** Puts {@code count} new events in one committed transaction. */
    public void put(Channel channel, int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(next());
        }
        ChannelTransactions.putCommitted(channel, events);
        queued.addAll(events);
    }

    /** Takes {@code count} events in one committed transaction; they must be the oldest queued. */
    public void take(Channel channel, int count) {
        List<String> taken = FormatSamples.describe(ChannelTransactions.take(channel, count));
        List<Event> expected = new ArrayList<>();
        for (int i = 0; i < count && !queued.isEmpty(); i++) {
            expected.add(queued.pollFirst());
        }
        if (!FormatSamples.describe(expected).equals(taken)) {
            throw new AssertionError("took " + taken + ", expected " + FormatSamples.describe(expected));
        }
    }

    /**
     * The last transaction of a sample, which a crash interrupts: {@code puts} new events and {@code takes} takes,
     * committed; then {@code stop} stops the channel, and the file of {@code directories} matching {@code glob} that
     * the commit wrote to loses its last {@code bytes}, as a crash during the write leaves it. None of the
     * transaction's puts and takes may count at the next start.
     */
    public void commitTorn(Channel channel, int puts, int takes, Runnable stop, List<Path> directories, String glob,
            int bytes) throws IOException {
        Map<Path, Long> before = sizes(directories, glob);
        Transaction torn = channel.getTransaction();
        torn.begin();
        for (int i = 0; i < puts; i++) {
            channel.put(next());
        }
        for (int i = 0; i < takes; i++) {
            channel.take();
        }
        torn.commit();
        torn.close();
        stop.run();
        tearLastWrite(directories, glob, before, bytes);
    }

    /** The events put and not taken, oldest first. */
    public List<Event> queued() {
        return new ArrayList<>(queued);
    }

    /** The sizes of the files matching {@code glob} in {@code directories}. */
    public static Map<Path, Long> sizes(List<Path> directories, String glob) throws IOException {
        Map<Path, Long> sizes = new HashMap<>();
        for (Path directory : directories) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, glob)) {
                for (Path file : files) {
                    sizes.put(file, Files.size(file));
                }
            }
        }
        return sizes;
    }

    /**
     * Cuts {@code bytes} off the end of the one file matching {@code glob} that changed since {@code before} was
     * taken ({@link #sizes}): what a crash during its last write leaves.
     */
    public static Path tearLastWrite(List<Path> directories, String glob, Map<Path, Long> before, int bytes)
            throws IOException {
        Path grown = null;
        for (Map.Entry<Path, Long> file : sizes(directories, glob).entrySet()) {
            if (!file.getValue().equals(before.get(file.getKey()))) {
                if (grown != null) {
                    throw new IllegalStateException("both " + grown + " and " + file.getKey() + " changed");
                }
                grown = file.getKey();
            }
        }
        if (grown == null) {
            throw new IllegalStateException("no file matching " + glob + " changed in " + directories);
        }
        try (RandomAccessFile file = new RandomAccessFile(grown.toFile(), "rw")) {
            file.setLength(file.length() - bytes);
        }
        return grown;
    }
}

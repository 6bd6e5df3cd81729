package org.sluice.channel.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.sluice.support.collections.LongList;

/**
 * A checkpoint of a Flume file channel, read only: the queue of event pointers when it was taken, the write order
 * it was taken at, and the transactions open then ({@code inflightputs}, {@code inflighttakes}).
 *
 * <p>{@code checkpoint} is an array of big-endian longs: a header of {@value #HEADER_LONGS} (version at 0, write
 * order at 1, a marker at 4 that is 0 once the checkpoint is complete), then a ring of {@code capacity} event
 * pointers. {@code checkpoint.meta} ({@link FlumeRecords.CheckpointMeta}) says where the queue starts in the ring and
 * how long it is, and repeats the write order. An in-flight file is an MD5 digest of the rest, then per transaction
 * its id, its number of events and their pointers, all longs.
 */
record FlumeCheckpoint(Path dir, long writeOrderId, long[] queue, Map<Long, long[]> inflightPuts,
        Map<Long, long[]> inflightTakes) {
    static final String CHECKPOINT = "checkpoint";
    static final String META = "checkpoint.meta";
    static final String INFLIGHT_PUTS = "inflightputs";
    static final String INFLIGHT_TAKES = "inflighttakes";
    /** Present in a backup directory once a backup is complete. */
    static final String BACKUP_COMPLETE = "backupComplete";
    private static final int HEADER_LONGS = 1029;
    private static final int INDEX_VERSION = 0;
    private static final int INDEX_WRITE_ORDER = 1;
    private static final int INDEX_MARKER = 4;
    private static final long COMPLETE = 0;

    /** The checkpoint cannot be used; the takeover replays the data files whole instead, as Flume does. */
    static final class InvalidException extends IOException {
        private static final long serialVersionUID = 1L;

        InvalidException(Path dir, String why) {
            super("Flume's checkpoint in " + dir + " is not usable: " + why);
        }
    }

    /** Whether {@code dir} holds any of a Flume checkpoint's files. */
    static boolean present(Path dir) {
        return Files.exists(dir.resolve(META)) || Files.exists(dir.resolve(INFLIGHT_PUTS))
                || Files.exists(dir.resolve(INFLIGHT_TAKES));
    }

    /**
     * Reads the checkpoint in {@code dir}; in a backup directory only if the backup was completed.
     *
     * @return null if there is none
     * @throws InvalidException if it is damaged or incomplete
     */
    static FlumeCheckpoint read(Path dir, boolean backup) throws IOException {
        if (backup && !Files.exists(dir.resolve(BACKUP_COMPLETE))) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(CHECKPOINT));
        } catch (NoSuchFileException e) {
            if (Files.exists(dir.resolve(CHECKPOINT + ".snappy"))) {
                throw new InvalidException(dir, "it is compressed (compressBackupCheckpoint), which Sluice does not "
                        + "read");
            }
            if (Files.exists(dir.resolve(META))) {
                throw new InvalidException(dir, "checkpoint.meta without its checkpoint");
            }
            return null;
        }
        if (bytes.length % 8 != 0 || bytes.length < (HEADER_LONGS + 1) * 8) {
            throw new InvalidException(dir, "the checkpoint file has " + bytes.length + " bytes");
        }
        LongBuffer longs = ByteBuffer.wrap(bytes).asLongBuffer();
        if (longs.get(INDEX_VERSION) != FlumeRecords.VERSION) {
            throw new InvalidException(dir, "version " + longs.get(INDEX_VERSION) + "; Sluice reads version "
                    + FlumeRecords.VERSION + " (Flume 1.3 to 1.11)");
        }
        if (longs.get(INDEX_MARKER) != COMPLETE) {
            throw new InvalidException(dir, "it was not completed (Flume stopped while writing it)");
        }
        FlumeRecords.CheckpointMeta meta;
        try {
            meta = FlumeRecords.parseCheckpointMeta(Files.readAllBytes(dir.resolve(META)));
        } catch (NoSuchFileException e) {
            throw new InvalidException(dir, "checkpoint.meta is missing");
        } catch (IOException e) {
            throw new InvalidException(dir, "checkpoint.meta is damaged: " + e.getMessage());
        }
        if (meta.version() != FlumeRecords.VERSION) {
            throw new InvalidException(dir, "checkpoint.meta is of version " + meta.version());
        }
        if (meta.writeOrderId() != longs.get(INDEX_WRITE_ORDER)) {
            throw new InvalidException(dir, "checkpoint and checkpoint.meta are of different write orders ("
                    + longs.get(INDEX_WRITE_ORDER) + " and " + meta.writeOrderId() + ")");
        }
        int capacity = bytes.length / 8 - HEADER_LONGS;
        if (meta.queueSize() < 0 || meta.queueSize() > capacity || meta.queueHead() < 0
                || meta.queueHead() >= capacity) {
            throw new InvalidException(dir, "a queue of " + meta.queueSize() + " events from " + meta.queueHead()
                    + " does not fit a capacity of " + capacity);
        }
        long[] queue = new long[meta.queueSize()];
        for (int i = 0; i < queue.length; i++) {
            queue[i] = longs.get(HEADER_LONGS + (meta.queueHead() + i) % capacity);
        }
        return new FlumeCheckpoint(dir, meta.writeOrderId(), queue, inflight(dir, INFLIGHT_PUTS),
                inflight(dir, INFLIGHT_TAKES));
    }

    private static Map<Long, long[]> inflight(Path dir, String name) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(name));
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        Map<Long, long[]> transactions = new LinkedHashMap<>();
        if (bytes.length == 0) {
            return transactions;
        }
        if (bytes.length < 16 || (bytes.length - 16) % 8 != 0) {
            throw new InvalidException(dir, name + " has " + bytes.length + " bytes");
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("MD5").digest(Arrays.copyOfRange(bytes, 16, bytes.length));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no MD5", e);
        }
        if (!Arrays.equals(digest, Arrays.copyOf(bytes, 16))) {
            throw new InvalidException(dir, name + " does not match its checksum");
        }
        LongBuffer longs = ByteBuffer.wrap(bytes, 16, bytes.length - 16).slice().asLongBuffer();
        while (longs.remaining() >= 2) {
            long transactionId = longs.get();
            long count = longs.get();
            if (count < 0 || count > longs.remaining()) {
                throw new InvalidException(dir, name + " lists " + count + " events for transaction " + transactionId
                        + " with " + longs.remaining() + " left");
            }
            LongList pointers = new LongList((int) count);
            for (long i = 0; i < count; i++) {
                pointers.add(longs.get());
            }
            transactions.put(transactionId, pointers.toArray());
        }
        return transactions;
    }
}

package org.sluice.channel.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the queue at start: the checkpoint's pointers (none without a checkpoint), then the puts of the
 * transactions committed in the data files after the checkpoint's positions, in commit order, less every
 * pointer a committed take names. A pointer names one PUT record, so a take can be matched to its put in
 * whatever order the files are read.
 *
 * <p>A record that fails its length or checksum is counted and logged with its file and offset, and the
 * reader looks for the next record start after it; the rest of the file is kept. A transaction whose COMMIT
 * record is not found was not acknowledged (or is lost to the damage, which is logged) and is ignored.
 */
final class Replay {
    private static final Logger LOG = LoggerFactory.getLogger(DataLog.LOGGER);

    /** What a recovery found. */
    record Result(long[] queue, long maxSequence, int transactions, int corruptRecords, int droppedPointers) {
    }

    private record Committed(long sequence, long[] puts) {
    }

    /** One transaction's records read so far, before its COMMIT record. */
    private static final class Pending {
        final LongList puts = new LongList();
        final LongList takes = new LongList();
    }

    private final String channelName;
    private final DataLog log;
    private final Checkpoint checkpoint;
    private final LongSet taken = new LongSet();
    private final List<Committed> committed = new ArrayList<>();
    private long maxSequence;
    private int corruptRecords;

    Replay(String channelName, DataLog log, Checkpoint checkpoint) {
        this.channelName = channelName;
        this.log = log;
        this.checkpoint = checkpoint;
        this.maxSequence = checkpoint == null ? 0 : checkpoint.sequence();
    }

    Result run() throws IOException {
        for (Map.Entry<Integer, Path> file : log.files().entrySet()) {
            long start = startOffset(file.getKey());
            if (start >= 0) {
                replayFile(file.getKey(), file.getValue(), start);
            }
        }
        committed.sort(Comparator.comparingLong(Committed::sequence));
        LongList queue = new LongList();
        LongSet seen = new LongSet();
        int dropped = 0;
        if (checkpoint != null) {
            for (long pointer : checkpoint.pointers()) {
                if (!log.contains(Records.fileId(pointer))) {
                    dropped++;
                    LOG.error("Channel {}: the checkpoint holds an event in {}, but that data file is missing; "
                            + "the event is lost", channelName, Records.describe(pointer));
                } else if (!taken.contains(pointer) && seen.add(pointer)) {
                    queue.add(pointer);
                }
            }
        }
        for (Committed transaction : committed) {
            for (long pointer : transaction.puts()) {
                if (!taken.contains(pointer) && seen.add(pointer)) {
                    queue.add(pointer);
                }
            }
        }
        return new Result(queue.toArray(), maxSequence, committed.size(), corruptRecords, dropped);
    }

    /** Where replay of a file begins, or -1 if the checkpoint covers all of it. */
    private long startOffset(int fileId) {
        if (checkpoint == null || fileId >= checkpoint.nextFileId()) {
            return Records.FILE_HEADER;
        }
        Long offset = checkpoint.activeOffsets().get(fileId);
        return offset == null ? -1 : offset;
    }

    private void replayFile(int fileId, Path path, long start) throws IOException {
        MappedByteBuffer map;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException(path + " is larger than any data file this channel writes");
            }
            map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        int limit = map.limit();
        if (limit < Records.FILE_HEADER || map.getInt(0) != Records.FILE_MAGIC || map.getInt(8) != fileId) {
            // The records may still be good: read on, each is checked on its own.
            corruptRecords++;
            LOG.error("Channel {}: data file {} has a damaged header; reading its records anyway", channelName, path);
        }
        Map<Long, Pending> pending = new HashMap<>();
        int position = (int) Math.max(start, Records.FILE_HEADER);
        while (position < limit) {
            int length = validRecordLength(map, position, limit);
            if (length < 0) {
                int next = findNextRecord(map, position + 1, limit);
                corruptRecords++;
                if (next < 0) {
                    // Nothing valid after it: the usual trace of a crash during a write.
                    LOG.warn("Channel {}: data file {} ends with {} bytes of an incomplete or damaged record at "
                            + "offset {}; skipped (a transaction being written when the process stopped is not "
                            + "acknowledged)", channelName, path, limit - position, position);
                    break;
                }
                LOG.error("Channel {}: damaged record in data file {} at offset {}: {} bytes skipped, reading on "
                        + "at offset {}", channelName, path, position, next - position, next);
                position = next;
                continue;
            }
            apply(fileId, path, map, position, length, pending);
            position += Records.RECORD_HEADER + length;
        }
        for (Map.Entry<Long, Pending> unfinished : pending.entrySet()) {
            LOG.debug("Channel {}: transaction {} in {} has no COMMIT record: not acknowledged, ignored",
                    channelName, unfinished.getKey(), path);
        }
    }

    /** The payload length of the valid record at {@code position}, or -1 if there is none. */
    private static int validRecordLength(ByteBuffer map, int position, int limit) {
        if (limit - position < Records.RECORD_HEADER || map.getInt(position) != Records.RECORD_MAGIC) {
            return -1;
        }
        int length = map.getInt(position + 4);
        if (length < Records.PAYLOAD_PREFIX || length > limit - position - Records.RECORD_HEADER) {
            return -1;
        }
        ByteBuffer payload = map.duplicate().position(position + Records.RECORD_HEADER)
                .limit(position + Records.RECORD_HEADER + length);
        return Records.crc(payload) == map.getInt(position + 8) ? length : -1;
    }

    private static int findNextRecord(ByteBuffer map, int from, int limit) {
        for (int p = from; p + Records.RECORD_HEADER <= limit; p++) {
            if (map.getInt(p) == Records.RECORD_MAGIC && validRecordLength(map, p, limit) >= 0) {
                return p;
            }
        }
        return -1;
    }

    private void apply(int fileId, Path path, ByteBuffer map, int position, int length, Map<Long, Pending> pending) {
        int payload = position + Records.RECORD_HEADER;
        byte type = map.get(payload);
        long txId = map.getLong(payload + 1);
        maxSequence = Math.max(maxSequence, txId);
        switch (type) {
            case Records.PUT -> pending.computeIfAbsent(txId, id -> new Pending()).puts
                    .add(Records.pointer(fileId, position));
            case Records.TAKE -> {
                if (length < Records.TAKE_PAYLOAD) {
                    corruptRecords++;
                    LOG.error("Channel {}: short TAKE record in {} at offset {}", channelName, path, position);
                    return;
                }
                pending.computeIfAbsent(txId, id -> new Pending()).takes.add(map.getLong(payload + 9));
            }
            case Records.COMMIT -> {
                if (length < Records.COMMIT_PAYLOAD) {
                    corruptRecords++;
                    LOG.error("Channel {}: short COMMIT record in {} at offset {}", channelName, path, position);
                    return;
                }
                long sequence = map.getLong(payload + 9);
                int puts = map.getInt(payload + 17);
                int takes = map.getInt(payload + 21);
                maxSequence = Math.max(maxSequence, sequence);
                Pending transaction = pending.remove(txId);
                if (transaction == null) {
                    transaction = new Pending();
                }
                if (transaction.puts.size() != puts || transaction.takes.size() != takes) {
                    LOG.error("Channel {}: transaction {} committed in {} at offset {} wrote {} puts and {} takes "
                            + "but {} and {} were readable; the rest were lost to the damage logged above",
                            channelName, txId, path, position, puts, takes, transaction.puts.size(),
                            transaction.takes.size());
                }
                for (long pointer : transaction.takes.toArray()) {
                    taken.add(pointer);
                }
                committed.add(new Committed(sequence, transaction.puts.toArray()));
            }
            default -> {
                corruptRecords++;
                LOG.error("Channel {}: record of unknown type {} in {} at offset {}; skipped", channelName, type,
                        path, position);
            }
        }
    }

    /** A growing list of longs. */
    static final class LongList {
        private long[] values = new long[16];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int size() {
            return size;
        }

        void clear() {
            size = 0;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}

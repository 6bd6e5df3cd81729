package org.sluice.channel.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.support.collections.LongList;
import org.sluice.support.collections.LongSet;
import org.sluice.support.log.AppendLog;
import org.sluice.support.log.RecordFraming;

/**
 * Rebuilds the queue at start: the checkpoint's pointers (none without a checkpoint), then the puts of the
 * transactions committed in the data files after the checkpoint's positions, in commit order, less every
 * pointer a committed take names. A pointer names one PUT record, so a take can be matched to its put in
 * whatever order the files are read.
 *
 * <p>A record that fails its length or checksum is counted and reported to the {@link Observer} (the channel's
 * logs it with its file and offset), and the reader looks for the next record start after it; the rest of the
 * file is kept. A transaction whose COMMIT record is not found was not acknowledged (or is lost to the damage,
 * which is reported) and is ignored.
 *
 * <p>Replay only reads: it maps the files read-only and changes nothing, so the read-only check
 * ({@link FileChannelCheck}) runs it too, with {@code wholeFiles} set: every record of every file is then read
 * and verified, also those the checkpoint covers (they are not applied, the queue comes out the same), so that
 * the check sees damage a later take would meet.
 */
final class Replay {
    private static final Logger LOG = LoggerFactory.getLogger(DataLog.LOGGER);

    /** What replay finds besides the queue; the channel logs it, the check reports it. */
    interface Observer {
        /** The file's 12-byte header is not this file's; its records are read anyway. */
        void damagedHeader(Path file);

        /**
         * {@code skipped} bytes at {@code offset} are no valid record. {@code atEnd}: no valid record follows,
         * the trace of a crash during a write (a transaction not acknowledged) rather than of damage.
         */
        void damagedRecord(Path file, long offset, long skipped, boolean atEnd);

        /** A record with a good checksum that cannot be what the channel writes (too short, unknown type). */
        void malformedRecord(Path file, long offset, String what);

        /** A COMMIT record whose counts are not those of the transaction's records read: some were damaged. */
        void incompleteTransaction(Path file, long offset, long txId, int puts, int takes, int readPuts,
                int readTakes);

        /** The checkpoint queues an event in a data file that is missing: the event is lost. */
        void missingFile(long pointer);
    }

    /** The channel's observer: everything to Flume's Log logger, as a recovery reports damage. */
    static Observer logging(String channelName) {
        return new Observer() {
            @Override
            public void damagedHeader(Path file) {
                LOG.error("Channel {}: data file {} has a damaged header; reading its records anyway", channelName,
                        file);
            }

            @Override
            public void damagedRecord(Path file, long offset, long skipped, boolean atEnd) {
                if (atEnd) {
                    LOG.warn("Channel {}: data file {} ends with {} bytes of an incomplete or damaged record at "
                            + "offset {}; skipped (a transaction being written when the process stopped is not "
                            + "acknowledged)", channelName, file, skipped, offset);
                } else {
                    LOG.error("Channel {}: damaged record in data file {} at offset {}: {} bytes skipped, reading "
                            + "on at offset {}", channelName, file, offset, skipped, offset + skipped);
                }
            }

            @Override
            public void malformedRecord(Path file, long offset, String what) {
                LOG.error("Channel {}: {} in {} at offset {}; skipped", channelName, what, file, offset);
            }

            @Override
            public void incompleteTransaction(Path file, long offset, long txId, int puts, int takes, int readPuts,
                    int readTakes) {
                LOG.error("Channel {}: transaction {} committed in {} at offset {} wrote {} puts and {} takes but {} "
                        + "and {} were readable; the rest were lost to the damage logged above", channelName, txId,
                        file, offset, puts, takes, readPuts, readTakes);
            }

            @Override
            public void missingFile(long pointer) {
                LOG.error("Channel {}: the checkpoint holds an event in {}, but that data file is missing; the event "
                        + "is lost", channelName, Records.describe(pointer));
            }
        };
    }

    /**
     * What a recovery found. {@code unreadable}: queued events whose PUT record was not found valid, so a take
     * of them fails; counted only by a {@code wholeFiles} replay (0 otherwise).
     */
    record Result(long[] queue, long maxSequence, int transactions, int corruptRecords, int droppedPointers,
            List<FileSummary> files, int unreadable) {
    }

    /**
     * One data file as read: its size, where replay applied its records from ({@code -1}: nowhere, the
     * checkpoint covers it all), and the valid records read by type (all of them in a {@code wholeFiles} replay).
     * {@code damaged} counts records skipped as damaged or malformed, {@code incompleteTail} whether it ends in a
     * torn record. {@code key}: the alias of the key its events are encrypted with, {@code "?"} if its damaged
     * header does not tell, null if it is not encrypted.
     */
    record FileSummary(int id, Path path, long size, long replayedFrom, int puts, int takes, int commits,
            int damaged, boolean incompleteTail, String key) {
    }

    private record Committed(long sequence, long[] puts) {
    }

    /** One transaction's records read so far, before its COMMIT record. */
    private static final class Pending {
        final LongList puts = new LongList();
        final LongList takes = new LongList();
    }

    private final DataLog log;
    private final Checkpoint checkpoint;
    private final Observer observer;
    private final boolean wholeFiles;
    private final LongSet taken = new LongSet();
    /** Valid PUT records seen, in a wholeFiles replay: the queue's pointers are checked against them. */
    private final LongSet readablePuts;
    private final List<Committed> committed = new ArrayList<>();
    private final List<FileSummary> summaries = new ArrayList<>();
    private long maxSequence;
    private int corruptRecords;

    // Counts of the file being read.
    private int puts;
    private int takes;
    private int commits;
    private int damaged;

    Replay(String channelName, DataLog log, Checkpoint checkpoint) {
        this(log, checkpoint, logging(channelName), false);
    }

    Replay(DataLog log, Checkpoint checkpoint, Observer observer, boolean wholeFiles) {
        this.log = log;
        this.checkpoint = checkpoint;
        this.observer = observer;
        this.wholeFiles = wholeFiles;
        this.readablePuts = wholeFiles ? new LongSet() : null;
        this.maxSequence = checkpoint == null ? 0 : checkpoint.sequence();
    }

    Result run() throws IOException {
        for (Map.Entry<Integer, Path> file : log.files().entrySet()) {
            long start = startOffset(file.getKey());
            if (start >= 0 || wholeFiles) {
                replayFile(file.getKey(), file.getValue(), start);
            }
        }
        committed.sort(Comparator.comparingLong(Committed::sequence));
        LongList queue = new LongList();
        LongSet seen = new LongSet();
        int dropped = 0;
        if (checkpoint != null) {
            for (long pointer : checkpoint.pointers()) {
                if (!log.contains(AppendLog.fileId(pointer))) {
                    dropped++;
                    observer.missingFile(pointer);
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
        long[] pointers = queue.toArray();
        int unreadable = 0;
        if (wholeFiles) {
            for (long pointer : pointers) {
                if (!readablePuts.contains(pointer)) {
                    unreadable++;
                }
            }
        }
        return new Result(pointers, maxSequence, committed.size(), corruptRecords, dropped, List.copyOf(summaries),
                unreadable);
    }

    /**
     * Where replay of a file begins, or -1 if the checkpoint covers all of it; {@link Records#FILE_HEADER} means
     * from its first record, wherever its header (longer in an encrypted file) ends.
     */
    private long startOffset(int fileId) {
        if (checkpoint == null || fileId >= checkpoint.nextFileId()) {
            return Records.FILE_HEADER;
        }
        Long offset = checkpoint.activeOffsets().get(fileId);
        return offset == null ? -1 : offset;
    }

    /**
     * Reads a file's records from {@code start} (from its header in a wholeFiles replay), applying those at
     * {@code start} or after; {@code start} -1 applies none. A checkpoint's offset is a transaction boundary,
     * so no transaction is split by it.
     */
    private void replayFile(int fileId, Path path, long start) throws IOException {
        MappedByteBuffer map = RecordFraming.map(path);
        puts = 0;
        takes = 0;
        commits = 0;
        damaged = 0;
        int limit = map.limit();
        // Replay needs no key: the checksums cover the encrypted bytes, and what it reads (types, transaction ids,
        // TAKE and COMMIT records) is in the clear. Only the header's length matters here, and its alias to the check.
        Records.FileHeader header = Records.readFileHeader(map, limit, fileId);
        if (header.damage() != null) {
            // The records may still be good: read on, each is checked on its own.
            corruptRecords++;
            damaged++;
            observer.damagedHeader(path);
        }
        int recordsStart = header.recordsStart();
        Map<Long, Pending> pending = new HashMap<>();
        long applyFrom = start < 0 ? Long.MAX_VALUE : start;
        boolean[] tail = new boolean[1];
        Records.FRAMING.scan(map, (int) (wholeFiles ? recordsStart : Math.max(start, recordsStart)), limit,
                new RecordFraming.Visitor() {
                    @Override
                    public void record(int position, int length) {
                        apply(fileId, path, map, position, length, position >= applyFrom ? pending : null);
                    }

                    @Override
                    public void damaged(int position, int skipped, boolean atEnd) {
                        corruptRecords++;
                        damaged++;
                        tail[0] = atEnd;
                        observer.damagedRecord(path, position, skipped, atEnd);
                    }
                });
        for (Map.Entry<Long, Pending> unfinished : pending.entrySet()) {
            LOG.debug("Transaction {} in {} has no COMMIT record: not acknowledged, ignored", unfinished.getKey(),
                    path);
        }
        summaries.add(new FileSummary(fileId, path, limit, start, puts, takes, commits, damaged, tail[0],
                !header.encrypted() ? null : header.alias() != null ? header.alias() : "?"));
    }

    /**
     * Counts a valid record and, with {@code pending} (null: a record the checkpoint covers, only counted),
     * applies it to the transaction it belongs to.
     */
    private void apply(int fileId, Path path, ByteBuffer map, int position, int length, Map<Long, Pending> pending) {
        int payload = position + Records.RECORD_HEADER;
        byte type = map.get(payload);
        long txId = map.getLong(payload + 1);
        if (pending != null) {
            maxSequence = Math.max(maxSequence, txId);
        }
        switch (type) {
            case Records.PUT -> {
                puts++;
                long pointer = AppendLog.pointer(fileId, position);
                if (readablePuts != null) {
                    readablePuts.add(pointer);
                }
                if (pending != null) {
                    pending.computeIfAbsent(txId, id -> new Pending()).puts.add(pointer);
                }
            }
            case Records.TAKE -> {
                if (length < Records.TAKE_PAYLOAD) {
                    malformed(path, position, "short TAKE record");
                    return;
                }
                takes++;
                if (pending != null) {
                    pending.computeIfAbsent(txId, id -> new Pending()).takes.add(map.getLong(payload + 9));
                }
            }
            case Records.COMMIT -> {
                if (length < Records.COMMIT_PAYLOAD) {
                    malformed(path, position, "short COMMIT record");
                    return;
                }
                commits++;
                if (pending == null) {
                    return;
                }
                long sequence = map.getLong(payload + 9);
                int committedPuts = map.getInt(payload + 17);
                int committedTakes = map.getInt(payload + 21);
                maxSequence = Math.max(maxSequence, sequence);
                Pending transaction = pending.remove(txId);
                if (transaction == null) {
                    transaction = new Pending();
                }
                if (transaction.puts.size() != committedPuts || transaction.takes.size() != committedTakes) {
                    observer.incompleteTransaction(path, position, txId, committedPuts, committedTakes,
                            transaction.puts.size(), transaction.takes.size());
                }
                for (long pointer : transaction.takes.toArray()) {
                    taken.add(pointer);
                }
                committed.add(new Committed(sequence, transaction.puts.toArray()));
            }
            default -> malformed(path, position, "record of unknown type " + type);
        }
    }

    private void malformed(Path path, int position, String what) {
        corruptRecords++;
        damaged++;
        observer.malformedRecord(path, position, what);
    }
}

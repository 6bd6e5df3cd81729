package org.sluice.channel.spillable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.event.Event;
import org.sluice.support.collections.LongList;
import org.sluice.support.collections.LongSet;
import org.sluice.support.log.AppendLog;
import org.sluice.support.log.CorruptRecordException;
import org.sluice.support.log.DirectoryLock;
import org.sluice.support.log.EventCodec;
import org.sluice.support.log.FileOpener;
import org.sluice.support.log.LogFile;
import org.sluice.support.log.RecordFraming;

/**
 * The overflow's durable store, on the shared durable log ({@link AppendLog}, the file channel's): append-only
 * files {@code spill-<id>.log} in the data directories, one written at a time, each new one in the next directory.
 * A commit appends exactly one record, so a commit is on the disk entirely or not at all:
 * <pre>
 * record  = int magic 0x5C15B111 | int payload length | int CRC32C of the payload | payload
 * payload = int puts | puts x (long seq | int event length | int CRC32C of the event | event)
 *         | int takes | takes x long pointer
 * event   = int headers | headers x (int length | UTF-8 key | int length | UTF-8 value) | int length | body
 * </pre>
 * An event is addressed by a pointer, {@code file id << 32 | offset of its length field}; a take record names the
 * pointers it took. Numbers are big-endian; files have no header. This is the format of Sluice 0.1.0, read as it
 * is (SpillableChannelFormatTest).
 *
 * <p>Commits that run at the same time share forces (group commit, {@link LogFile#syncTo}). A file grows to
 * maxFileSize, then the next record starts a new file after the old one is forced. A file is deleted once every
 * event put in it has been taken and every older file is gone: its take records then name only events that are
 * gone anyway. No checkpoint is needed, because the files hold only what is still in the overflow plus the taken
 * part of the oldest files.
 *
 * <p>Recovery reads every file in id order, checks each record's length and checksum, skips a damaged one (logged,
 * counted) up to the next valid record, and keeps the puts no take names, ordered by their sequence number: the
 * order the channel gave them, across memory and overflow.
 */
final class OverflowLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpillableChannel.LOGGER);

    static final int MAGIC = 0x5C15B111;
    static final String PREFIX = "spill-";
    static final String SUFFIX = ".log";
    static final String LOCK_FILE = DirectoryLock.FILE;
    static final AppendLog.FileNames NAMES = new AppendLog.FileNames(PREFIX, SUFFIX);
    /** Every payload has at least its put count and its take count. */
    static final RecordFraming FRAMING = new RecordFraming(MAGIC, 8);
    /** Before each put's event in a record: its sequence number; then the event's length and CRC32C. */
    private static final int PUT_HEADER = 8 + 4 + 4;
    private static final ByteBuffer NO_HEADER = ByteBuffer.allocate(0);

    /** What recovery found: the surviving events in order, and the sequence number to continue from. */
    record Recovered(long[] pointers, long nextSeq, int damagedRecords) {
    }

    private final String channelName;
    private final List<Path> directories;
    private final long maxFileSize;
    private final boolean forcePerCommit;
    private final FileOpener opener;
    private final List<DirectoryLock> locks = new ArrayList<>();
    private AppendLog log;
    private AppendLog.Writer writer;

    /**
     * Events put and not yet taken, by file id; guarded by itself. A put's events are counted in the writer's lock
     * together with the write of its record, so that no file that is no longer being written holds an event its
     * count misses; a take's are uncounted after its commit.
     */
    private final Map<Integer, Integer> live = new HashMap<>();

    OverflowLog(String channelName, List<Path> directories, long maxFileSize, boolean forcePerCommit,
            FileOpener opener) {
        this.channelName = channelName;
        this.directories = directories;
        this.maxFileSize = maxFileSize;
        this.forcePerCommit = forcePerCommit;
        this.opener = opener;
    }

    /** Locks the directories and reads what the files hold; this run's records go to new files. */
    Recovered open() throws IOException {
        for (Path dir : directories) {
            try {
                locks.add(DirectoryLock.acquire(dir));
            } catch (DirectoryLock.InUseException e) {
                close();
                throw new IOException("overflow directory " + dir + " is in use by another channel (its "
                        + LOCK_FILE + " is locked); give every channel directories of its own", e);
            }
        }
        log = new AppendLog("channel " + channelName, directories, AppendLog.Placement.ONE_WRITER_IN_TURN, NAMES,
                maxFileSize, id -> NO_HEADER.duplicate(), opener, LOG);
        writer = log.writer(0);
        Replay replay = new Replay();
        for (Map.Entry<Integer, Path> file : log.files().entrySet()) {
            replay.read(file.getKey(), file.getValue());
        }
        Recovered recovered = replay.result();
        synchronized (live) {
            for (long pointer : recovered.pointers()) {
                live.merge(AppendLog.fileId(pointer), 1, Integer::sum);
            }
        }
        deleteTakenFiles();
        return recovered;
    }

    /**
     * Appends one commit's record (its spilled puts with their sequence numbers, and the pointers it took) and
     * returns once it is on the disk (with fsyncPerTransaction); the puts' pointers go into {@code putPointers}.
     */
    void append(List<Event> puts, long[] seqs, long[] takes, int takeCount, long[] putPointers) throws IOException {
        long length = 4 + 4 + 8L * takeCount;
        for (Event event : puts) {
            length += PUT_HEADER + EventCodec.size(event);
        }
        if (RecordFraming.HEADER + length > Integer.MAX_VALUE - 8) {
            throw new IOException("a commit of " + puts.size() + " events needs " + length + " bytes, more than one "
                    + "overflow record holds; commit smaller batches");
        }
        ByteBuffer record = ByteBuffer.allocate((int) (RecordFraming.HEADER + length));
        int start = FRAMING.begin(record);
        record.putInt(puts.size());
        int[] offsets = new int[puts.size()];
        for (int i = 0; i < offsets.length; i++) {
            record.putLong(seqs[i]);
            offsets[i] = record.position();
            int event = offsets[i] + 8;
            record.position(event);
            EventCodec.write(record, puts.get(i));
            int eventLength = record.position() - event;
            record.putInt(offsets[i], eventLength).putInt(offsets[i] + 4,
                    RecordFraming.crc(record.array(), event, eventLength));
        }
        record.putInt(takeCount);
        for (int i = 0; i < takeCount; i++) {
            record.putLong(takes[i]);
        }
        FRAMING.finish(record, start);
        record.flip();

        int count = offsets.length;
        AppendLog.Appended appended = writer.append(record, new AppendLog.AppendHook() {
            @Override
            public void beforeWrite(LogFile file, long at, ByteBuffer records) {
                // Counted in the writer's lock, before the write: from when it is released, another commit can roll
                // past this file and a take can empty what was counted in it, and deleteTakenFiles would delete the
                // file under these events before they join the queue.
                count(file.id(), count);
            }

            @Override
            public void afterFailedWrite(LogFile file, long at, ByteBuffer records) {
                count(file.id(), -count);
            }
        });
        int fileId = appended.file().id();
        for (int i = 0; i < count; i++) {
            putPointers[i] = AppendLog.pointer(fileId, appended.start() + offsets[i]);
        }
        if (forcePerCommit) {
            try {
                appended.file().syncTo(appended.end());
            } catch (IOException e) {
                // The commit fails and its puts never join the queue: they must not keep the file, which may go
                // with them (they were never acknowledged).
                count(fileId, -count);
                throw e;
            }
        }
    }

    private void count(int fileId, int events) {
        if (events != 0) {
            synchronized (live) {
                live.merge(fileId, events, Integer::sum);
            }
        }
    }

    /** Forces what was appended without a force (fsyncPerTransaction = false). */
    void sync() throws IOException {
        writer.flush();
    }

    /**
     * Reads the event a pointer names; one proven damaged (its file gone, a bad length or checksum, the file cut
     * short) is a {@link CorruptRecordException}, naming file and offset.
     */
    Event read(long pointer) throws IOException {
        int fileId = AppendLog.fileId(pointer);
        long offset = AppendLog.offset(pointer);
        ByteBuffer head = ByteBuffer.allocate(8);
        log.read(fileId, offset, head);
        int length = head.getInt(0);
        if (length < 0 || length > maxFileSize) {
            throw new CorruptRecordException(log.path(fileId), offset, "overflow event of impossible length "
                    + length);
        }
        ByteBuffer event = ByteBuffer.allocate(length);
        log.read(fileId, offset + 8, event);
        event.flip();
        if (RecordFraming.crc(event) != head.getInt(4)) {
            throw new CorruptRecordException(log.path(fileId), offset, "the overflow event fails its checksum");
        }
        try {
            return EventCodec.read(event);
        } catch (RuntimeException e) {
            throw new CorruptRecordException(log.path(fileId), offset, "unreadable overflow event: " + e.getMessage());
        }
    }

    /** After a commit took these pointers: their files may now hold nothing live. */
    void taken(long[] pointers, int count) {
        if (count == 0) {
            return;
        }
        synchronized (live) {
            for (int i = 0; i < count; i++) {
                int fileId = AppendLog.fileId(pointers[i]);
                if (!log.contains(fileId)) {
                    // Only an event already reported lost (dropDamaged of a file found gone) gets here; a count for a
                    // deleted file would linger forever.
                    continue;
                }
                int left = live.merge(fileId, -1, Integer::sum);
                if (left < 0) {
                    // More takes than puts: the accounting is wrong, so its zero cannot be trusted either.
                    // deleteTakenFiles keeps a file whose count is not exactly zero; this says why it stays.
                    LOG.error("Channel {}: overflow file {} has {} live events after a take, below zero; it is kept "
                            + "until the next start recounts it from the files", channelName, fileId, left);
                }
            }
        }
        deleteTakenFiles();
    }

    /** Deletes the oldest files while they hold nothing live and are complete. */
    private void deleteTakenFiles() {
        // Files from here on may still be written; ids are never reused, so a stale bound is only lower.
        int writable = log.firstWritableFileId();
        List<Integer> doomed = new ArrayList<>();
        synchronized (live) {
            for (int id : log.files().keySet()) {
                // Exactly zero: a negative count is an accounting error (see taken), not an empty file.
                if (id >= writable || live.getOrDefault(id, 0) != 0) {
                    break;
                }
                live.remove(id);
                doomed.add(id);
            }
        }
        for (int id : doomed) {
            Path path = log.path(id);
            try {
                log.delete(id);
            } catch (IOException e) {
                // Keeping a fully taken file costs only space: its events are all taken and recorded so.
                LOG.warn("Channel {}: could not delete the fully taken overflow file {}", channelName, path, e);
            }
        }
    }

    long usableSpace() throws IOException {
        return Files.getFileStore(writer.directory()).getUsableSpace();
    }

    /** Forces and closes the files and releases the directories; never throws, so that a stop always ends. */
    @Override
    public void close() {
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                LOG.error("Channel {}: forcing or closing the overflow files at close failed; commits not forced yet "
                        + "(fsyncPerTransaction = false) may be lost in a machine crash", channelName, e);
            }
        }
        for (DirectoryLock lock : locks) {
            try {
                lock.close();
            } catch (IOException e) {
                LOG.warn("Channel {}: releasing {} failed", channelName, LOCK_FILE, e);
            }
        }
        locks.clear();
    }

    /** The file and offset of a pointer, for messages. */
    String describe(long pointer) {
        return log.describe(pointer);
    }

    /** Reads records; keeps puts (pointer, seq) and taken pointers. */
    private final class Replay {
        private final LongList putPointers = new LongList(1024);
        private final LongList putSeqs = new LongList(1024);
        private final LongSet takes = new LongSet();
        private long maxSeq;
        private int damaged;

        void read(int fileId, Path path) throws IOException {
            MappedByteBuffer map = RecordFraming.map(path);
            FRAMING.scan(map, 0, map.limit(), new RecordFraming.Visitor() {
                @Override
                public void record(int position, int length) {
                    int payload = position + RecordFraming.HEADER;
                    String malformed = parse(fileId, map.duplicate().limit(payload + length).position(payload));
                    if (malformed != null) {
                        damaged++;
                        LOG.error("Channel {}: overflow record in {} at offset {} has a good checksum but {}; its "
                                + "events are lost", channelName, path, position, malformed);
                    }
                }

                @Override
                public void damaged(int position, int skipped, boolean atEnd) {
                    if (atEnd) {
                        // The usual trace of a crash: a record cut short at the end of the file. Never acknowledged.
                        LOG.warn("Channel {}: {} ends with an incomplete record at offset {} (a crash during a "
                                + "write); it was never acknowledged", channelName, path, position);
                    } else {
                        damaged++;
                        LOG.error("Channel {}: damaged overflow record in {} at offset {}; its events are lost, "
                                + "reading resumes at offset {}", channelName, path, position, position + skipped);
                    }
                }
            });
        }

        /**
         * Keeps the puts and takes of a record's payload (positioned at its start); what does not add up (a record
         * Sluice never writes) is described instead, and nothing of it kept.
         */
        private String parse(int fileId, ByteBuffer payload) {
            int count = payload.getInt();
            if (count < 0 || count > payload.remaining() / PUT_HEADER) {
                return "a put count of " + count;
            }
            long[] pointers = new long[count];
            long[] seqs = new long[count];
            for (int i = 0; i < count; i++) {
                if (payload.remaining() < PUT_HEADER) {
                    return "puts beyond its end";
                }
                seqs[i] = payload.getLong();
                pointers[i] = AppendLog.pointer(fileId, payload.position());
                int length = payload.getInt();
                if (length < 0 || length > payload.remaining() - 4) {
                    return "an event length of " + length;
                }
                payload.position(payload.position() + 4 + length);
            }
            if (payload.remaining() < 4) {
                return "no take count";
            }
            int taken = payload.getInt();
            if (taken < 0 || (long) taken * 8 != payload.remaining()) {
                return "a take count of " + taken + " in " + payload.remaining() + " bytes";
            }
            for (int i = 0; i < count; i++) {
                putPointers.add(pointers[i]);
                putSeqs.add(seqs[i]);
                maxSeq = Math.max(maxSeq, seqs[i]);
            }
            for (int i = 0; i < taken; i++) {
                takes.add(payload.getLong());
            }
            return null;
        }

        Recovered result() {
            long[] pointers = putPointers.toArray();
            long[] seqs = putSeqs.toArray();
            int kept = 0;
            for (int i = 0; i < pointers.length; i++) {
                if (!takes.contains(pointers[i])) {
                    pointers[kept] = pointers[i];
                    seqs[kept++] = seqs[i];
                }
            }
            ParallelSort.bySeq(seqs, pointers, kept);
            return new Recovered(Arrays.copyOf(pointers, kept), maxSeq + 1, damaged);
        }
    }
}

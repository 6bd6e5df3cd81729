package org.sluice.channel.spillable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;

/**
 * The overflow's durable store: append-only files {@code spill-<id>.log} in the data directories, one being
 * written at a time. A commit appends exactly one record, so a commit is on the disk entirely or not at all:
 * <pre>
 * record  = int magic 0x5C15B111 | int payload length | int CRC32C of the payload | payload
 * payload = int puts | puts x (long seq | int event length | int CRC32C of the event | event)
 *         | int takes | takes x long pointer
 * event   = int headers | headers x (int length | UTF-8 key | int length | UTF-8 value) | int length | body
 * </pre>
 * An event is addressed by a pointer, {@code file id << 32 | offset of its length field}; a take record
 * names the pointers it took. Numbers are big-endian.
 *
 * <p>Commits that run at the same time share forces (group commit): each appends under {@link #writeLock},
 * then waits in {@link #syncTo} until a force covers its end; one force serves all records appended before
 * it. A file grows to maxFileSize, then the next record starts a new file (in the next data directory) after
 * the old one is forced. A file is deleted once every event put in it has been taken and every older file is
 * gone: its take records then name only events that are gone anyway. No checkpoint is needed, because the
 * files hold only what is still in the overflow plus the taken part of the oldest files.
 *
 * <p>Recovery reads every file in id order, checks each record's length and checksum, skips a damaged one
 * (logged, counted) by searching for the next magic number, and keeps the puts no take names, ordered by
 * their sequence number: the order the channel gave them, across memory and overflow.
 */
final class OverflowLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpillableChannel.LOGGER);

    static final int MAGIC = 0x5C15B111;
    static final int RECORD_HEADER = 12;
    static final String PREFIX = "spill-";
    static final String SUFFIX = ".log";
    static final String LOCK_FILE = "in_use.lock";

    /** What recovery found: the surviving events in order, and the sequence number to continue from. */
    record Recovered(long[] pointers, long nextSeq, int damagedRecords) {
    }

    private final String channelName;
    private final List<Path> directories;
    private final long maxFileSize;
    private final boolean forcePerCommit;
    private final List<FileLock> locks = new ArrayList<>();
    private final List<FileChannel> lockFiles = new ArrayList<>();

    /** Files by id, for reading; the last is the one being written. Guarded by itself. */
    private final TreeMap<Integer, FileChannel> files = new TreeMap<>();
    private final Map<Integer, Path> paths = new HashMap<>();
    /**
     * Events put and not yet taken, by file id. Guarded by {@link #files}. A put's events are counted under
     * {@link #writeLock} together with the write of its record, so that no file that is no longer being
     * written holds an event its count misses; a take's are uncounted after its commit.
     */
    private final Map<Integer, Integer> live = new HashMap<>();

    private final Object writeLock = new Object();
    private final Object syncLock = new Object();
    // Guarded by writeLock.
    private int activeId;
    private FileChannel active;
    private long position;
    private IOException broken;
    // Guarded by syncLock: how far the active file is known to be on the disk, as (file id, position).
    private int syncedId;
    private long syncedPosition;

    OverflowLog(String channelName, List<Path> directories, long maxFileSize, boolean forcePerCommit) {
        this.channelName = channelName;
        this.directories = directories;
        this.maxFileSize = maxFileSize;
        this.forcePerCommit = forcePerCommit;
    }

    /** Locks the directories, reads what the files hold, and starts a new file for this run's records. */
    Recovered open() throws IOException {
        for (Path dir : directories) {
            Files.createDirectories(dir);
            FileChannel lockFile = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockFile.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                lockFile.close();
                close();
                throw new IOException("overflow directory " + dir + " is in use by another channel (its "
                        + LOCK_FILE + " is locked); give every channel directories of its own");
            }
            lockFiles.add(lockFile);
            locks.add(lock);
        }
        TreeMap<Integer, Path> found = new TreeMap<>();
        for (Path dir : directories) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
                for (Path file : stream) {
                    String name = file.getFileName().toString();
                    try {
                        found.put(Integer.parseInt(name.substring(PREFIX.length(), name.length() - SUFFIX.length())),
                                file);
                    } catch (NumberFormatException e) {
                        LOG.warn("Channel {}: {} is not an overflow file of this channel; left alone", channelName,
                                file);
                    }
                }
            }
        }
        Replay replay = new Replay();
        for (Map.Entry<Integer, Path> entry : found.entrySet()) {
            FileChannel file = FileChannel.open(entry.getValue(), StandardOpenOption.READ);
            files.put(entry.getKey(), file);
            paths.put(entry.getKey(), entry.getValue());
            replay.read(entry.getKey(), entry.getValue(), file);
        }
        Recovered recovered = replay.result();
        for (long pointer : recovered.pointers()) {
            live.merge(fileOf(pointer), 1, Integer::sum);
        }
        activeId = found.isEmpty() ? 1 : found.lastKey() + 1;
        startFile(activeId);
        deleteTakenFiles();
        return recovered;
    }

    /**
     * Appends one commit's record (its spilled puts with their sequence numbers, and the pointers it took)
     * and returns once it is on the disk (with fsyncPerTransaction); the puts' pointers go into
     * {@code putPointers}.
     */
    void append(List<Event> puts, long[] seqs, long[] takes, int takeCount, long[] putPointers) throws IOException {
        List<byte[]> encoded = new ArrayList<>(puts.size());
        int length = 8 + 8 * takeCount;
        for (Event event : puts) {
            byte[] bytes = encode(event);
            encoded.add(bytes);
            length += 16 + bytes.length;
        }
        ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER + length);
        record.putInt(MAGIC).putInt(length).putInt(0);
        record.putInt(puts.size());
        int[] offsets = new int[puts.size()];
        CRC32C crc = new CRC32C();
        for (int i = 0; i < encoded.size(); i++) {
            byte[] bytes = encoded.get(i);
            record.putLong(seqs[i]);
            offsets[i] = record.position();
            crc.reset();
            crc.update(bytes);
            record.putInt(bytes.length).putInt((int) crc.getValue()).put(bytes);
        }
        record.putInt(takeCount);
        for (int i = 0; i < takeCount; i++) {
            record.putLong(takes[i]);
        }
        crc.reset();
        crc.update(record.array(), RECORD_HEADER, length);
        record.putInt(8, (int) crc.getValue());
        record.flip();

        int fileId;
        long end;
        synchronized (writeLock) {
            if (broken != null) {
                throw new IOException("overflow log of channel " + channelName + " failed earlier and takes no more "
                        + "records until the channel restarts", broken);
            }
            try {
                if (position > 0 && position + record.remaining() > maxFileSize) {
                    roll();
                }
                long start = position;
                while (record.hasRemaining()) {
                    position += active.write(record, position);
                }
                fileId = activeId;
                end = position;
                for (int i = 0; i < offsets.length; i++) {
                    putPointers[i] = ((long) fileId << 32) | (start + offsets[i]);
                }
                if (offsets.length > 0) {
                    // Counted before writeLock is released, never after: from then on another commit can roll
                    // past this file and a take can empty what was counted in it, and deleteTakenFiles would
                    // delete the file under these events before they join the queue (the crash test's lost
                    // event). Should the force below fail, the count stays too high, which only keeps the
                    // file: the log refuses records from then on, and the next start counts from the files.
                    synchronized (files) {
                        live.merge(fileId, offsets.length, Integer::sum);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Part of the record may be in the file: nothing after it could be trusted to replay alone.
                broken = e instanceof IOException io ? io : new IOException(e);
                throw e;
            }
        }
        if (forcePerCommit) {
            syncTo(fileId, end);
        }
    }

    /** Waits until the active file is forced at least to {@code end}; one force serves every waiter. */
    private void syncTo(int fileId, long end) throws IOException {
        synchronized (syncLock) {
            if (syncedId > fileId || (syncedId == fileId && syncedPosition >= end)) {
                return;
            }
            int id;
            long reached;
            FileChannel file;
            // Lock order: syncLock, then writeLock, never the reverse (append does not take syncLock).
            synchronized (writeLock) {
                id = activeId;
                reached = position;
                file = active;
                if (broken != null) {
                    throw new IOException("overflow log of channel " + channelName + " failed", broken);
                }
            }
            if (fileId < id) {
                // The record's file was rolled, and roll() forced it whole before the next file started.
                return;
            }
            try {
                file.force(false);
            } catch (IOException e) {
                synchronized (writeLock) {
                    broken = e;
                }
                throw e;
            }
            syncedId = id;
            syncedPosition = reached;
        }
    }

    /** Forces what was appended without a force (fsyncPerTransaction = false). */
    void sync() throws IOException {
        int id;
        long end;
        synchronized (writeLock) {
            id = activeId;
            end = position;
        }
        syncTo(id, end);
    }

    /** Under writeLock: forces the file whole, so that waiters on its records need no force of their own. */
    private void roll() throws IOException {
        active.force(false);
        activeId++;
        startFile(activeId);
    }

    private void startFile(int id) throws IOException {
        Path dir = directories.get(id % directories.size());
        Path path = dir.resolve(PREFIX + id + SUFFIX);
        FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        // The new file's name must be on the disk too, or a crash could lose the records forced into it.
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
        synchronized (files) {
            files.put(id, file);
            paths.put(id, path);
        }
        active = file;
        position = 0;
    }

    /**
     * What {@link #read} finds on disk proves the event damaged (its file gone, a bad length or checksum, the
     * file cut short): reading it again cannot help. Any other IOException may pass, and loses nothing.
     */
    static final class DamagedEventException extends IOException {
        private static final long serialVersionUID = 1L;

        DamagedEventException(String message) {
            super(message);
        }
    }

    /** Reads the event a pointer names; a damaged one throws DamagedEventException, naming file and offset. */
    Event read(long pointer) throws IOException {
        int fileId = fileOf(pointer);
        long offset = pointer & 0xFFFFFFFFL;
        FileChannel file;
        synchronized (files) {
            file = files.get(fileId);
        }
        if (file == null) {
            throw new DamagedEventException("overflow file " + fileId + " of channel " + channelName + " is gone");
        }
        ByteBuffer head = ByteBuffer.allocate(8);
        readFully(file, head, offset);
        int length = head.getInt(0);
        int expected = head.getInt(4);
        if (length < 0 || length > file.size() - offset - 8) {
            throw new DamagedEventException("overflow event at " + describe(pointer) + " has a bad length " + length);
        }
        ByteBuffer bytes = ByteBuffer.allocate(length);
        readFully(file, bytes, offset + 8);
        CRC32C crc = new CRC32C();
        crc.update(bytes.array());
        if ((int) crc.getValue() != expected) {
            throw new DamagedEventException("overflow event at " + describe(pointer) + " fails its checksum");
        }
        return decode(bytes);
    }

    /** After a commit took these pointers: their files may now hold nothing live. */
    void taken(long[] pointers, int count) {
        if (count == 0) {
            return;
        }
        synchronized (files) {
            for (int i = 0; i < count; i++) {
                int fileId = fileOf(pointers[i]);
                if (!files.containsKey(fileId)) {
                    // Only an event already reported lost (dropDamaged of a file found gone) gets here; a
                    // count for a deleted file would linger forever.
                    continue;
                }
                int left = live.merge(fileId, -1, Integer::sum);
                if (left < 0) {
                    // More takes than puts: the accounting is wrong, so its zero cannot be trusted either.
                    // deleteTakenFiles keeps a file whose count is not exactly zero; this says why it stays.
                    LOG.error("Channel {}: overflow file {} has {} live events after a take, below zero; it is "
                            + "kept until the next start recounts it from the files", channelName, fileId, left);
                }
            }
        }
        deleteTakenFiles();
    }

    /** Deletes the oldest files while they hold nothing live and are not being written. */
    private void deleteTakenFiles() {
        List<Map.Entry<Integer, FileChannel>> doomed = new ArrayList<>();
        int writing;
        // Not nested in the files lock: startFile takes that one under writeLock. A stale id is only smaller.
        synchronized (writeLock) {
            writing = activeId;
        }
        synchronized (files) {
            while (!files.isEmpty()) {
                Map.Entry<Integer, FileChannel> oldest = files.firstEntry();
                // Exactly zero: a negative count is an accounting error (see taken), not an empty file.
                if (oldest.getKey() >= writing || live.getOrDefault(oldest.getKey(), 0) != 0) {
                    break;
                }
                files.remove(oldest.getKey());
                live.remove(oldest.getKey());
                doomed.add(oldest);
            }
        }
        for (Map.Entry<Integer, FileChannel> entry : doomed) {
            Path path;
            synchronized (files) {
                path = paths.remove(entry.getKey());
            }
            try {
                entry.getValue().close();
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // Keeping a fully taken file costs only space: its events are all taken and recorded so.
                LOG.warn("Channel {}: could not delete the fully taken overflow file {}", channelName, path, e);
            }
        }
    }

    long usableSpace() throws IOException {
        synchronized (writeLock) {
            return Files.getFileStore(directories.get(activeId % directories.size())).getUsableSpace();
        }
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            if (active != null && broken == null) {
                try {
                    active.force(false);
                } catch (IOException e) {
                    LOG.error("Channel {}: forcing the overflow file at close failed; the last unforced commits "
                            + "(fsyncPerTransaction = false) may be lost in a machine crash", channelName, e);
                }
            }
        }
        synchronized (files) {
            for (FileChannel file : files.values()) {
                try {
                    file.close();
                } catch (IOException e) {
                    LOG.warn("Channel {}: closing an overflow file failed", channelName, e);
                }
            }
            files.clear();
        }
        for (int i = 0; i < locks.size(); i++) {
            try {
                locks.get(i).release();
                lockFiles.get(i).close();
            } catch (IOException e) {
                LOG.warn("Channel {}: releasing {} failed", channelName, LOCK_FILE, e);
            }
        }
        locks.clear();
        lockFiles.clear();
    }

    static int fileOf(long pointer) {
        return (int) (pointer >>> 32);
    }

    String describe(long pointer) {
        Path path;
        synchronized (files) {
            path = paths.get(fileOf(pointer));
        }
        return (path == null ? "file " + fileOf(pointer) : path.toString()) + " offset " + (pointer & 0xFFFFFFFFL);
    }

    private static void readFully(FileChannel file, ByteBuffer buffer, long offset) throws IOException {
        while (buffer.hasRemaining()) {
            int n = file.read(buffer, offset + buffer.position());
            if (n < 0) {
                throw new DamagedEventException("unexpected end of overflow file");
            }
        }
        buffer.flip();
    }

    static byte[] encode(Event event) {
        Map<String, String> headers = event.getHeaders();
        List<byte[]> parts = new ArrayList<>(headers.size() * 2);
        int length = 8 + event.getBody().length;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            byte[] key = header.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = header.getValue().getBytes(StandardCharsets.UTF_8);
            parts.add(key);
            parts.add(value);
            length += 8 + key.length + value.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        buffer.putInt(headers.size());
        for (byte[] part : parts) {
            buffer.putInt(part.length).put(part);
        }
        buffer.putInt(event.getBody().length).put(event.getBody());
        return buffer.array();
    }

    static Event decode(ByteBuffer buffer) {
        int count = buffer.getInt();
        Map<String, String> headers = new HashMap<>(Math.max(4, count * 2));
        for (int i = 0; i < count; i++) {
            headers.put(string(buffer), string(buffer));
        }
        byte[] body = new byte[buffer.getInt()];
        buffer.get(body);
        return EventBuilder.withBody(body, headers);
    }

    private static String string(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getInt()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Reads records; keeps puts (pointer, seq) and taken pointers, both in growing arrays. */
    private final class Replay {
        private long[] putPointers = new long[1024];
        private long[] putSeqs = new long[1024];
        private int puts;
        private long[] takes = new long[1024];
        private int takeCount;
        private long maxSeq;
        private int damaged;

        void read(int fileId, Path path, FileChannel file) throws IOException {
            long size = file.size();
            long offset = 0;
            ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
            while (offset + RECORD_HEADER <= size) {
                header.clear();
                readFully(file, header, offset);
                int magic = header.getInt(0);
                int length = header.getInt(4);
                int expected = header.getInt(8);
                ByteBuffer payload = null;
                if (magic == MAGIC && length >= 8 && length <= size - offset - RECORD_HEADER) {
                    payload = ByteBuffer.allocate(length);
                    readFully(file, payload, offset + RECORD_HEADER);
                    CRC32C crc = new CRC32C();
                    crc.update(payload.array());
                    if ((int) crc.getValue() != expected) {
                        payload = null;
                    }
                }
                if (payload == null) {
                    long next = nextMagic(file, offset + 1, size);
                    if (next < 0) {
                        // The usual trace of a crash: a record cut short at the end of the file. Never acknowledged.
                        LOG.warn("Channel {}: {} ends with an incomplete record at offset {} (a crash during a "
                                + "write); it was never acknowledged", channelName, path, offset);
                        return;
                    }
                    damaged++;
                    LOG.error("Channel {}: damaged overflow record in {} at offset {}; its events are lost, "
                            + "reading resumes at offset {}", channelName, path, offset, next);
                    offset = next;
                    continue;
                }
                parse(fileId, offset + RECORD_HEADER, payload);
                offset += RECORD_HEADER + length;
            }
            if (offset < size) {
                LOG.warn("Channel {}: {} ends with an incomplete record at offset {} (a crash during a write); it "
                        + "was never acknowledged", channelName, path, offset);
            }
        }

        private long nextMagic(FileChannel file, long from, long size) throws IOException {
            ByteBuffer window = ByteBuffer.allocate(64 * 1024);
            for (long base = from; base + 4 <= size; base += window.capacity() - 3) {
                window.clear();
                window.limit((int) Math.min(window.capacity(), size - base));
                readFully(file, window, base);
                for (int i = 0; i + 4 <= window.limit(); i++) {
                    if (window.getInt(i) == MAGIC) {
                        return base + i;
                    }
                }
            }
            return -1;
        }

        private void parse(int fileId, long payloadOffset, ByteBuffer payload) {
            int count = payload.getInt();
            for (int i = 0; i < count; i++) {
                long seq = payload.getLong();
                long pointer = ((long) fileId << 32) | (payloadOffset + payload.position());
                int length = payload.getInt();
                payload.position(payload.position() + 4 + length);
                if (puts == putPointers.length) {
                    putPointers = Arrays.copyOf(putPointers, puts * 2);
                    putSeqs = Arrays.copyOf(putSeqs, puts * 2);
                }
                putPointers[puts] = pointer;
                putSeqs[puts++] = seq;
                maxSeq = Math.max(maxSeq, seq);
            }
            int taken = payload.getInt();
            for (int i = 0; i < taken; i++) {
                if (takeCount == takes.length) {
                    takes = Arrays.copyOf(takes, takeCount * 2);
                }
                takes[takeCount++] = payload.getLong();
            }
        }

        Recovered result() {
            Arrays.sort(takes, 0, takeCount);
            int kept = 0;
            for (int i = 0; i < puts; i++) {
                if (Arrays.binarySearch(takes, 0, takeCount, putPointers[i]) < 0) {
                    putPointers[kept] = putPointers[i];
                    putSeqs[kept++] = putSeqs[i];
                }
            }
            ParallelSort.bySeq(putSeqs, putPointers, kept);
            return new Recovered(Arrays.copyOf(putPointers, kept), maxSeq + 1, damaged);
        }
    }
}

package org.sluice.channel.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.event.Event;

/**
 * The data files of one channel across its data directories: one {@link LogWriter} per directory (a
 * transaction is written to one of them, so several disks share the load), and positional reads of PUT
 * records for takes. Files are named {@code log-<id>}; ids are unique across the directories and grow, so a
 * higher id is a later file.
 */
final class DataLog {
    /** Flume's logger for its log files and replay, so log configurations written for Flume apply. */
    static final String LOGGER = "org.apache.flume.channel.file.Log";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    static final String PREFIX = "log-";

    /** Free bytes of the directory holding a path; replaceable by tests, which cannot fill a disk. */
    interface SpaceProbe {
        long usableSpace(Path directory) throws IOException;
    }

    static final SpaceProbe FILE_STORE_PROBE = directory -> Files.getFileStore(directory).getUsableSpace();

    private final String channelName;
    private final List<Path> directories;
    private final long maxFileSize;
    private final LogWriter[] writers;
    private final AtomicInteger nextFileId;
    /** Every data file known, by id. */
    private final Map<Integer, Path> files = new ConcurrentHashMap<>();
    private final Map<Integer, FileChannel> readers = new ConcurrentHashMap<>();
    /** The channel's keys; null: unencrypted, new files are written in the clear. */
    private final Encryption encryption;
    /** The header of each file read or written, by id: whether and with which key its events are encrypted. */
    private final Map<Integer, Records.FileHeader> headers = new ConcurrentHashMap<>();
    /** The key of each encrypted file, by id, once looked up: null values are not allowed, so absent = none. */
    private final Map<Integer, Encryption.FileKey> fileKeys = new ConcurrentHashMap<>();

    DataLog(String channelName, List<Path> directories, long maxFileSize) throws IOException {
        this(channelName, directories, maxFileSize, null);
    }

    DataLog(String channelName, List<Path> directories, long maxFileSize, Encryption encryption) throws IOException {
        this.channelName = channelName;
        this.encryption = encryption;
        this.directories = List.copyOf(directories);
        this.maxFileSize = maxFileSize;
        this.writers = new LogWriter[directories.size()];
        int maxId = 0;
        for (int i = 0; i < writers.length; i++) {
            writers[i] = new LogWriter(directories.get(i));
            for (Map.Entry<Integer, Path> file : list(directories.get(i)).entrySet()) {
                Path previous = files.put(file.getKey(), file.getValue());
                if (previous != null) {
                    throw new IOException("two data files with id " + file.getKey() + ": " + previous + " and "
                            + file.getValue() + "; was a data directory copied into another?");
                }
                maxId = Math.max(maxId, file.getKey());
            }
        }
        this.nextFileId = new AtomicInteger(maxId + 1);
    }

    /** The data files of a directory by id, in id order. */
    static TreeMap<Integer, Path> list(Path directory) throws IOException {
        TreeMap<Integer, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path path : stream) {
                String suffix = path.getFileName().toString().substring(PREFIX.length());
                if (suffix.chars().allMatch(Character::isDigit) && !suffix.isEmpty() && suffix.length() < 10) {
                    found.put(Integer.parseInt(suffix), path);
                }
            }
        }
        return found;
    }

    /** Files by id, in id order. */
    TreeMap<Integer, Path> files() {
        return new TreeMap<>(files);
    }

    /** Never below an id a checkpoint has seen, even if that file is gone. */
    void reserveIdsBelow(int id) {
        nextFileId.accumulateAndGet(id, Math::max);
    }

    int nextFileId() {
        return nextFileId.get();
    }

    int writerCount() {
        return writers.length;
    }

    LogWriter writer(int index) {
        return writers[index];
    }

    boolean contains(int fileId) {
        return files.containsKey(fileId);
    }

    /** Reads the event of the PUT record a pointer points to. */
    Event read(long pointer) throws IOException {
        int fileId = Records.fileId(pointer);
        long offset = Records.offset(pointer);
        FileChannel reader = reader(fileId);
        ByteBuffer header = ByteBuffer.allocate(Records.RECORD_HEADER);
        readFully(reader, header, offset, pointer);
        header.flip();
        int magic = header.getInt();
        int length = header.getInt();
        int crc = header.getInt();
        if (magic != Records.RECORD_MAGIC || length < Records.PAYLOAD_PREFIX || length > maxFileSize) {
            throw new CorruptRecordException(files.get(fileId), offset, "no valid record header");
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(reader, payload, offset + Records.RECORD_HEADER, pointer);
        payload.flip();
        if (Records.crc(payload) != crc) {
            throw new CorruptRecordException(files.get(fileId), offset, "checksum mismatch");
        }
        if (payload.get() != Records.PUT) {
            throw new CorruptRecordException(files.get(fileId), offset, "not a PUT record");
        }
        payload.getLong();
        Records.FileHeader fileHeader = header(fileId);
        if (fileHeader.encrypted()) {
            // Checked at start for every file holding queued events; failing here means a damaged header.
            Encryption.FileKey key = fileKey(fileId, fileHeader);
            if (key.key() == null) {
                throw new CorruptRecordException(files.get(fileId), offset, "the record is encrypted but "
                        + (fileHeader.damage() != null ? "the file header naming its key is damaged: "
                        + fileHeader.damage() : "its key " + fileHeader.alias() + " is not configured"));
            }
            key.crypt(payload.array(), Records.PAYLOAD_PREFIX, length - Records.PAYLOAD_PREFIX, offset);
        }
        try {
            return Records.readEvent(payload);
        } catch (RuntimeException e) {
            throw new CorruptRecordException(files.get(fileId), offset, "unreadable event: " + e.getMessage());
        }
    }

    /** The header of a data file, read once and kept. */
    Records.FileHeader header(int fileId) throws IOException {
        Records.FileHeader header = headers.get(fileId);
        if (header != null) {
            return header;
        }
        FileChannel reader = reader(fileId);
        ByteBuffer bytes = ByteBuffer.allocate(Records.MAX_FILE_HEADER);
        // Until the buffer is full or the file ends: a short file has a short header, judged by readFileHeader.
        int read;
        do {
            read = reader.read(bytes, bytes.position());
        } while (read >= 0 && bytes.hasRemaining());
        header = Records.readFileHeader(bytes, bytes.position(), fileId);
        headers.put(fileId, header);
        return header;
    }

    /**
     * The key of an encrypted file: the configured key of the alias its header names, with its counter base;
     * {@link Encryption.FileKey#key()} is null if the alias is not configured or the header is damaged.
     */
    Encryption.FileKey fileKey(int fileId, Records.FileHeader header) {
        return fileKeys.computeIfAbsent(fileId, id -> new Encryption.FileKey(header.alias(),
                header.damage() == null && header.base() != null && encryption != null
                        ? encryption.key(header.alias()) : null, header.base(), header.check()));
    }

    /**
     * Fails unless every data file holding one of {@code pointers} can be decrypted: the key its header names is
     * configured and is the key that wrote it. A file whose header is damaged is left to the take, which counts
     * its events as damaged, as for any damaged record: recovery does not refuse to start over damage.
     */
    void requireKeys(long[] pointers) throws IOException {
        Map<Integer, Integer> events = new TreeMap<>();
        for (long pointer : pointers) {
            events.merge(Records.fileId(pointer), 1, Integer::sum);
        }
        for (Map.Entry<Integer, Integer> file : events.entrySet()) {
            Records.FileHeader header = header(file.getKey());
            if (!header.encrypted() || header.damage() != null) {
                continue;
            }
            Path path = files.get(file.getKey());
            String held = "data file " + path + " holds " + file.getValue() + " queued event"
                    + (file.getValue() == 1 ? "" : "s") + " encrypted with key " + header.alias();
            if (encryption == null) {
                throw new MissingKeyException("channel " + channelName + ": " + held + ", but the channel is not "
                        + "configured for encryption; configure encryption.* with key " + header.alias()
                        + " in encryption.keyProvider.keys");
            }
            Encryption.FileKey key = fileKey(file.getKey(), header);
            if (key.key() == null) {
                throw new MissingKeyException("channel " + channelName + ": " + held + ", which is not configured; "
                        + "add " + header.alias() + " to encryption.keyProvider.keys (keys configured: "
                        + encryption.aliases() + ") until those events are taken");
            }
            if (!key.keyMatches()) {
                throw new MissingKeyException("channel " + channelName + ": " + held + ", but the key "
                        + header.alias() + " in " + encryption.keyStoreFile() + " is not the key that encrypted it "
                        + "(was the key replaced under the same alias?)");
            }
        }
    }

    private void readFully(FileChannel reader, ByteBuffer into, long position, long pointer) throws IOException {
        while (into.hasRemaining()) {
            int read = reader.read(into, position + into.position());
            if (read < 0) {
                throw new CorruptRecordException(files.get(Records.fileId(pointer)), Records.offset(pointer),
                        "the file ends inside the record");
            }
        }
    }

    private FileChannel reader(int fileId) throws IOException {
        FileChannel reader = readers.get(fileId);
        if (reader != null) {
            return reader;
        }
        Path path = files.get(fileId);
        if (path == null) {
            throw new NoSuchFileException(PREFIX + fileId, null, "channel " + channelName
                    + ": no such data file in " + directories);
        }
        synchronized (readers) {
            reader = readers.get(fileId);
            if (reader == null) {
                reader = FileChannel.open(path, StandardOpenOption.READ);
                readers.put(fileId, reader);
            }
            return reader;
        }
    }

    /** Ids of the files being appended to. */
    List<Integer> activeFileIds() {
        List<Integer> active = new ArrayList<>();
        for (LogWriter writer : writers) {
            LogFile file = writer.current();
            if (file != null) {
                active.add(file.id);
            }
        }
        return active;
    }

    /** Deletes a data file no longer referenced; false if it is being appended to. */
    boolean delete(int fileId) throws IOException {
        if (activeFileIds().contains(fileId)) {
            return false;
        }
        Path path = files.remove(fileId);
        headers.remove(fileId);
        fileKeys.remove(fileId);
        FileChannel reader;
        synchronized (readers) {
            reader = readers.remove(fileId);
        }
        if (reader != null) {
            reader.close();
        }
        if (path != null) {
            Files.deleteIfExists(path);
            LOG.debug("Channel {}: deleted data file {}, no longer referenced", channelName, path);
        }
        return true;
    }

    /** Forces and closes every file; the first failure is thrown after all were tried. */
    void close() throws IOException {
        IOException failure = null;
        for (LogWriter writer : writers) {
            try {
                writer.close();
            } catch (IOException e) {
                failure = add(failure, e);
            }
        }
        synchronized (readers) {
            for (FileChannel reader : readers.values()) {
                try {
                    reader.close();
                } catch (IOException e) {
                    failure = add(failure, e);
                }
            }
            readers.clear();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static IOException add(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    static void forceDirectory(Path directory) throws IOException {
        // Makes a created or renamed name durable. Some platforms cannot open a directory; Linux can.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** Where a transaction's records went. */
    record Appended(LogFile file, long start, long end) {
    }

    /** Appends to the data files of one directory, rolling to a new file at maxFileSize. */
    final class LogWriter {
        final Path directory;
        private volatile LogFile current;

        LogWriter(Path directory) {
            this.directory = directory;
        }

        LogFile current() {
            return current;
        }

        /**
         * Appends one transaction's records, contiguously, in one file. In an encrypted file its PUT records (at
         * {@code putOffsets} of {@code records}, whose array they are encrypted in) are encrypted here, where
         * their offsets in the file, from which their counters derive, are known.
         */
        synchronized Appended append(ByteBuffer records, int[] putOffsets, int putCount) throws IOException {
            int size = records.remaining();
            LogFile file = current;
            if (file == null || (file.written() + size > maxFileSize && file.written() > file.recordsStart)) {
                file = roll();
            }
            long start = file.written();
            int from = records.position();
            crypt(file, records, putOffsets, putCount, start);
            try {
                file.append(records);
            } catch (IOException e) {
                // The transaction stays open after a failed commit and may be committed again, maybe to another
                // file or offset: its records go back to the clear (CTR is its own inverse) and its checksums
                // with them, so that they are never encrypted twice.
                records.position(from);
                crypt(file, records, putOffsets, putCount, start);
                if (e instanceof LogFile.RetireException) {
                    current = null;
                    file.abandon();
                }
                throw e;
            }
            return new Appended(file, start, file.written());
        }

        /** Encrypts (or decrypts back) the PUT records of {@code records} for {@code file} at {@code start}. */
        private void crypt(LogFile file, ByteBuffer records, int[] putOffsets, int putCount, long start) {
            if (file.key == null) {
                return;
            }
            byte[] bytes = records.array();
            int base = records.arrayOffset() + records.position();
            for (int i = 0; i < putCount; i++) {
                Records.encryptPut(bytes, base + putOffsets[i], start + putOffsets[i], file.key);
            }
        }

        /** Forces the current file up to what was appended, for fsyncPerTransaction = false. */
        void flush() throws IOException {
            LogFile file = current;
            if (file != null) {
                file.syncTo(file.written());
            }
        }

        private LogFile roll() throws IOException {
            LogFile previous = current;
            if (previous != null) {
                // Forced entirely before it is closed, so commits still waiting on it are released.
                current = null;
                previous.close();
            }
            int id = nextFileId.getAndIncrement();
            Path path = directory.resolve(PREFIX + id);
            Encryption.FileKey key = encryption == null ? null : encryption.newFileKey();
            LogFile file = LogFile.create(id, path, key);
            try {
                file.syncTo(file.recordsStart);
                forceDirectory(directory);
            } catch (IOException e) {
                file.abandon();
                throw e;
            }
            files.put(id, path);
            if (key != null) {
                fileKeys.put(id, key);
            }
            current = file;
            LOG.debug("Channel {}: writing data file {}", channelName, path);
            return file;
        }

        long usableSpace(SpaceProbe probe) throws IOException {
            return probe.usableSpace(directory);
        }

        synchronized void close() throws IOException {
            LogFile file = current;
            current = null;
            if (file != null) {
                file.close();
            }
        }
    }

    /** Events are queued in a file whose key is not configured, or not the key that wrote it. */
    static final class MissingKeyException extends IOException {
        private static final long serialVersionUID = 1L;

        MissingKeyException(String message) {
            super(message);
        }
    }

    /** A record that is not what was written. */
    static final class CorruptRecordException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptRecordException(Path file, long offset, String what) {
            super("corrupt record in " + file + " at offset " + offset + ": " + what);
        }
    }
}

package org.sluice.channel.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.event.Event;
import org.sluice.support.log.AppendLog;
import org.sluice.support.log.CorruptRecordException;
import org.sluice.support.log.FileOpener;
import org.sluice.support.log.LogFile;

/**
 * The data files of one channel across its data directories, on the shared durable log ({@link AppendLog}): one
 * writer per directory (a transaction is written to one of them, so several disks share the load), and reads of
 * PUT records for takes. Files are named {@code log-<id>}; ids are unique across the directories and grow, so a
 * higher id is a later file. What is the file channel's own: the file headers, the encryption of PUT records, and
 * the keys each file needs.
 */
final class DataLog {
    /** Flume's logger for its log files and replay, so log configurations written for Flume apply. */
    static final String LOGGER = "org.apache.flume.channel.file.Log";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    static final String PREFIX = "log-";
    static final AppendLog.FileNames NAMES = new AppendLog.FileNames(PREFIX, "");

    /** Free bytes of the directory holding a path; replaceable by tests, which cannot fill a disk. */
    interface SpaceProbe {
        long usableSpace(Path directory) throws IOException;
    }

    static final SpaceProbe FILE_STORE_PROBE = directory -> Files.getFileStore(directory).getUsableSpace();

    private final String channelName;
    private final AppendLog files;
    /** The channel's keys; null: unencrypted, new files are written in the clear. */
    private final Encryption encryption;
    /** The header of each file read, by id: whether and with which key its events are encrypted. */
    private final Map<Integer, Records.FileHeader> headers = new ConcurrentHashMap<>();
    /** The key of each encrypted file, by id, once looked up or made: null values are not allowed, so absent = none. */
    private final Map<Integer, Encryption.FileKey> fileKeys = new ConcurrentHashMap<>();

    DataLog(String channelName, List<Path> directories, long maxFileSize) throws IOException {
        this(channelName, directories, maxFileSize, null, FileOpener.DEFAULT);
    }

    DataLog(String channelName, List<Path> directories, long maxFileSize, Encryption encryption, FileOpener opener)
            throws IOException {
        this.channelName = channelName;
        this.encryption = encryption;
        this.files = new AppendLog("channel " + channelName, directories, AppendLog.Placement.WRITER_PER_DIRECTORY,
                NAMES, maxFileSize, this::newFileHeader, opener, LOG);
    }

    /** The header of a new file: version 1 in the clear, version 2 naming the active key with a new counter base. */
    private ByteBuffer newFileHeader(int fileId) {
        if (encryption == null) {
            return Records.fileHeader(fileId, null);
        }
        Encryption.FileKey key = encryption.newFileKey();
        fileKeys.put(fileId, key);
        return Records.fileHeader(fileId, key);
    }

    /** The data files of a directory by id, in id order. */
    static TreeMap<Integer, Path> list(Path directory) throws IOException {
        return NAMES.list(directory);
    }

    /** Files by id, in id order: a copy. */
    TreeMap<Integer, Path> files() {
        return new TreeMap<>(files.files());
    }

    /** Never below an id a checkpoint has seen, even if that file is gone. */
    void reserveIdsBelow(int id) {
        files.reserveIdsBelow(id);
    }

    int nextFileId() {
        return files.nextFileId();
    }

    int writerCount() {
        return files.writerCount();
    }

    AppendLog.Writer writer(int index) {
        return files.writer(index);
    }

    boolean contains(int fileId) {
        return files.contains(fileId);
    }

    /**
     * Appends one transaction's records, contiguously, in one file of {@code writer}. In an encrypted file its PUT
     * records (at {@code putOffsets} of {@code records}, whose array they are encrypted in) are encrypted there,
     * where their offsets in the file, from which their counters derive, are known.
     */
    AppendLog.Appended append(AppendLog.Writer writer, ByteBuffer records, int[] putOffsets, int putCount)
            throws IOException {
        return writer.append(records, encryption == null ? AppendLog.AppendHook.NONE
                : new EncryptPuts(putOffsets, putCount));
    }

    /**
     * Puts back in the clear the PUT records of {@code records} (from its start) that {@link #append} encrypted for
     * {@code appended}, after their commit failed when they were already written: a retry encrypts them afresh.
     */
    void undoEncryption(AppendLog.Appended appended, ByteBuffer records, int[] putOffsets, int putCount) {
        if (encryption != null) {
            new EncryptPuts(putOffsets, putCount).crypt(appended.file(), appended.start(),
                    records.duplicate().position(0));
        }
    }

    /** Encrypts (and, applied again, decrypts: CTR is its own inverse) the PUT records of one commit. */
    private final class EncryptPuts implements AppendLog.AppendHook {
        private final int[] putOffsets;
        private final int putCount;

        EncryptPuts(int[] putOffsets, int putCount) {
            this.putOffsets = putOffsets;
            this.putCount = putCount;
        }

        @Override
        public void beforeWrite(LogFile file, long start, ByteBuffer records) {
            crypt(file, start, records);
        }

        @Override
        public void afterFailedWrite(LogFile file, long start, ByteBuffer records) {
            // The transaction stays open after a failed commit and may be committed again, maybe to another file or
            // offset: its records go back to the clear, and their checksums with them, never encrypted twice.
            crypt(file, start, records);
        }

        private void crypt(LogFile file, long start, ByteBuffer records) {
            Encryption.FileKey key = fileKeys.get(file.id());
            if (key == null) {
                // Every file this run writes was made by newFileHeader with a key; older files are never appended to.
                throw new IllegalStateException(file + " has no key");
            }
            byte[] bytes = records.array();
            int base = records.arrayOffset() + records.position();
            for (int i = 0; i < putCount; i++) {
                Records.encryptPut(bytes, base + putOffsets[i], start + putOffsets[i], key);
            }
        }
    }

    /** Reads the event of the PUT record a pointer points to. */
    Event read(long pointer) throws IOException {
        int fileId = AppendLog.fileId(pointer);
        long offset = AppendLog.offset(pointer);
        ByteBuffer payload = Records.FRAMING.read(files, pointer, files.maxFileSize());
        if (payload.get() != Records.PUT) {
            throw new CorruptRecordException(files.path(fileId), offset, "not a PUT record");
        }
        payload.getLong();
        Records.FileHeader fileHeader = header(fileId);
        if (fileHeader.encrypted()) {
            // Checked at start for every file holding queued events; failing here means a damaged header.
            Encryption.FileKey key = fileKey(fileId, fileHeader);
            if (key.key() == null) {
                throw new CorruptRecordException(files.path(fileId), offset, "the record is encrypted but "
                        + (fileHeader.damage() != null ? "the file header naming its key is damaged: "
                        + fileHeader.damage() : "its key " + fileHeader.alias() + " is not configured"));
            }
            key.crypt(payload.array(), Records.PAYLOAD_PREFIX, payload.limit() - Records.PAYLOAD_PREFIX, offset);
        }
        try {
            return Records.readEvent(payload);
        } catch (RuntimeException e) {
            throw new CorruptRecordException(files.path(fileId), offset, "unreadable event: " + e.getMessage());
        }
    }

    /** The header of a data file, read once and kept. */
    Records.FileHeader header(int fileId) throws IOException {
        Records.FileHeader header = headers.get(fileId);
        if (header != null) {
            return header;
        }
        ByteBuffer bytes = ByteBuffer.allocate(Records.MAX_FILE_HEADER);
        // Until the buffer is full or the file ends: a short file has a short header, judged by readFileHeader.
        int read = files.readAtMost(fileId, 0, bytes);
        header = Records.readFileHeader(bytes, read, fileId);
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
            events.merge(AppendLog.fileId(pointer), 1, Integer::sum);
        }
        for (Map.Entry<Integer, Integer> file : events.entrySet()) {
            Records.FileHeader header = header(file.getKey());
            if (!header.encrypted() || header.damage() != null) {
                continue;
            }
            Path path = files.path(file.getKey());
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

    /** Ids of the files being appended to. */
    List<Integer> activeFileIds() {
        return files.activeFileIds();
    }

    /** Deletes a data file no longer referenced; false if it is being appended to. */
    boolean delete(int fileId) throws IOException {
        if (!files.delete(fileId)) {
            return false;
        }
        headers.remove(fileId);
        fileKeys.remove(fileId);
        return true;
    }

    /** Forces and closes every file; the first failure is thrown after all were tried. */
    void close() throws IOException {
        files.close();
    }

    /** Events are queued in a file whose key is not configured, or not the key that wrote it. */
    static final class MissingKeyException extends IOException {
        private static final long serialVersionUID = 1L;

        MissingKeyException(String message) {
            super(message);
        }
    }
}

package org.sluice.channel.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;

import org.sluice.support.log.CorruptRecordException;
import org.sluice.support.log.RecordFraming;

/**
 * One data file of a Flume file channel, {@code log-N} with its metadata {@code log-N.meta}, read only. The file is a
 * sequence of operations, each one byte: a record ({@code 0x7F}, then an int length and that many bytes, the
 * {@link FlumeRecords} record, encrypted if the metadata names a key), a record marked void by Flume's integrity
 * tool ({@code 0x00}, same layout, skipped), or the end ({@code 0x80}: Flume preallocates files 1 MiB at a time with
 * this byte). An encrypted file's records are each encrypted on its own with AES/CTR from the same initial counter,
 * the parameters in the metadata.
 */
final class FlumeDataFile {
    static final Pattern DATA_FILE = Pattern.compile("log-(\\d{1,9})");
    static final String META_SUFFIX = ".meta";
    private static final byte OP_RECORD = 0x7F;
    private static final byte OP_NOOP = 0x00;
    private static final byte OP_EOF = (byte) 0x80;
    /** Flume's name of its one cipher, and the class name it also accepts in a configuration. */
    private static final String FLUME_CIPHER = "AESCTRNOPADDING";
    private static final String FLUME_CIPHER_CLASS = "org.apache.flume.channel.file.encryption.AESCTRNoPaddingProvider";

    /** A record read in order: where it starts and what it is. */
    record Located(int fileId, int offset, FlumeRecords.Record record) {
    }

    /** Sees the damage a sequential read meets; the read stops there, as Flume's own replay does. */
    interface DamageObserver {
        void damaged(FlumeDataFile file, long offset, String what);
    }

    private final int id;
    private final Path path;
    private final FlumeRecords.FileMeta meta;
    private final SecretKey key;
    private MappedByteBuffer map;
    /** Initialised once: after each doFinal a Cipher is back at its initial counter, where every record starts. */
    private Cipher cipher;

    private FlumeDataFile(int id, Path path, FlumeRecords.FileMeta meta, SecretKey key) {
        this.id = id;
        this.path = path;
        this.meta = meta;
        this.key = key;
    }

    /** The id of a data file name, or -1 if {@code name} is no Flume data file. */
    static int idOf(String name) {
        Matcher matcher = DATA_FILE.matcher(name);
        return matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    /**
     * Opens {@code log-N} and reads its metadata. Flume replaces the metadata by writing {@code .meta.tmp} and renaming
     * it, through {@code .meta.old} where a rename cannot replace: what a crash leaves is read the way Flume reads it.
     *
     * @param keys the channel's configured keys, or null
     * @throws FlumeTakeover.Refused if the file is encrypted with a key that is not configured
     */
    static FlumeDataFile open(String channelName, Path path, Encryption keys) throws IOException {
        int id = idOf(path.getFileName().toString());
        Path meta = null;
        for (String suffix : new String[] {META_SUFFIX, META_SUFFIX + ".tmp", META_SUFFIX + ".old"}) {
            Path candidate = path.resolveSibling(path.getFileName() + suffix);
            if (Files.exists(candidate)) {
                meta = candidate;
                break;
            }
        }
        if (meta == null) {
            throw new FlumeTakeover.Refused("channel " + channelName + ": Flume's data file " + path + " has no "
                    + path.getFileName() + META_SUFFIX + "; only Flume 1.3 and later write that format (version 3). "
                    + "Start Flume 1.11 once on these directories to upgrade its older files, then Sluice");
        }
        FlumeRecords.FileMeta parsed;
        try {
            parsed = FlumeRecords.parseFileMeta(Files.readAllBytes(meta));
        } catch (IOException e) {
            throw new CorruptRecordException("Flume's data file metadata " + meta + " is damaged: " + e.getMessage());
        }
        if (parsed.version() != FlumeRecords.VERSION) {
            throw new FlumeTakeover.Refused("channel " + channelName + ": " + meta + " is of Flume format version "
                    + parsed.version() + "; Sluice takes over version " + FlumeRecords.VERSION + " (Flume 1.3 to 1.11)");
        }
        if (parsed.fileId() != id) {
            throw new CorruptRecordException(meta + " is the metadata of file id " + parsed.fileId() + ", not of "
                    + path.getFileName());
        }
        SecretKey key = null;
        if (parsed.encrypted()) {
            key = keys == null ? null : keys.key(parsed.keyAlias());
            if (key == null) {
                throw new FlumeTakeover.Refused("channel " + channelName + ": Flume's data file " + path
                        + " is encrypted with key " + parsed.keyAlias() + ", which this channel "
                        + (keys == null ? "does not have: configure encryption.activeKey, encryption.cipherProvider "
                                + "and encryption.keyProvider.* as Flume had them"
                                : "does not have: add " + parsed.keyAlias() + " to encryption.keyProvider.keys (keys "
                                        + "configured: " + keys.aliases() + ")")
                        + ". Nothing was changed; Flume's files are as they were");
            }
            String cipher = parsed.cipherProvider().trim();
            if (!cipher.toUpperCase(Locale.ROOT).equals(FLUME_CIPHER) && !cipher.equals(FLUME_CIPHER_CLASS)) {
                throw new FlumeTakeover.Refused("channel " + channelName + ": Flume's data file " + path
                        + " is encrypted with cipher provider " + cipher + "; Sluice reads " + FLUME_CIPHER);
            }
        }
        return new FlumeDataFile(id, path, parsed, key);
    }

    int id() {
        return id;
    }

    Path path() {
        return path;
    }

    FlumeRecords.FileMeta meta() {
        return meta;
    }

    /**
     * Where a replay from the checkpoint of write order {@code checkpointWriteOrderId} starts reading: Flume marks in
     * each file's metadata the position of its last checkpoint and of the one before, and every record before the
     * position belongs to that checkpoint.
     */
    long replayStart(long checkpointWriteOrderId) {
        if (meta.checkpointPosition() > 0) {
            if (meta.checkpointWriteOrderId() <= checkpointWriteOrderId) {
                return meta.checkpointPosition();
            }
            if (meta.backupCheckpointWriteOrderId() <= checkpointWriteOrderId && meta.backupCheckpointPosition() > 0) {
                return meta.backupCheckpointPosition();
            }
        }
        return 0;
    }

    private MappedByteBuffer map() throws IOException {
        if (map == null) {
            map = RecordFraming.map(path);
        }
        return map;
    }

    /** Reads the records from {@code start} on, in file order. */
    Cursor cursor(long start, DamageObserver damage) throws IOException {
        return new Cursor((int) start, damage);
    }

    /** Reads the event of the PUT record at {@code offset}, decrypted. */
    FlumeRecords.Record readPut(int offset) throws IOException {
        ByteBuffer file = map();
        if (offset < 0 || offset + 5 > file.limit()) {
            throw new CorruptRecordException(path, offset, "beyond the end of the file");
        }
        if (file.get(offset) != OP_RECORD) {
            throw new CorruptRecordException(path, offset, file.get(offset) == OP_NOOP
                    ? "the record was voided by Flume's integrity tool" : "no record starts there");
        }
        FlumeRecords.Record record = parse(file, offset, true);
        if (record.type() != FlumeRecords.PUT) {
            throw new CorruptRecordException(path, offset, "not a PUT record");
        }
        return record;
    }

    /** Bytes of the record at {@code offset}, for the space the import needs. */
    int recordLength(int offset) throws IOException {
        ByteBuffer file = map();
        return offset >= 0 && offset + 5 <= file.limit() ? Math.max(0, file.getInt(offset + 1)) : 0;
    }

    private FlumeRecords.Record parse(ByteBuffer file, int offset, boolean withEvent) throws IOException {
        int length = file.getInt(offset + 1);
        if (length < 0 || (long) offset + 5 + length > file.limit()) {
            throw new CorruptRecordException(path, offset, "a record of " + length + " bytes does not fit the file");
        }
        byte[] bytes = new byte[length];
        file.get(offset + 5, bytes);
        if (key != null) {
            bytes = decrypt(bytes);
        }
        try {
            return FlumeRecords.parseRecord(bytes, withEvent);
        } catch (IOException e) {
            throw new CorruptRecordException(path, offset, (key != null ? "unreadable after decryption with key "
                    + meta.keyAlias() + " (is it the key Flume used under that alias?): " : "unreadable: ")
                    + e.getMessage());
        }
    }

    private byte[] decrypt(byte[] bytes) throws IOException {
        try {
            // Flume encrypts every record from the file's initial counter: each is decrypted from it too.
            if (cipher == null) {
                Cipher fresh = Cipher.getInstance(Encryption.CIPHER);
                fresh.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(meta.cipherParameters()));
                cipher = fresh;
            }
            return cipher.doFinal(bytes);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            cipher = null;
            throw new CorruptRecordException("cannot decrypt " + path + " with key " + meta.keyAlias() + ": " + e);
        }
    }

    void close() {
        map = null;
    }

    @Override
    public String toString() {
        return path.toString();
    }

    /** Reads records one after the other, as Flume's replay does, and stops at the end or at damage. */
    final class Cursor {
        private final DamageObserver damage;
        private int position;
        private Located next;

        private Cursor(int start, DamageObserver damage) throws IOException {
            this.damage = damage;
            this.position = start;
            advance();
        }

        /** The record the cursor is at, or null at the end. */
        Located peek() {
            return next;
        }

        Located poll() throws IOException {
            Located current = next;
            advance();
            return current;
        }

        private void advance() throws IOException {
            next = null;
            ByteBuffer file = map();
            while (position < file.limit()) {
                byte operation = file.get(position);
                if (operation == OP_EOF) {
                    return;
                }
                if (operation != OP_RECORD && operation != OP_NOOP) {
                    damage.damaged(FlumeDataFile.this, position, "no record starts there (byte "
                            + Integer.toHexString(operation & 0xFF) + "); the rest of the file is not read");
                    position = file.limit();
                    return;
                }
                if (position + 5 > file.limit()) {
                    damage.damaged(FlumeDataFile.this, position, "a record cut short at the end of the file");
                    position = file.limit();
                    return;
                }
                int offset = position;
                int length = file.getInt(position + 1);
                if (operation == OP_NOOP) {
                    position = length < 0 ? file.limit() : position + 5 + length;
                    continue;
                }
                try {
                    FlumeRecords.Record record = parse(file, offset, false);
                    position = offset + 5 + length;
                    next = new Located(id, offset, record);
                    return;
                } catch (CorruptRecordException e) {
                    damage.damaged(FlumeDataFile.this, offset, e.getMessage() + "; the rest of the file is not read");
                    position = file.limit();
                    return;
                }
            }
        }
    }
}

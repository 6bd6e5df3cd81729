package org.sluice.channel.file;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.sluice.api.event.Event;
import org.sluice.support.log.AppendLog;
import org.sluice.support.log.EventCodec;
import org.sluice.support.log.RecordFraming;

/**
 * The on-disk format of the data files (see docs/file-channel.md). A file is a header followed by records, framed
 * by the shared log ({@link RecordFraming}: magic {@link #RECORD_MAGIC}, length, CRC32C of the payload) with the
 * payload
 *
 * <pre>
 * byte  type         PUT, TAKE or COMMIT
 * long  txId         the transaction the record belongs to
 * ...   fields of the type
 * </pre>
 *
 * A transaction's records are written contiguously by one write at its commit, its COMMIT record last, so a
 * reader that does not reach a transaction's COMMIT record ignores the transaction. All numbers are big-endian.
 */
final class Records {
    static final int FILE_MAGIC = 0x534C4346; // "SLCF"
    static final int FILE_VERSION = 1;
    /** The header of an unencrypted file (version 1): magic, version, file id; its records follow. */
    static final int FILE_HEADER = 12;
    /**
     * An encrypted file's header: magic, version 2, file id, then {@code int} header length, {@code byte} cipher
     * (1: AES/CTR/NoPadding), {@code short} alias length and the UTF-8 alias of the key, the 16-byte counter base,
     * the 8-byte key check, and a CRC32C of all the header's bytes before it; its records follow.
     */
    static final int FILE_VERSION_ENCRYPTED = 2;
    static final byte CIPHER_AES_CTR = 1;
    private static final int ENCRYPTED_HEADER_FIXED = FILE_HEADER + 4 + 1 + 2 + Encryption.BASE_BYTES
            + Encryption.CHECK_BYTES + 4;
    /** The longest file header: what a transaction can never use of maxFileSize. */
    static final int MAX_FILE_HEADER = ENCRYPTED_HEADER_FIXED + Encryption.MAX_ALIAS_BYTES;

    static final int RECORD_MAGIC = 0x5C1CE0F1;
    /** Magic, length, crc. */
    static final int RECORD_HEADER = RecordFraming.HEADER;

    static final byte PUT = 1;
    static final byte TAKE = 2;
    static final byte COMMIT = 3;

    /** Type and transaction id, common to every payload. */
    static final int PAYLOAD_PREFIX = 1 + 8;
    static final int TAKE_PAYLOAD = PAYLOAD_PREFIX + 8;
    static final int COMMIT_PAYLOAD = PAYLOAD_PREFIX + 8 + 4 + 4;

    /** The framing of the data files' records; every payload has at least a type and a transaction id. */
    static final RecordFraming FRAMING = new RecordFraming(RECORD_MAGIC, PAYLOAD_PREFIX);

    private Records() {
    }

    /** The file and offset of a pointer ({@link AppendLog#pointer}), for messages. */
    static String describe(long pointer) {
        return DataLog.PREFIX + AppendLog.fileId(pointer) + " offset " + AppendLog.offset(pointer);
    }

    static ByteBuffer fileHeader(int fileId) {
        ByteBuffer header = ByteBuffer.allocate(FILE_HEADER);
        header.putInt(FILE_MAGIC).putInt(FILE_VERSION).putInt(fileId).flip();
        return header;
    }

    /** The header of a new file: version 1 if {@code key} is null, else version 2 naming the key. */
    static ByteBuffer fileHeader(int fileId, Encryption.FileKey key) {
        if (key == null) {
            return fileHeader(fileId);
        }
        byte[] alias = key.alias().getBytes(StandardCharsets.UTF_8);
        ByteBuffer header = ByteBuffer.allocate(ENCRYPTED_HEADER_FIXED + alias.length);
        header.putInt(FILE_MAGIC).putInt(FILE_VERSION_ENCRYPTED).putInt(fileId).putInt(header.capacity())
                .put(CIPHER_AES_CTR).putShort((short) alias.length).put(alias).put(key.base()).put(key.check());
        header.putInt(RecordFraming.crc(header.array(), 0, header.position())).flip();
        return header;
    }

    /**
     * What a file header says. {@code damage} is null for a good header, else why it is not; {@code recordsStart}
     * is where the records begin (for a damaged header a guess: a reader checks every record on its own).
     * {@code alias}, {@code base} and {@code check} are set for an encrypted file, and {@code encrypted} also
     * when its header is damaged: its records then cannot be decrypted.
     */
    record FileHeader(int recordsStart, boolean encrypted, String alias, byte[] base, byte[] check, String damage) {
    }

    /** Reads the header at the start of {@code file} ({@code size} bytes long; absolute gets, from 0). */
    static FileHeader readFileHeader(ByteBuffer file, int size, int fileId) {
        if (size < FILE_HEADER) {
            return new FileHeader(FILE_HEADER, false, null, null, null, "shorter than a file header");
        }
        int version = file.getInt(4);
        String damage = file.getInt(0) != FILE_MAGIC ? "no file magic"
                : file.getInt(8) != fileId ? "the header is of file id " + file.getInt(8)
                : version != FILE_VERSION && version != FILE_VERSION_ENCRYPTED ? "unknown version " + version : null;
        if (version != FILE_VERSION_ENCRYPTED) {
            return new FileHeader(FILE_HEADER, false, null, null, null, damage);
        }
        int length = size >= FILE_HEADER + 4 ? file.getInt(FILE_HEADER) : -1;
        if (length < ENCRYPTED_HEADER_FIXED || length > MAX_FILE_HEADER || length > size) {
            return new FileHeader(FILE_HEADER, true, null, null, null,
                    damage != null ? damage : "encrypted file header of impossible length " + length);
        }
        byte[] bytes = new byte[length];
        file.get(0, bytes);
        if (RecordFraming.crc(bytes, 0, length - 4) != ByteBuffer.wrap(bytes).getInt(length - 4)) {
            return new FileHeader(length, true, null, null, null,
                    damage != null ? damage : "checksum mismatch in the encrypted file header");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes).position(FILE_HEADER + 4);
        byte cipher = header.get();
        int aliasLength = header.getShort() & 0xFFFF;
        if (aliasLength != length - ENCRYPTED_HEADER_FIXED) {
            return new FileHeader(length, true, null, null, null, "alias length " + aliasLength
                    + " does not fit the encrypted file header");
        }
        String alias = new String(bytes, header.position(), aliasLength, StandardCharsets.UTF_8);
        header.position(header.position() + aliasLength);
        byte[] base = new byte[Encryption.BASE_BYTES];
        byte[] check = new byte[Encryption.CHECK_BYTES];
        header.get(base).get(check);
        if (cipher != CIPHER_AES_CTR) {
            return new FileHeader(length, true, alias, null, null, "unknown cipher " + cipher);
        }
        return new FileHeader(length, true, alias, base, check, damage);
    }

    /**
     * Encrypts (or, applied again, decrypts: CTR is its own inverse), in place, the event of the PUT record at {@code start} of {@code bytes}, which is written at
     * {@code fileOffset} of its file, and recomputes its checksum, so that the checksum covers what is on the
     * disk. Type and transaction id stay clear: replay reads them without the keys.
     */
    static void encryptPut(byte[] bytes, int start, long fileOffset, Encryption.FileKey key) {
        int length = ByteBuffer.wrap(bytes).getInt(start + 4);
        key.crypt(bytes, start + RECORD_HEADER + PAYLOAD_PREFIX, length - PAYLOAD_PREFIX, fileOffset);
        RecordFraming.rechecksum(bytes, start);
    }

    /** Bytes a PUT record of this event takes, header included. */
    static int putRecordSize(Event event) {
        return RECORD_HEADER + PAYLOAD_PREFIX + EventCodec.size(event);
    }

    /** Writes a whole PUT record into {@code into} at its position, which it advances. */
    static void writePut(ByteBuffer into, long txId, Event event) {
        int start = FRAMING.begin(into);
        into.put(PUT).putLong(txId);
        EventCodec.write(into, event);
        FRAMING.finish(into, start);
    }

    static void writeTake(ByteBuffer into, long txId, long putPointer) {
        int start = FRAMING.begin(into);
        into.put(TAKE).putLong(txId).putLong(putPointer);
        FRAMING.finish(into, start);
    }

    static void writeCommit(ByteBuffer into, long txId, long sequence, int puts, int takes) {
        int start = FRAMING.begin(into);
        into.put(COMMIT).putLong(txId).putLong(sequence).putInt(puts).putInt(takes);
        FRAMING.finish(into, start);
    }

    /** Reads the event of a PUT payload (positioned after type and transaction id). */
    static Event readEvent(ByteBuffer payload) {
        return EventCodec.read(payload);
    }
}

package org.sluice.channel.file;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;

/**
 * The on-disk format of the data files (see docs/file-channel.md). A file is a header followed by records;
 * every record is
 *
 * <pre>
 * int   MAGIC        marks a record start, so a reader can find the next record after a damaged one
 * int   length       bytes of the payload
 * int   crc          CRC32C of the payload
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
    static final int RECORD_HEADER = 12;

    static final byte PUT = 1;
    static final byte TAKE = 2;
    static final byte COMMIT = 3;

    /** Type and transaction id, common to every payload. */
    static final int PAYLOAD_PREFIX = 1 + 8;
    static final int TAKE_PAYLOAD = PAYLOAD_PREFIX + 8;
    static final int COMMIT_PAYLOAD = PAYLOAD_PREFIX + 8 + 4 + 4;

    private Records() {
    }

    /** A pointer to a PUT record: the file id in the high half, the offset in the low half. */
    static long pointer(int fileId, long offset) {
        return ((long) fileId << 32) | (offset & 0xFFFFFFFFL);
    }

    static int fileId(long pointer) {
        return (int) (pointer >>> 32);
    }

    static long offset(long pointer) {
        return pointer & 0xFFFFFFFFL;
    }

    static String describe(long pointer) {
        return "log-" + fileId(pointer) + " offset " + offset(pointer);
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    static int crc(ByteBuffer buffer) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate());
        return (int) crc.getValue();
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
        header.putInt(crc(header.array(), 0, header.position())).flip();
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
        if (crc(bytes, 0, length - 4) != ByteBuffer.wrap(bytes).getInt(length - 4)) {
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
        ByteBuffer record = ByteBuffer.wrap(bytes);
        int length = record.getInt(start + 4);
        int payload = start + RECORD_HEADER;
        key.crypt(bytes, payload + PAYLOAD_PREFIX, length - PAYLOAD_PREFIX, fileOffset);
        record.putInt(start + 8, crc(bytes, payload, length));
    }

    /** Bytes a PUT record of this event takes, header included. */
    static int putRecordSize(Event event) {
        long size = RECORD_HEADER + PAYLOAD_PREFIX + 4L;
        for (Map.Entry<String, String> header : event.getHeaders().entrySet()) {
            size += 8L + utf8Length(header.getKey()) + utf8Length(header.getValue());
        }
        size += 4L + event.getBody().length;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("event of " + size + " bytes");
        }
        return (int) size;
    }

    /** Writes a whole PUT record into {@code into} at its position, which it advances. */
    static void writePut(ByteBuffer into, long txId, Event event) {
        int start = into.position();
        into.position(start + RECORD_HEADER);
        into.put(PUT).putLong(txId).putInt(event.getHeaders().size());
        for (Map.Entry<String, String> header : event.getHeaders().entrySet()) {
            putString(into, header.getKey());
            putString(into, header.getValue());
        }
        into.putInt(event.getBody().length).put(event.getBody());
        finish(into, start);
    }

    static void writeTake(ByteBuffer into, long txId, long putPointer) {
        int start = into.position();
        into.position(start + RECORD_HEADER);
        into.put(TAKE).putLong(txId).putLong(putPointer);
        finish(into, start);
    }

    static void writeCommit(ByteBuffer into, long txId, long sequence, int puts, int takes) {
        int start = into.position();
        into.position(start + RECORD_HEADER);
        into.put(COMMIT).putLong(txId).putLong(sequence).putInt(puts).putInt(takes);
        finish(into, start);
    }

    /** Fills in the header of the record that starts at {@code start} and ends at the buffer's position. */
    private static void finish(ByteBuffer into, int start) {
        int end = into.position();
        int length = end - start - RECORD_HEADER;
        ByteBuffer payload = into.duplicate().position(start + RECORD_HEADER).limit(end);
        into.putInt(start, RECORD_MAGIC).putInt(start + 4, length).putInt(start + 8, crc(payload));
    }

    /** Reads the event of a PUT payload (positioned after type and transaction id). */
    static Event readEvent(ByteBuffer payload) {
        int headerCount = payload.getInt();
        if (headerCount < 0 || headerCount > payload.remaining() / 8) {
            throw new IllegalArgumentException("header count " + headerCount);
        }
        Map<String, String> headers = new LinkedHashMap<>(Math.max(4, headerCount * 2));
        for (int i = 0; i < headerCount; i++) {
            String key = getString(payload);
            headers.put(key, getString(payload));
        }
        int bodyLength = payload.getInt();
        if (bodyLength < 0 || bodyLength > payload.remaining()) {
            throw new IllegalArgumentException("body length " + bodyLength);
        }
        byte[] body = new byte[bodyLength];
        payload.get(body);
        SimpleEvent event = new SimpleEvent();
        event.setHeaders(headers);
        event.setBody(body);
        return event;
    }

    private static void putString(ByteBuffer into, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        into.putInt(bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer from) {
        int length = from.getInt();
        if (length < 0 || length > from.remaining()) {
            throw new IllegalArgumentException("string length " + length);
        }
        String value = new String(from.array(), from.arrayOffset() + from.position(), length, StandardCharsets.UTF_8);
        from.position(from.position() + length);
        return value;
    }

    private static int utf8Length(String value) {
        int length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}

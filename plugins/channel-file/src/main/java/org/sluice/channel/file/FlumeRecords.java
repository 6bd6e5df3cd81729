package org.sluice.channel.file;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;

/**
 * The messages of Apache Flume's file channel (format version 3, Flume 1.3 to 1.11), read to take over the events
 * a Flume agent left behind. They are protocol buffers 2 messages, written length-delimited; protobuf-java's
 * {@link CodedInputStream} decodes the wire format, this class maps the field numbers of Flume's message
 * definitions (filechannel.proto) to what Sluice needs:
 *
 * <pre>
 * TransactionEventHeader  1 type sfixed32 (1 PUT, 2 TAKE, 3 ROLLBACK, 4 COMMIT), 2 transactionID sfixed64,
 *                         3 writeOrderID sfixed64
 * Put                     1 event FlumeEvent, 2 checksum sfixed64 (CRC32 of the body)
 * FlumeEvent              1 headers repeated FlumeEventHeader (1 key string, 2 value string), 2 body bytes
 * Take                    1 fileID sfixed32, 2 offset sfixed32
 * Commit                  1 type sfixed32 (the type of the records it commits: PUT or TAKE)
 * Rollback, footer        no fields
 * LogFileMetaData         1 version sfixed32, 2 logFileID sfixed32, 3 checkpointPosition sfixed64,
 *                         4 checkpointWriteOrderID sfixed64, 5 encryption LogFileEncryption (1 cipherProvider
 *                         string, 2 keyAlias string, 3 parameters bytes), 6 backupCheckpointPosition sfixed64,
 *                         7 backupCheckpointWriteOrderID sfixed64
 * Checkpoint              1 version sfixed32, 2 writeOrderID sfixed64, 3 queueSize sfixed32, 4 queueHead sfixed32,
 *                         5 activeLogs repeated (1 logFileID, 2 count)
 * </pre>
 *
 * A data file record is the header, the record's own message and the footer, each length-delimited.
 */
final class FlumeRecords {
    static final short PUT = 1;
    static final short TAKE = 2;
    static final short ROLLBACK = 3;
    static final short COMMIT = 4;
    /** The format version of Flume's data file metadata and checkpoints that this reads. */
    static final int VERSION = 3;

    private FlumeRecords() {
    }

    /**
     * One transaction record. {@code takenPointer} (a TAKE's) is the Flume pointer of the PUT record taken: file id
     * in the high 32 bits, offset in the low ones. {@code event} is set for a PUT read with its event.
     */
    record Record(short type, long transactionId, long writeOrderId, Event event, long takenPointer,
            short commitType) {
    }

    /** A data file's metadata ({@code log-N.meta}); {@code keyAlias} is null for a file in the clear. */
    record FileMeta(int version, int fileId, long checkpointPosition, long checkpointWriteOrderId,
            long backupCheckpointPosition, long backupCheckpointWriteOrderId, String cipherProvider, String keyAlias,
            byte[] cipherParameters) {
        boolean encrypted() {
            return keyAlias != null;
        }
    }

    /** The checkpoint's metadata ({@code checkpoint.meta}): where the queue starts in the ring and how long it is. */
    record CheckpointMeta(int version, long writeOrderId, int queueSize, int queueHead) {
    }

    /** A Flume pointer: the file id and the offset of a PUT record, as Flume packs them in a long. */
    static long pointer(int fileId, int offset) {
        return ((long) fileId << 32) | (offset & 0xFFFFFFFFL);
    }

    static int fileId(long pointer) {
        return (int) (pointer >>> 32);
    }

    static int offset(long pointer) {
        return (int) pointer;
    }

    /**
     * Parses one data file record. Without {@code withEvent} a PUT's event is not decoded (replay needs only the
     * types, ids and pointers).
     *
     * @throws InvalidProtocolBufferException if the bytes are not such a record (damage, or decrypted with a wrong key)
     */
    static Record parseRecord(byte[] bytes, boolean withEvent) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        int limit = in.pushLimit(in.readRawVarint32());
        int type = -1;
        long transactionId = 0;
        long writeOrderId = 0;
        int seen = 0;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (field(tag, 1, WireFormat.WIRETYPE_FIXED32)) {
                type = in.readSFixed32();
            } else if (field(tag, 2, WireFormat.WIRETYPE_FIXED64)) {
                transactionId = in.readSFixed64();
            } else if (field(tag, 3, WireFormat.WIRETYPE_FIXED64)) {
                writeOrderId = in.readSFixed64();
            } else {
                in.skipField(tag);
                continue;
            }
            seen |= 1 << WireFormat.getTagFieldNumber(tag);
        }
        in.popLimit(limit);
        require(seen, 0b1110, "transaction record header");
        Record record = switch (type) {
            case PUT -> new Record(PUT, transactionId, writeOrderId, withEvent ? readPut(in) : null, 0, (short) 0);
            case TAKE -> new Record(TAKE, transactionId, writeOrderId, null, readTake(in), (short) 0);
            case ROLLBACK -> {
                skipMessage(in);
                yield new Record(ROLLBACK, transactionId, writeOrderId, null, 0, (short) 0);
            }
            case COMMIT -> new Record(COMMIT, transactionId, writeOrderId, null, 0, readCommit(in));
            default -> throw new InvalidProtocolBufferException("unknown record type " + type);
        };
        if (withEvent || type != PUT) {
            // The footer: an empty message, present in every record Flume writes.
            skipMessage(in);
        }
        return record;
    }

    private static Event readPut(CodedInputStream in) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        Event event = null;
        long checksum = 0;
        boolean hasChecksum = false;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (field(tag, 1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int eventLimit = in.pushLimit(in.readRawVarint32());
                event = readEvent(in);
                in.popLimit(eventLimit);
            } else if (field(tag, 2, WireFormat.WIRETYPE_FIXED64)) {
                checksum = in.readSFixed64();
                hasChecksum = true;
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(limit);
        if (event == null) {
            throw new InvalidProtocolBufferException("a PUT record without its event");
        }
        if (hasChecksum) {
            CRC32 crc = new CRC32();
            crc.update(event.getBody());
            if (crc.getValue() != checksum) {
                throw new InvalidProtocolBufferException("the event body does not match its checksum");
            }
        }
        return event;
    }

    private static Event readEvent(CodedInputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        byte[] body = null;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (field(tag, 1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int limit = in.pushLimit(in.readRawVarint32());
                String key = null;
                // An absent value is the empty string, as Flume's reader gives it.
                String value = "";
                while (!in.isAtEnd()) {
                    int headerTag = in.readTag();
                    if (field(headerTag, 1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                        key = in.readStringRequireUtf8();
                    } else if (field(headerTag, 2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                        value = in.readStringRequireUtf8();
                    } else {
                        in.skipField(headerTag);
                    }
                }
                in.popLimit(limit);
                if (key == null) {
                    throw new InvalidProtocolBufferException("an event header without its key");
                }
                headers.put(key, value);
            } else if (field(tag, 2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                body = in.readByteArray();
            } else {
                in.skipField(tag);
            }
        }
        if (body == null) {
            throw new InvalidProtocolBufferException("an event without its body");
        }
        return EventBuilder.withBody(body, headers);
    }

    private static long readTake(CodedInputStream in) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        int fileId = 0;
        int offset = 0;
        int seen = 0;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (field(tag, 1, WireFormat.WIRETYPE_FIXED32)) {
                fileId = in.readSFixed32();
                seen |= 2;
            } else if (field(tag, 2, WireFormat.WIRETYPE_FIXED32)) {
                offset = in.readSFixed32();
                seen |= 4;
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(limit);
        require(seen, 0b110, "TAKE record");
        return pointer(fileId, offset);
    }

    private static short readCommit(CodedInputStream in) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        int type = -1;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (field(tag, 1, WireFormat.WIRETYPE_FIXED32)) {
                type = in.readSFixed32();
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(limit);
        if (type != PUT && type != TAKE) {
            throw new InvalidProtocolBufferException("a COMMIT record of type " + type);
        }
        return (short) type;
    }

    /** Parses a data file's metadata, the one length-delimited message of {@code log-N.meta}. */
    static FileMeta parseFileMeta(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        int limit = in.pushLimit(in.readRawVarint32());
        int version = 0;
        int fileId = 0;
        long[] positions = new long[4];
        String cipherProvider = null;
        String keyAlias = null;
        byte[] parameters = null;
        int seen = 0;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int number = WireFormat.getTagFieldNumber(tag);
            if (field(tag, 1, WireFormat.WIRETYPE_FIXED32)) {
                version = in.readSFixed32();
            } else if (field(tag, 2, WireFormat.WIRETYPE_FIXED32)) {
                fileId = in.readSFixed32();
            } else if ((number == 3 || number == 4 || number == 6 || number == 7)
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_FIXED64) {
                positions[number == 3 ? 0 : number == 4 ? 1 : number == 6 ? 2 : 3] = in.readSFixed64();
            } else if (field(tag, 5, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int encryptionLimit = in.pushLimit(in.readRawVarint32());
                while (!in.isAtEnd()) {
                    int encryptionTag = in.readTag();
                    if (field(encryptionTag, 1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                        cipherProvider = in.readStringRequireUtf8();
                    } else if (field(encryptionTag, 2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                        keyAlias = in.readStringRequireUtf8();
                    } else if (field(encryptionTag, 3, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                        parameters = in.readByteArray();
                    } else {
                        in.skipField(encryptionTag);
                    }
                }
                in.popLimit(encryptionLimit);
                if (keyAlias == null || cipherProvider == null) {
                    throw new InvalidProtocolBufferException("encryption settings without a cipher or key alias");
                }
            } else {
                in.skipField(tag);
                continue;
            }
            seen |= 1 << number;
        }
        in.popLimit(limit);
        require(seen, 0b11110, "data file metadata");
        return new FileMeta(version, fileId, positions[0], positions[1], positions[2], positions[3], cipherProvider,
                keyAlias, parameters);
    }

    /** Parses the checkpoint's metadata, the one length-delimited message of {@code checkpoint.meta}. */
    static CheckpointMeta parseCheckpointMeta(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        int limit = in.pushLimit(in.readRawVarint32());
        int version = 0;
        long writeOrderId = 0;
        int size = 0;
        int head = 0;
        int seen = 0;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (field(tag, 1, WireFormat.WIRETYPE_FIXED32)) {
                version = in.readSFixed32();
            } else if (field(tag, 2, WireFormat.WIRETYPE_FIXED64)) {
                writeOrderId = in.readSFixed64();
            } else if (field(tag, 3, WireFormat.WIRETYPE_FIXED32)) {
                size = in.readSFixed32();
            } else if (field(tag, 4, WireFormat.WIRETYPE_FIXED32)) {
                head = in.readSFixed32();
            } else {
                // Active logs (field 5) hold reference counts per file, which the queue itself gives.
                in.skipField(tag);
                continue;
            }
            seen |= 1 << WireFormat.getTagFieldNumber(tag);
        }
        in.popLimit(limit);
        require(seen, 0b11110, "checkpoint metadata");
        return new CheckpointMeta(version, writeOrderId, size, head);
    }

    private static boolean field(int tag, int number, int wireType) {
        return WireFormat.getTagFieldNumber(tag) == number && WireFormat.getTagWireType(tag) == wireType;
    }

    /** Flume's messages declare these fields required: a message without one is not Flume's. */
    private static void require(int seen, int required, String what) throws InvalidProtocolBufferException {
        if ((seen & required) != required) {
            throw new InvalidProtocolBufferException(what + " lacks a required field");
        }
    }

    private static void skipMessage(CodedInputStream in) throws IOException {
        int length = in.readRawVarint32();
        if (length < 0) {
            throw new InvalidProtocolBufferException("negative message length");
        }
        in.skipRawBytes(length);
    }
}

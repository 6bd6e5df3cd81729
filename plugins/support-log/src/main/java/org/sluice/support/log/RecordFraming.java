package org.sluice.support.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * How a log's records are framed, so that a reader can check each one and find the next after damage:
 *
 * <pre>
 * int  magic    marks a record start; each log has its own
 * int  length   bytes of the payload
 * int  crc      CRC32C of the payload
 * ...  payload
 * </pre>
 *
 * Numbers are big-endian. A record is valid if its magic is there, its length fits the file and is at least the
 * owner's shortest payload, and its checksum matches. A reader that meets an invalid record looks for the next
 * valid one. If there is none, the invalid record is the file's last write cut short by a crash (never
 * acknowledged), unless another record starts where its length says it ends: then it is damage, and the reader
 * goes on from there.
 */
public final class RecordFraming {
    /** Magic, length, crc. */
    public static final int HEADER = 12;

    private final int magic;
    private final int minPayload;

    /** Records starting with {@code magic} whose payloads are at least {@code minPayload} bytes. */
    public RecordFraming(int magic, int minPayload) {
        this.magic = magic;
        this.minPayload = minPayload;
    }

    public int magic() {
        return magic;
    }

    /** Leaves room for a record's header at the buffer's position; the payload goes after. Returns the record start. */
    public int begin(ByteBuffer into) {
        int start = into.position();
        into.position(start + HEADER);
        return start;
    }

    /** Fills in the header of the record from {@code start} to the buffer's position. */
    public void finish(ByteBuffer into, int start) {
        int end = into.position();
        int length = end - start - HEADER;
        ByteBuffer payload = into.duplicate().position(start + HEADER).limit(end);
        into.putInt(start, magic).putInt(start + 4, length).putInt(start + 8, crc(payload));
    }

    /** Recomputes the checksum of the record at {@code start} of {@code bytes}, whose payload was changed in place. */
    public static void rechecksum(byte[] bytes, int start) {
        ByteBuffer record = ByteBuffer.wrap(bytes);
        record.putInt(start + 8, crc(bytes, start + HEADER, record.getInt(start + 4)));
    }

    /** The payload length of the valid record at {@code position} of {@code file} (read up to {@code limit}), or -1. */
    public int validLength(ByteBuffer file, int position, int limit) {
        if (limit - position < HEADER || file.getInt(position) != magic) {
            return -1;
        }
        int length = file.getInt(position + 4);
        if (length < minPayload || length > limit - position - HEADER) {
            return -1;
        }
        ByteBuffer payload = file.duplicate().limit(position + HEADER + length).position(position + HEADER);
        return crc(payload) == file.getInt(position + 8) ? length : -1;
    }

    /**
     * Where the invalid record at {@code position} ends by its header, if another record's magic is there, before
     * {@code limit}; else -1.
     */
    private int declaredEnd(ByteBuffer file, int position, int limit) {
        if (limit - position < HEADER || file.getInt(position) != magic) {
            return -1;
        }
        long end = (long) position + HEADER + file.getInt(position + 4);
        return file.getInt(position + 4) >= minPayload && end + 4 <= limit && file.getInt((int) end) == magic
                ? (int) end : -1;
    }

    /** Where the next valid record at or after {@code from} starts, or -1 if there is none. */
    public int findNext(ByteBuffer file, int from, int limit) {
        for (int p = from; p + HEADER <= limit; p++) {
            if (file.getInt(p) == magic && validLength(file, p, limit) >= 0) {
                return p;
            }
        }
        return -1;
    }

    /** What a scan finds, record by record. */
    public interface Visitor {
        /** A valid record at {@code position}; its payload is the {@code length} bytes after its header. */
        void record(int position, int length);

        /**
         * {@code skipped} bytes at {@code position} are no valid record. {@code atEnd}: no valid record follows, the
         * trace of a crash during a write rather than of damage; the scan ends.
         */
        void damaged(int position, int skipped, boolean atEnd);
    }

    /** Walks the records of {@code file} from {@code from} to {@code limit}, skipping damage. */
    public void scan(ByteBuffer file, int from, int limit, Visitor visitor) {
        int position = from;
        while (position < limit) {
            int length = validLength(file, position, limit);
            if (length < 0) {
                int next = findNext(file, position + 1, limit);
                if (next < 0) {
                    int end = declaredEnd(file, position, limit);
                    if (end < 0) {
                        visitor.damaged(position, limit - position, true);
                        return;
                    }
                    // Not the last write: a record (itself maybe cut short) starts where this one ends.
                    next = end;
                }
                visitor.damaged(position, next - position, false);
                position = next;
                continue;
            }
            visitor.record(position, length);
            position += HEADER + length;
        }
    }

    /**
     * The payload of the record a pointer names, checked: magic, a length of at most {@code maxLength}, checksum. A
     * record that is not what was written is a {@link CorruptRecordException}.
     */
    public ByteBuffer read(AppendLog log, long pointer, long maxLength) throws IOException {
        int fileId = AppendLog.fileId(pointer);
        long offset = AppendLog.offset(pointer);
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        log.read(fileId, offset, header);
        int length = header.getInt(4);
        if (header.getInt(0) != magic || length < minPayload || length > maxLength) {
            throw new CorruptRecordException(log.path(fileId), offset, "no valid record header");
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        log.read(fileId, offset + HEADER, payload);
        payload.flip();
        if (crc(payload) != header.getInt(8)) {
            throw new CorruptRecordException(log.path(fileId), offset, "checksum mismatch");
        }
        return payload;
    }

    /** Maps a whole file read-only, for a scan; files of a log are below 2 GiB. */
    public static MappedByteBuffer map(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException(path + " is larger than any file of a log");
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
    }

    public static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** The CRC32C of the buffer's remaining bytes; its position is left as it is. */
    public static int crc(ByteBuffer buffer) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate());
        return (int) crc.getValue();
    }
}

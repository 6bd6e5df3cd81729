package org.sluice.rpc.avro;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.avro.AvroRuntimeException;
import org.sluice.support.guard.DecodeBudget;
import org.sluice.support.guard.RepeatedStrings;

/**
 * Avro's binary encoding read straight from a frame's buffers: zig-zag varints, length-prefixed strings and bytes,
 * and the block counts of maps and arrays. Every declared length and count is checked against the bytes left in
 * the frame before anything is allocated for it, so a request can never make the source allocate more than it sent
 * (the frame itself is bounded by {@link FrameDecoder}). The frame's buffers are read through duplicates and stay
 * as they were.
 */
final class FrameReader {
    private final ByteBuffer[] buffers;
    private int index;
    private ByteBuffer current;
    private long remaining;

    FrameReader(List<ByteBuffer> frame) {
        buffers = new ByteBuffer[frame.size()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = frame.get(i).duplicate();
            remaining += buffers[i].remaining();
        }
        current = buffers.length == 0 ? ByteBuffer.allocate(0) : buffers[0];
    }

    private static AvroRuntimeException malformed(String message) {
        return new AvroRuntimeException("Malformed request: " + message);
    }

    /** The buffer the next byte is in; frames are split into buffers anywhere, even inside a varint. */
    private ByteBuffer next() {
        while (!current.hasRemaining()) {
            if (++index >= buffers.length) {
                throw malformed("the frame ends in the middle of a value");
            }
            current = buffers[index];
        }
        return current;
    }

    private byte readByte() {
        byte b = next().get();
        remaining--;
        return b;
    }

    long readLong() {
        long raw = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = readByte();
            raw |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw malformed("a varint longer than 10 bytes");
    }

    /** A declared length, refused unless that many bytes are left in the frame. */
    private int readLength(String what) {
        long length = readLong();
        if (length < 0 || length > remaining) {
            throw malformed(what + " of " + length + " does not fit in the " + remaining + " bytes left of its frame");
        }
        return (int) length;
    }

    /** Bytes, charged to {@code budget} before they are allocated. */
    byte[] readBytes(DecodeBudget budget) {
        int length = readLength("bytes length");
        budget.chargeBytes(length);
        return readRaw(length);
    }

    /** A string of the call's own (the message name): bounded by the frame, not charged. */
    String readString() {
        return readString(null, 0, null);
    }

    /**
     * A string, charged to {@code budget} (if any) when a new one is made; with {@code repeated}, the same String as
     * the last one read at {@code place} if its bytes are the same (see {@link RepeatedStrings}), which costs nothing.
     */
    String readString(RepeatedStrings repeated, int place, DecodeBudget budget) {
        int length = readLength("string length");
        if (length == 0) {
            return "";
        }
        ByteBuffer from = next();
        if (from.remaining() < length) {
            // Split across two of the frame's buffers: rare, read as it comes.
            if (budget != null) {
                budget.chargeString(length);
            }
            return new String(readRaw(length), StandardCharsets.UTF_8);
        }
        String value;
        if (repeated != null) {
            value = repeated.decode(place, from, length, budget);
        } else {
            if (budget != null) {
                budget.chargeString(length);
            }
            value = decode(from, length);
        }
        from.position(from.position() + length);
        remaining -= length;
        return value;
    }

    /** The UTF-8 string of the {@code length} bytes at {@code from}'s position, which stays where it was. */
    static String decode(ByteBuffer from, int length) {
        if (from.hasArray()) {
            return new String(from.array(), from.arrayOffset() + from.position(), length, StandardCharsets.UTF_8);
        }
        byte[] raw = new byte[length];
        from.get(from.position(), raw);
        return new String(raw, StandardCharsets.UTF_8);
    }

    private byte[] readRaw(int length) {
        byte[] bytes = new byte[length];
        int copied = 0;
        while (copied < length) {
            ByteBuffer from = next();
            int n = Math.min(from.remaining(), length - copied);
            from.get(bytes, copied, n);
            copied += n;
        }
        remaining -= length;
        return bytes;
    }

    void skipBytes() {
        long length = readLength("bytes length");
        while (length > 0) {
            ByteBuffer from = next();
            int n = (int) Math.min(from.remaining(), length);
            from.position(from.position() + n);
            length -= n;
            remaining -= n;
        }
    }

    /**
     * The item count of the next block of a map or an array (0 at its end). A negative count is followed by the
     * block's size in bytes, which is read and not needed. Each item takes at least one byte, so a count larger than
     * what is left of the frame is refused.
     */
    int readBlockCount() {
        long count = readLong();
        if (count < 0) {
            count = -count;
            readLong();
        }
        if (count < 0 || count > remaining) {
            throw malformed("a block of " + count + " items does not fit in the " + remaining
                    + " bytes left of its frame");
        }
        return (int) count;
    }
}

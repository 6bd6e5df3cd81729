package org.sluice.rpc.avro;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;
import org.sluice.support.guard.DecodeBudget;

/**
 * A decoder that refuses lengths and counts the data cannot hold. Avro's binary decoder allocates a string or
 * byte array of the declared length before reading it (and a map or array of the declared count), so five
 * bytes declaring a 2 GB body would cost 2 GB. Here every declared length and count is checked against what
 * is left of the frame's byte budget first: what a request can make us allocate is then bounded by the frame
 * it arrived in, which {@link FrameDecoder} bounds by max-frame-size.
 *
 * <p>Strings and bytes are read as Avro encodes them, a long length followed by the raw bytes, so the length
 * is seen before any allocation. A collection item is charged one byte: no item of Flume's protocol encodes in
 * fewer (map keys and events have a length prefix).
 *
 * <p>What the decoded request takes on the heap is charged to a {@link DecodeBudget} as well: the items of an array
 * as events (the only array of Flume's protocol is appendBatch's), the items of a map as header entries, every
 * string and byte array by its length.
 */
final class BoundedDecoder extends Decoder {
    private final Decoder in;
    private long budget;
    private final DecodeBudget decoded;

    BoundedDecoder(Decoder in, long budget, DecodeBudget decoded) {
        this.in = in;
        this.budget = budget;
        this.decoded = decoded;
    }

    private int charge(long length, String what) {
        if (length < 0 || length > budget) {
            throw new AvroRuntimeException("Malformed request: " + what + " of " + length
                    + " does not fit in the " + budget + " bytes left of its frame");
        }
        budget -= length;
        return (int) length;
    }

    private long chargeItems(long count) {
        charge(count, "collection count");
        return count;
    }

    private long chargeEvents(long count) {
        chargeItems(count);
        decoded.chargeEvents(count);
        return count;
    }

    private long chargeHeaders(long count) {
        chargeItems(count);
        decoded.chargeHeaders(count);
        return count;
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = charge(in.readLong(), "string length");
        decoded.chargeString(length);
        byte[] bytes = new byte[length];
        in.readFixed(bytes, 0, length);
        return new Utf8(bytes);
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(charge(in.readLong(), "string length"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = charge(in.readLong(), "bytes length");
        decoded.chargeBytes(length);
        byte[] bytes = new byte[length];
        in.readFixed(bytes, 0, length);
        return ByteBuffer.wrap(bytes);
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(charge(in.readLong(), "bytes length"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(charge(length, "fixed length"));
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return chargeEvents(in.readArrayStart());
    }

    @Override
    public long arrayNext() throws IOException {
        return chargeEvents(in.arrayNext());
    }

    @Override
    public long skipArray() throws IOException {
        // Skipping allocates nothing, but a negative or huge count must still not loop for ever.
        return chargeItems(in.skipArray());
    }

    @Override
    public long readMapStart() throws IOException {
        return chargeHeaders(in.readMapStart());
    }

    @Override
    public long mapNext() throws IOException {
        return chargeHeaders(in.mapNext());
    }

    @Override
    public long skipMap() throws IOException {
        return chargeItems(in.skipMap());
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}

package org.sluice.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;

/**
 * Flume's event format on Kafka ({@code useFlumeEventFormat}, {@code parseAsFlumeEvent}): an Avro binary datum of
 * Flume's {@code AvroFlumeEvent} record, {@code {headers: map<string>, body: bytes}}, written without schema or
 * framing, as Flume's Kafka sink and channel write it and its Kafka source and channel read it.
 *
 * <p>Written here rather than through Avro's generic machinery: the layout is fixed (a map of strings, then bytes),
 * and encoding straight into one array of the exact size costs a fraction of a datum writer's work per event. The
 * reader checks every length against the bytes there are, so a record that is not such a datum (a plain text
 * record, another application's data) fails with a message instead of allocating what a garbage length says.
 */
public final class FlumeEventFormat {

    private FlumeEventFormat() {
    }

    /** A record that is not a Flume Avro event. */
    public static final class NotAFlumeEvent extends Exception {
        private static final long serialVersionUID = 1L;

        NotAFlumeEvent(String message) {
            super(message);
        }
    }

    /** The datum of an event, as Avro's binary encoder writes it: one map block (when not empty), then the body. */
    public static byte[] encode(Event event) {
        Map<String, String> headers = event.getHeaders();
        byte[] body = event.getBody();
        int n = headers.size();
        byte[][] utf8 = new byte[2 * n][];
        int size = 0;
        int i = 0;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            byte[] key = header.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = header.getValue().getBytes(StandardCharsets.UTF_8);
            utf8[i++] = key;
            utf8[i++] = value;
            size += longSize(key.length) + key.length + longSize(value.length) + value.length;
        }
        if (n > 0) {
            size += longSize(n);
        }
        size += 1 + longSize(body.length) + body.length;
        byte[] out = new byte[size];
        int at = 0;
        if (n > 0) {
            at = writeLong(out, at, n);
            for (byte[] bytes : utf8) {
                at = writeLong(out, at, bytes.length);
                System.arraycopy(bytes, 0, out, at, bytes.length);
                at += bytes.length;
            }
        }
        at = writeLong(out, at, 0);
        at = writeLong(out, at, body.length);
        System.arraycopy(body, 0, out, at, body.length);
        return out;
    }

    /**
     * Reads a datum; every byte must belong to it. Map blocks with a negative count (the count and a byte size, as
     * Avro's block-buffering encoders write them) are read too.
     */
    public static Event decode(byte[] datum) throws NotAFlumeEvent {
        Reader in = new Reader(datum);
        Map<String, String> headers = new HashMap<>();
        for (long count = in.readLong(); count != 0; count = in.readLong()) {
            if (count < 0) {
                count = -count;
                in.readLong(); // the block's size in bytes, which a reader that reads every item does not need
            }
            // Every header takes at least two bytes (two empty strings), so the count cannot exceed what is left.
            if (count > in.remaining() / 2) {
                throw new NotAFlumeEvent("a header block of " + count + " entries in " + in.remaining()
                        + " remaining bytes");
            }
            for (long k = 0; k < count; k++) {
                String key = in.readString();
                headers.put(key, in.readString());
            }
        }
        int length = in.readLength();
        byte[] body = Arrays.copyOfRange(datum, in.position, in.position + length);
        in.position += length;
        if (in.remaining() != 0) {
            throw new NotAFlumeEvent(in.remaining() + " bytes follow the event's body");
        }
        return new SimpleEvent(body, headers);
    }

    private static int longSize(long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        int size = 1;
        while ((zigzag & ~0x7FL) != 0) {
            zigzag >>>= 7;
            size++;
        }
        return size;
    }

    private static int writeLong(byte[] out, int at, long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        while ((zigzag & ~0x7FL) != 0) {
            out[at++] = (byte) ((zigzag & 0x7F) | 0x80);
            zigzag >>>= 7;
        }
        out[at++] = (byte) zigzag;
        return at;
    }

    /** Avro's binary primitives over one array, each length checked against what is left. */
    private static final class Reader {
        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int remaining() {
            return bytes.length - position;
        }

        long readLong() throws NotAFlumeEvent {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= bytes.length) {
                    throw new NotAFlumeEvent("the record ends inside a number");
                }
                byte b = bytes[position++];
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return (value >>> 1) ^ -(value & 1);
                }
            }
            throw new NotAFlumeEvent("a number longer than 10 bytes");
        }

        int readLength() throws NotAFlumeEvent {
            long length = readLong();
            if (length < 0 || length > remaining()) {
                throw new NotAFlumeEvent("a length of " + length + " with " + remaining() + " bytes left");
            }
            return (int) length;
        }

        String readString() throws NotAFlumeEvent {
            int length = readLength();
            String value = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return value;
        }
    }
}

package org.sluice.support.guard;

/**
 * What one request may decode to, charged as it is decoded and before anything is allocated for it: the number of
 * events, and an estimate of the heap the decoded events take. Without it, a request of a few megabytes can decode
 * to gigabytes: an empty event is two bytes on the Avro wire and about a hundred bytes on the heap, so one legal
 * 60 MB frame of 30 million empty events pinned about 6 GB.
 *
 * <p>The heap bound is {@value #BYTES_PER_WIRE_BYTE} times the request's size on the wire plus
 * {@value #SLACK_BYTES} bytes: the memory a request pins is a small multiple of what the client sent, and the
 * slack lets a batch of small events (whose objects outweigh their bytes, up to 50 times for empty ones) through
 * as long as it is within the events bound. Not thread-safe: one instance per request.
 */
public final class DecodeBudget {
    /** Events one request may carry unless configured otherwise. Flume's sinks and clients send 100 by default. */
    public static final int DEFAULT_MAX_EVENTS = 100_000;
    /** How many bytes of heap a request may decode to per byte it took on the wire, beyond the slack. */
    public static final long BYTES_PER_WIRE_BYTE = 4;
    /** Heap a request may decode to whatever its size on the wire: 16 MiB. */
    public static final long SLACK_BYTES = 16L * 1024 * 1024;

    // Heap estimates on a 64-bit JVM with compressed references (the default below 32 GB of heap).
    /** An event object, its header map and the map's table. */
    static final int EVENT_BYTES = 96;
    /** One entry of a header map. */
    static final int HEADER_BYTES = 32;
    /** A String and its byte array, beyond the characters. */
    static final int STRING_BYTES = 40;
    /** A byte array, beyond its bytes. */
    static final int ARRAY_BYTES = 16;

    private final String what;
    private final int maxEvents;
    private final long maxBytes;
    private final long wireBytes;
    private int events;
    private long bytes;

    private DecodeBudget(String what, int maxEvents, long wireBytes) {
        this.what = what;
        this.maxEvents = maxEvents;
        this.wireBytes = wireBytes;
        this.maxBytes = BYTES_PER_WIRE_BYTE * wireBytes + SLACK_BYTES;
    }

    /**
     * The budget of one request.
     *
     * @param what      how the request is named in messages ({@code "avro request"})
     * @param maxEvents the most events it may carry
     * @param wireBytes its size as received
     */
    public static DecodeBudget forRequest(String what, int maxEvents, long wireBytes) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1, was " + maxEvents);
        }
        return new DecodeBudget(what, maxEvents, Math.max(0, wireBytes));
    }

    /** One more event (its object and header map). */
    public void chargeEvent() {
        chargeEvents(1);
    }

    /** {@code count} more events, before they are read: a declared count is refused at once if it cannot fit. */
    public void chargeEvents(long count) {
        if (count < 0 || count > maxEvents - events) {
            throw new RequestTooLargeException(what + " refused: it carries more than " + maxEvents
                    + " events (max-events-per-request); send smaller batches or raise the bound");
        }
        events += (int) count;
        charge(count * EVENT_BYTES);
    }

    /** {@code count} more header entries. */
    public void chargeHeaders(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("a negative header count " + count);
        }
        charge(count * HEADER_BYTES);
    }

    /** A new string of {@code utf8Length} encoded bytes (a string shared with an earlier one costs nothing). */
    public void chargeString(int utf8Length) {
        charge(STRING_BYTES + (long) utf8Length);
    }

    /** A body, or any byte array, of {@code length} bytes. */
    public void chargeBytes(int length) {
        charge(ARRAY_BYTES + (long) length);
    }

    private void charge(long amount) {
        if (amount < 0 || amount > maxBytes - bytes) {
            throw new RequestTooLargeException(what + " refused: its " + wireBytes + " bytes would decode to more "
                    + "than " + maxBytes + " bytes of events (" + BYTES_PER_WIRE_BYTE + " times its size plus "
                    + SLACK_BYTES / (1024 * 1024) + " MiB)");
        }
        bytes += amount;
    }

    /** Events charged so far. */
    public int events() {
        return events;
    }

    /** Estimated heap bytes charged so far. */
    public long decodedBytes() {
        return bytes;
    }

    /** The most estimated heap bytes this request may decode to. */
    public long maxDecodedBytes() {
        return maxBytes;
    }
}

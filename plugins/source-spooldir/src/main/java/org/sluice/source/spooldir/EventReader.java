package org.sluice.source.spooldir;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;

/**
 * Reads one file's events from a position: a byte offset (LINE, BLOB) or a record count (AVRO). The position
 * after an event is where the next one starts, so a position saved after a committed batch is where a
 * restart continues.
 */
interface EventReader extends Closeable {

    /** The next event's body, or null at the end of the file. On an error the position is unchanged. */
    byte[] next() throws IOException;

    /** Where the next event starts, in {@link #positionUnit()}s. */
    long position();

    /** What a position counts, for messages: bytes, or records for a format whose blocks are compressed. */
    default String positionUnit() {
        return "byte";
    }

    /** Continues from a position an earlier {@link #position()} returned. */
    void seek(long position) throws IOException;

    /**
     * The events {@link #next()} returned so far are committed: the position to save, where a restart continues.
     * After an error in {@link #next()} it is not called (the source stops reading the file).
     */
    default long commit() throws IOException {
        return position();
    }

    /**
     * Whether the events {@link #next()} returned before it threw may still be committed: true when an error leaves
     * the position after the last good event. A plugin's deserializer may have read into the bad one, and its
     * position after those events is not known.
     */
    default boolean keepsEventsBeforeAnError() {
        return true;
    }

    /** Headers the deserializer gave the event {@link #next()} returned last (a plugin's); none by default. */
    default Map<String, String> eventHeaders() {
        return Map.of();
    }

    /** Headers every event of this file gets from the deserializer (the AVRO schema's); none by default. */
    default Map<String, String> headers() {
        return Map.of();
    }
}

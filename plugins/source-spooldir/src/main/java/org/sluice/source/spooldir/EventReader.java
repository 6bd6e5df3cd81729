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

    /** Headers every event of this file gets from the deserializer (the AVRO schema's); none by default. */
    default Map<String, String> headers() {
        return Map.of();
    }
}

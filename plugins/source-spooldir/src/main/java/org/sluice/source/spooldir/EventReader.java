package org.sluice.source.spooldir;

import java.io.Closeable;
import java.io.IOException;

/**
 * Reads one file's events from a byte position. The position after an event is where the next one starts,
 * so a position saved after a committed batch is where a restart continues.
 */
interface EventReader extends Closeable {

    /** The next event's body, or null at the end of the file. On an error the position is unchanged. */
    byte[] next() throws IOException;

    /** The byte offset where the next event starts. */
    long position();

    /** Continues from a position an earlier {@link #position()} returned. */
    void seek(long position) throws IOException;
}

package org.sluice.api.format;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.event.Event;

/**
 * Writes events into one output stream that a sink opened (a file). The sink owns the stream: it calls
 * {@link #afterCreate()} on a new file or {@link #afterReopen()} on one it appends to, {@link #write} per event,
 * {@link #flush()} before it commits the transaction that took the events, and {@link #beforeClose()} before it
 * closes the stream.
 */
@ConsumerType
public interface EventSerializer {

    /** A new, empty file: write what starts it (a header). */
    void afterCreate() throws IOException;

    /** An existing file is appended to; only called when {@link #supportsReopen()}. */
    void afterReopen() throws IOException;

    void write(Event event) throws IOException;

    /** Everything written so far goes to the stream (the sink flushes the stream itself after this). */
    void flush() throws IOException;

    /** The file is about to be closed: write what ends it. The sink closes the stream. */
    void beforeClose() throws IOException;

    /** Whether a file this format wrote can be appended to later. */
    boolean supportsReopen();
}

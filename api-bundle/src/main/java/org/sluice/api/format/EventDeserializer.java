package org.sluice.api.format;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.event.Event;

/**
 * Reads events out of one file a source reads, through the {@link PositionedInput} it was made with. The source
 * calls {@link #mark()} once the events read so far are committed to its channels, and {@link #reset()} when a batch
 * was refused, to read the same events again; it saves the input's {@link PositionedInput#markedPosition()} so that a
 * restart makes a new deserializer on an input already at that position.
 */
@ConsumerType
public interface EventDeserializer extends AutoCloseable {

    /** The next event, or null at the end of the file. After an exception, only {@link #reset()} is called. */
    Event readEvent() throws IOException;

    /** The events read so far are done with: set the input's mark where the next one starts. */
    void mark() throws IOException;

    /** Back to the last mark: the events read since then come again. */
    void reset() throws IOException;

    /** The source closes the input itself; this releases what the deserializer holds. */
    @Override
    void close() throws IOException;
}

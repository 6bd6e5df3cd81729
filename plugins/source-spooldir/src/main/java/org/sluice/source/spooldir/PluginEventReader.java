package org.sluice.source.spooldir;

import java.io.IOException;
import java.util.Map;

import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.format.EventDeserializer;
import org.sluice.api.format.EventDeserializerFactory;
import org.sluice.api.source.SourceContext;

/**
 * Reads a file with a deserializer another bundle provides (a Flume plugin's {@code EventDeserializer.Builder}), as
 * Flume's spooldir does: the deserializer is made on an input already at the position reading starts, is told to
 * {@code mark} after each committed batch and to {@code reset} to offer a refused one again, and the input's mark is
 * the position saved. Each event keeps the headers the deserializer gave it.
 */
final class PluginEventReader implements EventReader {
    private final CharReader chars;
    private final SpooledInput input;
    private final EventDeserializer deserializer;
    private Map<String, String> headers = Map.of();

    private PluginEventReader(CharReader chars, SpooledInput input, EventDeserializer deserializer) {
        this.chars = chars;
        this.input = input;
        this.deserializer = deserializer;
    }

    /** A deserializer of {@code owner}'s for the file, which {@code chars} reads, starting at {@code start}. */
    static PluginEventReader open(EventDeserializerFactory factory, SourceContext owner, CharReader chars, long size,
            long start) throws IOException {
        SpooledInput input = new SpooledInput(chars, size);
        input.seek(start);
        input.mark();
        try {
            return new PluginEventReader(chars, input, factory.create(owner, "deserializer.", input));
        } catch (ConfigurationException | RuntimeException | LinkageError e) {
            throw new IOException("the deserializer could not be made: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] next() throws IOException {
        Event event;
        try {
            event = deserializer.readEvent();
        } catch (RuntimeException | LinkageError e) {
            throw new IOException("the deserializer failed: " + e, e);
        }
        if (event == null) {
            return null;
        }
        headers = event.getHeaders();
        return event.getBody();
    }

    @Override
    public Map<String, String> eventHeaders() {
        return headers;
    }

    @Override
    public long commit() throws IOException {
        try {
            deserializer.mark();
        } catch (RuntimeException | LinkageError e) {
            throw new IOException("the deserializer failed to mark its position: " + e, e);
        }
        return input.markedPosition();
    }

    @Override
    public boolean keepsEventsBeforeAnError() {
        return false;
    }

    @Override
    public long position() {
        return input.markedPosition();
    }

    /** Only back to the last committed position: the deserializer alone knows where its events start. */
    @Override
    public void seek(long position) throws IOException {
        if (position != input.markedPosition()) {
            throw new IOException("a plugin's deserializer goes back only to its mark " + input.markedPosition()
                    + ", not to " + position);
        }
        try {
            deserializer.reset();
        } catch (RuntimeException | LinkageError e) {
            throw new IOException("the deserializer failed to reset: " + e, e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            deserializer.close();
        } catch (RuntimeException | LinkageError e) {
            throw new IOException("the deserializer failed to close: " + e, e);
        } finally {
            chars.close();
        }
    }
}

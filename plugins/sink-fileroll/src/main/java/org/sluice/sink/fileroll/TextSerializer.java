package org.sluice.sink.fileroll;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;

import org.sluice.api.component.ComponentContext;
import org.sluice.api.event.Event;
import org.sluice.api.format.EventSerializer;
import org.sluice.api.format.EventSerializerFactory;
import org.sluice.support.sink.TextEvents;

/**
 * Flume's two text serializers, built in: TEXT writes the body as is; HEADER_AND_TEXT writes the headers as a map
 * ({@code {k=v, k2=v2}}), a space, then the body. Either may add a newline after each event. Any other
 * {@code sink.serializer} is a plugin's, looked up by name.
 */
final class TextSerializer implements EventSerializerFactory {
    private final boolean headers;
    private final boolean appendNewline;

    private TextSerializer(boolean headers, boolean appendNewline) {
        this.headers = headers;
        this.appendNewline = appendNewline;
    }

    /** The built-in serializer for a {@code sink.serializer} value, as Flume resolves it: alias, then builder class. */
    static Optional<EventSerializerFactory> named(String name, boolean appendNewline) {
        switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "TEXT":
            case "ORG.APACHE.FLUME.SERIALIZATION.BODYTEXTEVENTSERIALIZER$BUILDER":
                return Optional.of(new TextSerializer(false, appendNewline));
            case "HEADER_AND_TEXT":
            case "ORG.APACHE.FLUME.SERIALIZATION.HEADERANDBODYTEXTEVENTSERIALIZER$BUILDER":
                return Optional.of(new TextSerializer(true, appendNewline));
            default:
                return Optional.empty();
        }
    }

    @Override
    public EventSerializer create(ComponentContext owner, String keyPrefix, OutputStream out) {
        return new EventSerializer() {
            @Override
            public void afterCreate() {
            }

            @Override
            public void afterReopen() {
            }

            @Override
            public void write(Event event) throws IOException {
                TextEvents.write(out, event, headers, appendNewline);
            }

            @Override
            public void flush() {
            }

            @Override
            public void beforeClose() {
            }

            @Override
            public boolean supportsReopen() {
                return true;
            }
        };
    }

    @Override
    public String toString() {
        return (headers ? "HEADER_AND_TEXT" : "TEXT") + (appendNewline ? "" : " without newlines");
    }
}

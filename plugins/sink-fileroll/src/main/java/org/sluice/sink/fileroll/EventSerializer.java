package org.sluice.sink.fileroll;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import org.sluice.api.event.Event;

/**
 * Flume's two text serializers: TEXT writes the body as is; HEADER_AND_TEXT writes the headers as a map
 * ({@code {k=v, k2=v2}}), a space, then the body. Either may add a newline after each event.
 */
final class EventSerializer {
    static final String ACCEPTED_NAMES = "TEXT, HEADER_AND_TEXT, "
            + "org.apache.flume.serialization.BodyTextEventSerializer$Builder or "
            + "org.apache.flume.serialization.HeaderAndBodyTextEventSerializer$Builder";

    private final boolean headers;
    private final boolean appendNewline;

    private EventSerializer(boolean headers, boolean appendNewline) {
        this.headers = headers;
        this.appendNewline = appendNewline;
    }

    /** The serializer for a {@code sink.serializer} value, as Flume resolves it: alias, then builder class. */
    static Optional<EventSerializer> named(String name, boolean appendNewline) {
        switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "TEXT":
            case "ORG.APACHE.FLUME.SERIALIZATION.BODYTEXTEVENTSERIALIZER$BUILDER":
                return Optional.of(new EventSerializer(false, appendNewline));
            case "HEADER_AND_TEXT":
            case "ORG.APACHE.FLUME.SERIALIZATION.HEADERANDBODYTEXTEVENTSERIALIZER$BUILDER":
                return Optional.of(new EventSerializer(true, appendNewline));
            default:
                return Optional.empty();
        }
    }

    void write(Event event, OutputStream out) throws IOException {
        if (headers) {
            out.write((event.getHeaders() + " ").getBytes(StandardCharsets.UTF_8));
        }
        out.write(event.getBody());
        if (appendNewline) {
            out.write('\n');
        }
    }

    @Override
    public String toString() {
        return (headers ? "HEADER_AND_TEXT" : "TEXT") + (appendNewline ? "" : " without newlines");
    }
}

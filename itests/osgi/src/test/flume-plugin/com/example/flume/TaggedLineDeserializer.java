package com.example.flume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.event.EventBuilder;
import org.apache.flume.serialization.EventDeserializer;
import org.apache.flume.serialization.ResettableInputStream;

/**
 * A plugin's deserializer written against Flume 1.11's API only, as a third party writes one: lines
 * {@code <tag>|<body>}, the tag in a header (key {@code header}, default {@code tag}); its place in the file is left
 * to the stream's mark, as Flume's own LineDeserializer leaves it.
 */
public class TaggedLineDeserializer implements EventDeserializer {
    private final ResettableInputStream in;
    private final String header;

    private TaggedLineDeserializer(ResettableInputStream in, String header) {
        this.in = in;
        this.header = header;
    }

    @Override
    public Event readEvent() throws IOException {
        int c = in.readChar();
        if (c == -1) {
            return null;
        }
        StringBuilder line = new StringBuilder();
        for (; c != -1 && c != '\n'; c = in.readChar()) {
            line.append((char) c);
        }
        int bar = line.indexOf("|");
        Map<String, String> headers = new HashMap<>();
        if (bar >= 0) {
            headers.put(header, line.substring(0, bar));
        }
        return EventBuilder.withBody(line.substring(bar + 1).getBytes(StandardCharsets.UTF_8), headers);
    }

    @Override
    public List<Event> readEvents(int count) throws IOException {
        List<Event> events = new ArrayList<>();
        for (Event event; events.size() < count && (event = readEvent()) != null; ) {
            events.add(event);
        }
        return events;
    }

    @Override
    public void mark() throws IOException {
        in.mark();
    }

    @Override
    public void reset() throws IOException {
        in.reset();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** What a spooldir source's {@code deserializer} names. */
    public static class Builder implements EventDeserializer.Builder {
        @Override
        public EventDeserializer build(Context context, ResettableInputStream in) {
            return new TaggedLineDeserializer(in, context.getString("header", "tag"));
        }
    }
}

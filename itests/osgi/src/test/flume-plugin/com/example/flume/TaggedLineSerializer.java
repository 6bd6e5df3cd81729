package com.example.flume;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.serialization.EventSerializer;

/**
 * A plugin's serializer written against Flume 1.11's API only, as a third party writes one: a first line when the
 * file is made, {@code <tag>|<parity header>|<body>} per event, a last line before the file is closed.
 */
public class TaggedLineSerializer implements EventSerializer {
    private final String tag;
    private final OutputStream out;

    private TaggedLineSerializer(String tag, OutputStream out) {
        this.tag = tag;
        this.out = out;
    }

    @Override
    public void afterCreate() throws IOException {
        out.write(("# begin " + tag + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void afterReopen() {
        throw new UnsupportedOperationException("cannot append");
    }

    @Override
    public void write(Event event) throws IOException {
        String line = tag + "|" + event.getHeaders().get("parity") + "|"
                + new String(event.getBody(), StandardCharsets.UTF_8) + "\n";
        out.write(line.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {
    }

    @Override
    public void beforeClose() throws IOException {
        out.write(("# end " + tag + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean supportsReopen() {
        return false;
    }

    public static class Builder implements EventSerializer.Builder {
        @Override
        public EventSerializer build(Context context, OutputStream out) {
            return new TaggedLineSerializer(context.getString("tag", "untagged"), out);
        }
    }
}

package org.sluice.support.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.sluice.api.event.Event;

/**
 * Flume's {@code text} and {@code header_and_text} event formats, which file_roll and hdfs both write: the header
 * map as Java prints it and a space (header_and_text only), the body as is, and a newline if asked.
 */
public final class TextEvents {
    private TextEvents() {
    }

    public static void write(OutputStream out, Event event, boolean withHeaders, boolean appendNewline)
            throws IOException {
        if (withHeaders) {
            out.write((event.getHeaders() + " ").getBytes(StandardCharsets.UTF_8));
        }
        out.write(event.getBody());
        if (appendNewline) {
            out.write('\n');
        }
    }
}

package org.sluice.source.jms;

import java.util.List;
import java.util.Map;

import org.sluice.api.event.Event;

/** The size an event takes, body and headers, as the maxEventSize bound counts it: bytes, headers in UTF-8. */
final class EventSize {
    private EventSize() {
    }

    static long of(List<Event> events) {
        long total = 0;
        for (Event event : events) {
            total += of(event);
        }
        return total;
    }

    static long of(Event event) {
        long size = event.getBody() == null ? 0 : event.getBody().length;
        for (Map.Entry<String, String> header : event.getHeaders().entrySet()) {
            size += utf8Length(header.getKey()) + utf8Length(header.getValue());
        }
        return size;
    }

    static long utf8Length(CharSequence text) {
        if (text == null) {
            return 0;
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}

package org.sluice.support.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;

/**
 * An event's headers and body as bytes, the same in every Sluice log:
 *
 * <pre>
 * int   header count
 * ...   per header: int length, UTF-8 key, int length, UTF-8 value
 * int   body length, body
 * </pre>
 *
 * Numbers are big-endian. Headers come back in the order they were written.
 */
public final class EventCodec {
    private EventCodec() {
    }

    /** Bytes the event takes; an event beyond 2 GiB is an IllegalArgumentException. */
    public static int size(Event event) {
        long size = 4L;
        for (Map.Entry<String, String> header : event.getHeaders().entrySet()) {
            size += 8L + utf8Length(header.getKey()) + utf8Length(header.getValue());
        }
        size += 4L + event.getBody().length;
        if (size > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("event of " + size + " bytes");
        }
        return (int) size;
    }

    /**
     * Writes the event at the buffer's position, which it advances by {@link #size}. A header with a null key or
     * value is a NullPointerException, with part of the event written: the caller resets the position.
     */
    public static void write(ByteBuffer into, Event event) {
        Map<String, String> headers = event.getHeaders();
        into.putInt(headers.size());
        for (Map.Entry<String, String> header : headers.entrySet()) {
            putString(into, header.getKey());
            putString(into, header.getValue());
        }
        into.putInt(event.getBody().length).put(event.getBody());
    }

    /** The event at the buffer's position, which it advances; what cannot be one is an IllegalArgumentException. */
    public static Event read(ByteBuffer from) {
        int headerCount = from.getInt();
        if (headerCount < 0 || headerCount > from.remaining() / 8) {
            throw new IllegalArgumentException("header count " + headerCount);
        }
        Map<String, String> headers = new LinkedHashMap<>(Math.max(4, headerCount * 2));
        for (int i = 0; i < headerCount; i++) {
            String key = getString(from);
            headers.put(key, getString(from));
        }
        int bodyLength = from.getInt();
        if (bodyLength < 0 || bodyLength > from.remaining()) {
            throw new IllegalArgumentException("body length " + bodyLength);
        }
        byte[] body = new byte[bodyLength];
        from.get(body);
        SimpleEvent event = new SimpleEvent();
        event.setHeaders(headers);
        event.setBody(body);
        return event;
    }

    private static void putString(ByteBuffer into, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        into.putInt(bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer from) {
        int length = from.getInt();
        if (length < 0 || length > from.remaining()) {
            throw new IllegalArgumentException("string length " + length);
        }
        String value;
        if (from.hasArray()) {
            value = new String(from.array(), from.arrayOffset() + from.position(), length, StandardCharsets.UTF_8);
            from.position(from.position() + length);
        } else {
            byte[] bytes = new byte[length];
            from.get(bytes);
            value = new String(bytes, StandardCharsets.UTF_8);
        }
        return value;
    }

    /** The UTF-8 length of {@code value} without encoding it (an unpaired surrogate is encoded as '?', 1 byte). */
    private static int utf8Length(String value) {
        int length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                length++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}

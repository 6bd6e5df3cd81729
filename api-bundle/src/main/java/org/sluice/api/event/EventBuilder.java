package org.sluice.api.event;

import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.Map;

/** Shorthands for making events, after Flume's EventBuilder. */
public final class EventBuilder {
    private EventBuilder() {
    }

    /** An event with a copy of the given headers (null for none) and the body array as is. */
    public static Event withBody(byte[] body, Map<String, String> headers) {
        return new SimpleEvent(body, headers == null ? new HashMap<>() : new HashMap<>(headers));
    }

    public static Event withBody(byte[] body) {
        return withBody(body, null);
    }

    public static Event withBody(String body, Charset charset, Map<String, String> headers) {
        return withBody(body.getBytes(charset), headers);
    }

    public static Event withBody(String body, Charset charset) {
        return withBody(body, charset, null);
    }

    /** A deep copy: new header map, new body array. */
    public static Event copyOf(Event event) {
        return new SimpleEvent(event.getBody().clone(), new HashMap<>(event.getHeaders()));
    }
}

package org.sluice.jmh;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The events every benchmark moves, made the same way for Sluice and for Flume: a 500-byte body of random bytes
 * (so nothing compresses or interns) and one header, as the end-to-end harness's RPC load sends them.
 */
public final class BenchmarkEvents {
    public static final int BODY_BYTES = 500;
    public static final String HEADER = "app";
    public static final String HEADER_VALUE = "checkout-service";

    private BenchmarkEvents() {
    }

    /** {@code count} bodies, the same bytes on every run (fixed seed). */
    public static List<byte[]> bodies(int count) {
        Random random = new Random(42);
        List<byte[]> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] body = new byte[BODY_BYTES];
            random.nextBytes(body);
            bodies.add(body);
        }
        return bodies;
    }

    /** A mutable map, as a source makes it: interceptors add headers to it. */
    private static Map<String, String> headers() {
        Map<String, String> headers = new HashMap<>(4);
        headers.put(HEADER, HEADER_VALUE);
        return headers;
    }

    public static List<org.sluice.api.event.Event> sluice(int count) {
        List<org.sluice.api.event.Event> events = new ArrayList<>(count);
        for (byte[] body : bodies(count)) {
            events.add(org.sluice.api.event.EventBuilder.withBody(body, headers()));
        }
        return events;
    }

    public static List<org.apache.flume.Event> flume(int count) {
        List<org.apache.flume.Event> events = new ArrayList<>(count);
        for (byte[] body : bodies(count)) {
            events.add(org.apache.flume.event.EventBuilder.withBody(body, headers()));
        }
        return events;
    }
}

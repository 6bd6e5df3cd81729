package org.sluice.rpc.avro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;

/** Test events with distinct headers and bodies (one binary, one empty), and their comparison. */
final class Events {
    private Events() {
    }

    static List<Event> make(String prefix, int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] body = i % 7 == 3 ? new byte[0]
                    : i % 7 == 5 ? new byte[] {0, (byte) 0xff, (byte) i, '\n', 0x7f}
                    : (prefix + "-" + i + " é").getBytes(StandardCharsets.UTF_8);
            events.add(EventBuilder.withBody(body, Map.of("seq", Integer.toString(i), "src", prefix,
                    "unicode", "ü€")));
        }
        return events;
    }

    static void assertSame(List<Event> expected, List<Event> actual) {
        assertEquals(expected.size(), actual.size(), "number of events");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).getHeaders(), actual.get(i).getHeaders(), "headers of event " + i);
            assertArrayEquals(expected.get(i).getBody(), actual.get(i).getBody(), "body of event " + i);
        }
    }
}

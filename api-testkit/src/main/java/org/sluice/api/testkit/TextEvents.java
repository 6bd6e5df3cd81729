package org.sluice.api.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;

/** Events whose bodies are UTF-8 text, the way most tests name their events ("e1", "a"). */
public final class TextEvents {
    private TextEvents() {
    }

    public static Event event(String body) {
        return EventBuilder.withBody(body, StandardCharsets.UTF_8);
    }

    public static List<Event> events(String... bodies) {
        List<Event> events = new ArrayList<>(bodies.length);
        for (String body : bodies) {
            events.add(event(body));
        }
        return events;
    }

    public static String body(Event event) {
        return new String(event.getBody(), StandardCharsets.UTF_8);
    }

    public static List<String> bodies(List<Event> events) {
        return events.stream().map(TextEvents::body).toList();
    }
}

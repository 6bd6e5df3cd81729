package org.sluice.support.interceptor;

import java.util.List;
import java.util.function.UnaryOperator;

import org.sluice.api.event.Event;

/**
 * The batch form of an interceptor that changes events in place and drops none: the same list, each event
 * passed through. Call it from the interceptor's own {@code intercept(List)}: the JIT then sees one interceptor
 * class at each call site and can inline its {@code intercept(Event)}. Through the API's default, shared by every
 * interceptor of a chain, the call cannot be inlined, and the default also copies the list (a JMH run showed the
 * chain timestamp + host + static 0.76x to 0.88x of Flume's that way).
 */
public final class InPlace {
    private InPlace() {
    }

    public static List<Event> each(List<Event> events, UnaryOperator<Event> interceptor) {
        for (Event event : events) {
            interceptor.apply(event);
        }
        return events;
    }
}

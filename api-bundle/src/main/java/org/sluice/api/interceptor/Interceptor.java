package org.sluice.api.interceptor;

import java.util.ArrayList;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.Lifecycle;
import org.sluice.api.event.Event;

/**
 * Looks at each event on its way from a source to the channel selector, and may change or drop it.
 * Interceptors of a source run in the order of its {@code interceptors} key.
 */
@ConsumerType
public interface Interceptor extends Lifecycle {

    /** The event, changed or not, or null to drop it. */
    Event intercept(Event event);

    /**
     * The batch form: never null, never larger than the input, in the input's order. The default calls
     * {@link #intercept(Event)} on each event and leaves out the dropped ones.
     */
    default List<Event> intercept(List<Event> events) {
        List<Event> kept = new ArrayList<>(events.size());
        for (Event event : events) {
            Event out = intercept(event);
            if (out != null) {
                kept.add(out);
            }
        }
        return kept;
    }
}

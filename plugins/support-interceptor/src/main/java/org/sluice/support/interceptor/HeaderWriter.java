package org.sluice.support.interceptor;

import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.support.config.ConfigValues;

/**
 * The one header an interceptor writes into every event, and Flume's {@code preserveExisting}: whether a value
 * the event already has is kept. Immutable; shared by the threads of a source.
 */
public final class HeaderWriter {
    private final String name;
    private final boolean preserveExisting;

    private HeaderWriter(String name, boolean preserveExisting) {
        this.name = name;
        this.preserveExisting = preserveExisting;
    }

    /** The header named by the configured {@code key}, whose value must not be empty. */
    public static HeaderWriter configured(ComponentContext context, String key, String name, boolean preserveExisting)
            throws ConfigurationException {
        return new HeaderWriter(ConfigValues.nonEmpty(context, key, name), preserveExisting);
    }

    public String name() {
        return name;
    }

    /**
     * True when the event is to get the header: always, unless it has one and existing values are preserved. Ask
     * before computing a value that costs something (a UUID, the time).
     */
    public boolean writes(Event event) {
        return !preserveExisting || !event.getHeaders().containsKey(name);
    }

    /** Puts the header, unless {@link #writes} says the event keeps its own. */
    public void write(Event event, String value) {
        if (writes(event)) {
            event.getHeaders().put(name, value);
        }
    }

    @Override
    public String toString() {
        return "header " + name + (preserveExisting ? " (existing values kept)" : "");
    }
}

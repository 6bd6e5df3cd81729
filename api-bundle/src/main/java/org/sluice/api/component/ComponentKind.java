package org.sluice.api.component;

/** What a configured component is; the names are Flume's property file sections. */
public enum ComponentKind {
    SOURCE("sources"),
    CHANNEL("channels"),
    SINK("sinks"),
    SINKGROUP("sinkgroups"),
    INTERCEPTOR("interceptors"),
    CHANNEL_SELECTOR("selector"),
    SINK_PROCESSOR("processor"),
    /** A {@code load_balance} group's custom selector, configured under {@code processor.selector}. */
    SINK_SELECTOR("selector");

    private final String section;

    ComponentKind(String section) {
        this.section = section;
    }

    /** The word in a Flume properties key: {@code agent.<section>.<name>.<key>}. */
    public String section() {
        return section;
    }
}

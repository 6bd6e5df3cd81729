package org.sluice.platform.runtime;

import org.sluice.api.component.ComponentKind;

/** A configured component of an agent: a source, channel, sink or sink group, by kind and name. */
record ComponentKey(ComponentKind kind, String name) {

    static ComponentKey source(String name) {
        return new ComponentKey(ComponentKind.SOURCE, name);
    }

    static ComponentKey channel(String name) {
        return new ComponentKey(ComponentKind.CHANNEL, name);
    }

    static ComponentKey sink(String name) {
        return new ComponentKey(ComponentKind.SINK, name);
    }

    static ComponentKey sinkGroup(String name) {
        return new ComponentKey(ComponentKind.SINKGROUP, name);
    }
}

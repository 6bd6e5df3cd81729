package org.sluice.platform.metrics;

import java.util.Collection;

import org.sluice.api.component.ComponentKind;

/**
 * Where the runtime gets a component's counters, and what publishes them (JMX MBeans named as Flume names
 * them, the HTTP JSON reporter). Counters of a name live until {@link #remove} so restarts keep them.
 */
public interface Metrics {

    /** The counters of a source, channel or sink; created and published on first call. */
    ComponentCounters counters(String agent, ComponentKind kind, String name);

    /** Unpublishes and forgets a component's counters: it was removed from the configuration. */
    void remove(String agent, ComponentKind kind, String name);

    /** Every published component's counters. */
    Collection<ComponentCounters> all();
}

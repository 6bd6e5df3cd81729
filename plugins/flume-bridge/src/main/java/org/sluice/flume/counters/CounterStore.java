package org.sluice.flume.counters;

/** Where a Flume counter group keeps its values: Sluice's counters of the component, or its own. */
public interface CounterStore {

    long get(String key);

    void set(String key, long value);

    long addAndGet(String key, long delta);

    /** The group started; {@code group} is the Flume counter group object, for its MBean. */
    void started(Object group, String type, String name);

    void stopped();

    long startTime();

    long stopTime();

    /** The keys, for toString. */
    Iterable<String> keys();
}

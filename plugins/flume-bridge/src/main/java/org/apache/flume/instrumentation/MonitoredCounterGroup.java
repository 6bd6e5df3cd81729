package org.apache.flume.instrumentation;

import org.sluice.flume.counters.CounterScope;
import org.sluice.flume.counters.CounterStore;

/**
 * Sluice's own implementation of Flume 1.11's counter group base class, with its public and protected signatures, in
 * Flume's package: this bundle's class path puts it before Flume's copy in flume-ng-core, so Flume's SourceCounter,
 * SinkCounter, ChannelCounter and every plugin's counter subclass run on it unchanged. A component's own counter group
 * keeps its values in the component's Sluice counters (see {@link CounterScope}); any other keeps them itself and is
 * published as an MBean under Flume's name.
 */
public abstract class MonitoredCounterGroup {

    /** Flume's component types, by which counter groups are named ({@code org.apache.flume.<type>:type=<name>}). */
    public static enum Type {
        SOURCE,
        CHANNEL_PROCESSOR,
        CHANNEL,
        SINK_PROCESSOR,
        SINK,
        INTERCEPTOR,
        SERIALIZER,
        OTHER
    }

    private final Type type;
    private final String name;
    private final CounterStore store;

    protected MonitoredCounterGroup(Type type, String name, String... attrs) {
        this.type = type;
        this.name = name;
        this.store = CounterScope.storeFor(type.name(), name, attrs);
    }

    /** The component started: a group of its own is published and zeroed, as Flume does. */
    public void start() {
        store.started(this, type.name(), name);
    }

    public void stop() {
        store.stopped();
    }

    public long getStartTime() {
        return store.startTime();
    }

    public long getStopTime() {
        return store.stopTime();
    }

    @Override
    public final String toString() {
        StringBuilder text = new StringBuilder(type.name()).append(':').append(name).append('{');
        String separator = "";
        for (String key : store.keys()) {
            text.append(separator).append(key).append('=').append(store.get(key));
            separator = ", ";
        }
        return text.append('}').toString();
    }

    protected long get(String counter) {
        return store.get(counter);
    }

    protected void set(String counter, long value) {
        store.set(counter, value);
    }

    protected long addAndGet(String counter, long delta) {
        return store.addAndGet(counter, delta);
    }

    protected long increment(String counter) {
        return store.addAndGet(counter, 1L);
    }

    public String getType() {
        return type.name();
    }
}

package org.sluice.flume.counters;

import java.util.ArrayList;
import java.util.List;

import org.sluice.api.counter.ComponentCounter;

/**
 * A Flume counter group whose values are the component's Sluice counters, under Flume's JMX names. Start and stop
 * times are the platform's, and starting does not zero the counters: Sluice keeps a component's counters across its
 * restarts. For a channel, put and take counts are the platform's, kept around every transaction: the Flume
 * channel's own increments of them are dropped, and reading them reads the platform's.
 */
final class SluiceCounterStore implements CounterStore {
    private final ComponentCounter counter;
    private final boolean channel;

    SluiceCounterStore(ComponentCounter counter, boolean channel) {
        this.counter = counter;
        this.channel = channel;
    }

    @Override
    public long get(String key) {
        return counter.get(FlumeCounterNames.nameOf(key));
    }

    @Override
    public void set(String key, long value) {
        String name = FlumeCounterNames.nameOf(key);
        if (!(channel && FlumeCounterNames.countedByPlatform(name))) {
            counter.set(name, value);
        }
    }

    @Override
    public long addAndGet(String key, long delta) {
        String name = FlumeCounterNames.nameOf(key);
        if (channel && FlumeCounterNames.countedByPlatform(name)) {
            return counter.get(name);
        }
        return counter.add(name, delta);
    }

    @Override
    public void started(Object group, String type, String name) {
        // The platform marks the component started and publishes its counters.
    }

    @Override
    public void stopped() {
        // The platform marks the component stopped.
    }

    @Override
    public long startTime() {
        return counter.get("StartTime");
    }

    @Override
    public long stopTime() {
        return counter.get("StopTime");
    }

    @Override
    public Iterable<String> keys() {
        List<String> keys = new ArrayList<>(counter.snapshot().keySet());
        keys.remove("StartTime");
        keys.remove("StopTime");
        return keys;
    }
}

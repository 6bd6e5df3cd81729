package org.sluice.api.testkit;

import java.util.Map;
import java.util.TreeMap;

import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.counter.SourceCounter;

/**
 * Counters in a map, for tests without the platform: the same names and arithmetic the counter interfaces
 * define, every counter at zero until it is first touched. One class serves sources, channels and sinks.
 */
public final class MapCounters implements SourceCounter, ChannelCounter, SinkCounter {
    private final Map<String, Long> values = new TreeMap<>();

    @Override
    public synchronized long add(String name, long delta) {
        return values.merge(name, delta, Long::sum);
    }

    @Override
    public synchronized void set(String name, long value) {
        values.put(name, value);
    }

    @Override
    public synchronized long get(String name) {
        return values.getOrDefault(name, 0L);
    }

    @Override
    public synchronized Map<String, Long> snapshot() {
        return Map.copyOf(values);
    }
}

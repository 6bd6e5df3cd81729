package org.sluice.flume.counters;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flume counter group that is not a component's own (an interceptor's, a serializer's, or one made outside any
 * bridge call): its values live here, as in Flume, zeroed when it starts, and it is published under Flume's MBean
 * name {@code org.apache.flume.<type>:type=<name>} while the component that made it runs.
 */
final class OwnCounterStore implements CounterStore {
    private static final Logger LOG = LoggerFactory.getLogger(OwnCounterStore.class);

    private final Map<String, AtomicLong> values = new LinkedHashMap<>();
    private final CounterScope scope;
    private final AtomicLong startTime = new AtomicLong();
    private final AtomicLong stopTime = new AtomicLong();
    private volatile boolean published;

    OwnCounterStore(String[] keys, CounterScope scope) {
        for (String key : keys) {
            values.put(key, new AtomicLong());
        }
        this.scope = scope;
    }

    private AtomicLong value(String key) {
        AtomicLong value = values.get(key);
        if (value == null) {
            // Flume's group fails on a key it was not made with; a plugin that relies on that is broken there too.
            throw new IllegalArgumentException("no counter '" + key + "' in this counter group");
        }
        return value;
    }

    @Override
    public long get(String key) {
        return value(key).get();
    }

    @Override
    public void set(String key, long value) {
        value(key).set(value);
    }

    @Override
    public long addAndGet(String key, long delta) {
        return value(key).addAndGet(delta);
    }

    @Override
    public void started(Object group, String type, String name) {
        if (!published && scope != null) {
            try {
                scope.publish(group, new ObjectName("org.apache.flume." + type.toLowerCase(Locale.ENGLISH)
                        + ":type=" + name));
                published = true;
            } catch (MalformedObjectNameException e) {
                LOG.warn("Flume counter group {} of type {} has a name JMX refuses", name, type, e);
            }
        }
        stopTime.set(0L);
        values.values().forEach(value -> value.set(0L));
        startTime.set(System.currentTimeMillis());
    }

    @Override
    public void stopped() {
        stopTime.set(System.currentTimeMillis());
    }

    @Override
    public long startTime() {
        return startTime.get();
    }

    @Override
    public long stopTime() {
        return stopTime.get();
    }

    @Override
    public Iterable<String> keys() {
        return values.keySet();
    }
}

package org.sluice.platform.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.sluice.api.component.ComponentKind;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.counter.SourceCounter;

/**
 * The counters of one component: named longs, created at zero on first use. One class serves sources,
 * channels and sinks because Flume's counter families differ only in names. Kept across restarts of the
 * component, so a reload does not reset what monitoring has seen.
 */
public final class ComponentCounters implements SourceCounter, ChannelCounter, SinkCounter {

    public static final String START_TIME = "StartTime";
    public static final String STOP_TIME = "StopTime";

    private final String agent;
    private final ComponentKind kind;
    private final String name;
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

    public ComponentCounters(String agent, ComponentKind kind, String name, String... initial) {
        this.agent = agent;
        this.kind = kind;
        this.name = name;
        for (String counter : initial) {
            values.put(counter, new AtomicLong());
        }
        values.put(START_TIME, new AtomicLong());
        values.put(STOP_TIME, new AtomicLong());
    }

    /** The counters Flume shows for a source, all at zero. */
    public static ComponentCounters forSource(String agent, String name) {
        return new ComponentCounters(agent, ComponentKind.SOURCE, name, EVENT_RECEIVED, EVENT_ACCEPTED,
                APPEND_RECEIVED, APPEND_ACCEPTED, APPEND_BATCH_RECEIVED, APPEND_BATCH_ACCEPTED, OPEN_CONNECTIONS,
                CHANNEL_WRITE_FAIL, EVENT_READ_FAIL, GENERIC_PROCESSING_FAIL);
    }

    /** The counters Flume shows for a channel, all at zero. */
    public static ComponentCounters forChannel(String agent, String name) {
        return new ComponentCounters(agent, ComponentKind.CHANNEL, name, CHANNEL_SIZE, CHANNEL_CAPACITY,
                EVENT_PUT_ATTEMPT, EVENT_PUT_SUCCESS, EVENT_TAKE_ATTEMPT, EVENT_TAKE_SUCCESS);
    }

    /** The counters Flume shows for a sink, all at zero. */
    public static ComponentCounters forSink(String agent, String name) {
        return new ComponentCounters(agent, ComponentKind.SINK, name, CONNECTION_CREATED, CONNECTION_CLOSED,
                CONNECTION_FAILED, BATCH_EMPTY, BATCH_UNDERFLOW, BATCH_COMPLETE, EVENT_DRAIN_ATTEMPT,
                EVENT_DRAIN_SUCCESS, EVENT_WRITE_FAIL, CHANNEL_READ_FAIL);
    }

    public String agent() {
        return agent;
    }

    public ComponentKind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    @Override
    public long add(String counter, long delta) {
        return values.computeIfAbsent(counter, k -> new AtomicLong()).addAndGet(delta);
    }

    @Override
    public void set(String counter, long value) {
        values.computeIfAbsent(counter, k -> new AtomicLong()).set(value);
    }

    @Override
    public long get(String counter) {
        AtomicLong value = values.get(counter);
        return value == null ? 0L : value.get();
    }

    public void markStarted() {
        set(START_TIME, System.currentTimeMillis());
        set(STOP_TIME, 0L);
    }

    public void markStopped() {
        set(STOP_TIME, System.currentTimeMillis());
    }

    /** Every counter by name, sorted; for a channel also Flume's derived ChannelFillPercentage. */
    @Override
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Flume's ChannelFillPercentage: size over capacity, in percent. */
    public double fillPercentage() {
        long capacity = get(CHANNEL_CAPACITY);
        return capacity == 0 ? 0.0 : get(CHANNEL_SIZE) * 100.0 / capacity;
    }
}

package org.sluice.platform.tap;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.sluice.api.component.ComponentKind;

/**
 * The tap points of every agent's sources, channels and sinks, by agent, kind and name. A point outlives the
 * component instance that offers to it: a tap opened before a component restarts sees its successor's events. A
 * component removed from the configuration takes its point with it.
 */
public final class TapRegistry {
    private record Key(String agent, ComponentKind kind, String name) {
    }

    private final Map<Key, TapPoint> points = new ConcurrentHashMap<>();

    /** The point of a component, made on first use. */
    public TapPoint point(String agent, ComponentKind kind, String name) {
        return points.computeIfAbsent(new Key(agent, kind, name), key -> new TapPoint());
    }

    /**
     * Drops the point of a component that left the configuration. A tap still open on it stays open and sees
     * nothing more; one opened later, after the component came back, gets a new point.
     */
    public void remove(String agent, ComponentKind kind, String name) {
        points.remove(new Key(agent, kind, name));
    }

    /** How many points are kept: one per component configured now or tapped since. */
    public int size() {
        return points.size();
    }

    /** Opens a tap that takes up to {@code wanted} samples; close it when done. */
    public Tap open(String agent, ComponentKind kind, String name, int wanted) {
        if (wanted < 1) {
            throw new IllegalArgumentException("a tap shows at least one event, not " + wanted);
        }
        return point(agent, kind, name).open(wanted);
    }
}

package org.sluice.platform.runtime;

import java.util.List;

import org.sluice.api.channel.Channel;
import org.sluice.api.event.Event;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.platform.tap.TapPoint;

/**
 * Opens the runtime's package-private {@link ManagedChannel} to the benchmarks (same package, on the plain class
 * path), so they measure a channel as sources and sinks see it in an agent: with Flume's put and take counters
 * and the tap check around every call.
 */
public final class ManagedChannels {
    private ManagedChannels() {
    }

    /** The channel wrapped as the runtime wraps it, with fresh counters and no tap open. */
    public static Channel managed(String agent, String name, Channel channel) {
        return new ManagedChannel(name, channel, ComponentCounters.forChannel(agent, name), new TapPoint());
    }

    /** The channel as one sink sees it, no tap open; {@code managed} is what {@link #managed} made. */
    public static Channel sinkView(Channel managed) {
        return new SinkChannel((ManagedChannel) managed, new TapPoint());
    }

    /** Puts the events in one transaction as the runtime does for a source's batch. */
    public static void putAll(Channel managed, List<Event> events) {
        Transactions.putAll(managed, events);
    }
}

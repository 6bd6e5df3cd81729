package org.sluice.platform.runtime;

import org.sluice.api.channel.Channel;
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
}

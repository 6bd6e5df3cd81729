package org.sluice.channelselector.core;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import org.sluice.api.channel.Channel;
import org.sluice.api.event.Event;
import org.sluice.api.selector.ChannelSelector;

/**
 * One required channel per event, picked by a policy; none optional. Each channel's one-element list is made once,
 * so picking allocates nothing.
 */
final class LoadBalancingChannelSelector implements ChannelSelector {
    private final List<List<Channel>> single;
    private final IntSupplier picker;
    private final String policy;

    private LoadBalancingChannelSelector(List<Channel> channels, IntSupplier picker, String policy) {
        this.single = channels.stream().map(List::of).toList();
        this.picker = picker;
        this.policy = policy;
    }

    /** The first event to the first channel, the next to the next, and around again (as Flume's). */
    static LoadBalancingChannelSelector roundRobin(List<Channel> channels) {
        AtomicInteger next = new AtomicInteger();
        int size = channels.size();
        return new LoadBalancingChannelSelector(channels,
                () -> next.getAndUpdate(index -> index + 1 < size ? index + 1 : 0), "round_robin");
    }

    static LoadBalancingChannelSelector random(List<Channel> channels) {
        int size = channels.size();
        return new LoadBalancingChannelSelector(channels, () -> ThreadLocalRandom.current().nextInt(size), "random");
    }

    @Override
    public List<Channel> requiredChannels(Event event) {
        return single.get(picker.getAsInt());
    }

    @Override
    public List<Channel> optionalChannels(Event event) {
        return List.of();
    }

    @Override
    public String toString() {
        return "load_balancing selector (" + policy + " over " + single.size() + " channels)";
    }
}

package org.sluice.channelselector.core;

import java.util.List;

import org.sluice.api.channel.Channel;
import org.sluice.api.event.Event;
import org.sluice.api.selector.ChannelSelector;

/**
 * Every event to the same channels. The same list instances are returned for every event, which tells the
 * platform's channel processor that a whole batch goes to each channel alike.
 */
final class ReplicatingChannelSelector implements ChannelSelector {
    private final List<Channel> required;
    private final List<Channel> optional;

    ReplicatingChannelSelector(List<Channel> required, List<Channel> optional) {
        this.required = required;
        this.optional = optional;
    }

    @Override
    public List<Channel> requiredChannels(Event event) {
        return required;
    }

    @Override
    public List<Channel> optionalChannels(Event event) {
        return optional;
    }

    @Override
    public String toString() {
        return "replicating selector (required " + required + ", optional " + optional + ")";
    }
}

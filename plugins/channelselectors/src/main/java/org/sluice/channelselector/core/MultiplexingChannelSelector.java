package org.sluice.channelselector.core;

import java.util.List;
import java.util.Map;

import org.sluice.api.channel.Channel;
import org.sluice.api.event.Event;
import org.sluice.api.selector.ChannelSelector;

/**
 * Channels by the value of one header, with Flume's rules: the required channels of a missing, blank or
 * unmapped value are the default channels; the optional channels are those of {@code optional.<value>}
 * for the exact value, less the required ones (settled at configuration). The lists are built once, so
 * events with the same value get the same list instance.
 */
final class MultiplexingChannelSelector implements ChannelSelector {
    private final String header;
    private final Map<String, List<Channel>> required;
    private final List<Channel> defaults;
    private final Map<String, List<Channel>> optional;

    MultiplexingChannelSelector(String header, Map<String, List<Channel>> required, List<Channel> defaults,
            Map<String, List<Channel>> optional) {
        this.header = header;
        this.required = Map.copyOf(required);
        this.defaults = defaults;
        this.optional = Map.copyOf(optional);
    }

    @Override
    public List<Channel> requiredChannels(Event event) {
        String value = event.getHeaders().get(header);
        if (value == null || value.isBlank()) {
            return defaults;
        }
        return required.getOrDefault(value, defaults);
    }

    @Override
    public List<Channel> optionalChannels(Event event) {
        String value = event.getHeaders().get(header);
        return value == null ? List.of() : optional.getOrDefault(value, List.of());
    }

    @Override
    public String toString() {
        return "multiplexing selector on header " + header + " (mapping " + required.keySet() + ", default "
                + defaults + ", optional " + optional.keySet() + ")";
    }
}

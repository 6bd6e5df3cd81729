package org.sluice.channelselector.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.sluice.api.channel.Channel;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.selector.SelectorContext;

/** Turns a selector key's list of channel names into the source's channels. */
final class ChannelNames {
    private ChannelNames() {
    }

    /**
     * The channels named in {@code value} (separated by white space), in order and without repeats. A name
     * that is not one of the source's channels is a configuration error on {@code key}.
     */
    static List<Channel> resolve(SelectorContext context, String key, String value) throws ConfigurationException {
        return resolve(context, key, value.trim().isEmpty() ? new String[0] : value.trim().split("\\s+"));
    }

    static List<Channel> resolve(SelectorContext context, String key, String[] names) throws ConfigurationException {
        Map<String, Channel> byName = context.channelsByName();
        Set<Channel> channels = new LinkedHashSet<>();
        for (String name : names) {
            Channel channel = byName.get(name);
            if (channel == null) {
                throw context.configurationError(key, "channel '" + name + "' is not one of the source's channels "
                        + byName.keySet());
            }
            channels.add(channel);
        }
        return List.copyOf(new ArrayList<>(channels));
    }
}

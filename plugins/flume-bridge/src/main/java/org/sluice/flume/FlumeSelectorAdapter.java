package org.sluice.flume;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.sluice.api.channel.Channel;
import org.sluice.api.event.Event;
import org.sluice.api.selector.ChannelSelector;

/**
 * A Flume channel selector of a plugin, choosing among the source's Sluice channels: it was given them as
 * {@link FlumeChannelView}s, and the channels it picks are mapped back.
 */
final class FlumeSelectorAdapter implements ChannelSelector {
    private final org.apache.flume.ChannelSelector selector;
    private final PluginCall call;
    private final Map<org.apache.flume.Channel, Channel> channels = new IdentityHashMap<>();

    FlumeSelectorAdapter(org.apache.flume.ChannelSelector selector, List<FlumeChannelView> views, PluginCall call) {
        this.selector = selector;
        this.call = call;
        for (FlumeChannelView view : views) {
            channels.put(view, view.sluiceChannel());
        }
    }

    @Override
    public List<Channel> requiredChannels(Event event) {
        return sluice(call.call(() -> selector.getRequiredChannels(FlumeEvents.toFlume(event))));
    }

    @Override
    public List<Channel> optionalChannels(Event event) {
        return sluice(call.call(() -> selector.getOptionalChannels(FlumeEvents.toFlume(event))));
    }

    private List<Channel> sluice(List<org.apache.flume.Channel> chosen) {
        if (chosen == null || chosen.isEmpty()) {
            return List.of();
        }
        List<Channel> out = new ArrayList<>(chosen.size());
        for (org.apache.flume.Channel channel : chosen) {
            Channel sluice = channels.get(channel);
            if (sluice == null) {
                throw new IllegalStateException("channel selector " + selector.getName() + " chose " + channel
                        + ", which is not one of the source's channels");
            }
            out.add(sluice);
        }
        return out;
    }
}

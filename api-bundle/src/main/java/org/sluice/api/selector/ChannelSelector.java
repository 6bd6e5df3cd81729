package org.sluice.api.selector;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.channel.Channel;
import org.sluice.api.event.Event;

/**
 * Chooses a source's channels per event. A failed put to a required channel fails the whole batch; a
 * failed put to an optional channel is counted and ignored.
 */
@ConsumerType
public interface ChannelSelector {

    List<Channel> requiredChannels(Event event);

    List<Channel> optionalChannels(Event event);
}

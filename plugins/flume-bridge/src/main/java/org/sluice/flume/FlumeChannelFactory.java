package org.sluice.flume;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.component.ConfigurationException;

/**
 * Makes the channels of one Flume channel class of a plugin. Such a channel is not {@link #durable()}: when its
 * plugin is updated or removed the platform takes its events out and puts them into the instance that replaces it,
 * as for Sluice's memory channel. For a Flume channel that keeps its events elsewhere (on disk, in a broker) this
 * moves them through the agent's memory during the update instead of leaving them where they are.
 */
final class FlumeChannelFactory extends FlumeClassFactory implements ChannelFactory {

    FlumeChannelFactory(PluginClasses plugin, String className) {
        super(plugin, className);
    }

    @Override
    public Channel create(ChannelContext context) throws ConfigurationException {
        PluginCall call = call(context, "CHANNEL", context.counter());
        org.apache.flume.Channel channel = instantiate(org.apache.flume.Channel.class, context, call);
        configure(channel, context.properties(), context, call);
        return new FlumeChannelAdapter(channel, call);
    }
}

package org.sluice.channelselector.core;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.channel.Channel;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.selector.ChannelSelector;
import org.sluice.api.selector.ChannelSelectorFactory;
import org.sluice.api.selector.SelectorContext;

/**
 * Flume's {@code replicating} selector, the default: every event goes to all of the source's channels;
 * those listed in {@code optional} may miss it.
 */
@Component(service = ChannelSelectorFactory.class)
@SluiceType({"replicating", "org.apache.flume.channel.ReplicatingChannelSelector",
        "org.sluice.channelselector.core.ReplicatingChannelSelector"})
public class ReplicatingChannelSelectorFactory implements ChannelSelectorFactory {

    /** Flume's keys (without the source's {@code selector.} prefix) and defaults. */
    public @interface Config {
        /** Channels whose failures do not fail the source's put, separated by white space. */
        String[] optional() default {};
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public ChannelSelector create(SelectorContext context) throws ConfigurationException {
        List<Channel> optional = ChannelNames.resolve(context, "optional", context.config(Config.class).optional());
        List<Channel> required = new ArrayList<>(context.channels());
        required.removeAll(optional);
        return new ReplicatingChannelSelector(List.copyOf(required), optional);
    }
}

package org.sluice.flume;

import java.util.ArrayList;
import java.util.List;

import org.sluice.api.component.ConfigurationException;
import org.sluice.api.selector.ChannelSelector;
import org.sluice.api.selector.ChannelSelectorFactory;
import org.sluice.api.selector.SelectorContext;

/** Makes the channel selectors of one Flume {@code ChannelSelector} class of a plugin. */
final class FlumeChannelSelectorFactory extends FlumeClassFactory implements ChannelSelectorFactory {

    FlumeChannelSelectorFactory(PluginClasses plugin, String className) {
        super(plugin, className);
    }

    @Override
    public ChannelSelector create(SelectorContext context) throws ConfigurationException {
        PluginCall call = call(context, "OTHER", null);
        org.apache.flume.ChannelSelector selector = instantiate(org.apache.flume.ChannelSelector.class, context, call);
        List<FlumeChannelView> views = new ArrayList<>();
        context.channelsByName().forEach((name, channel) -> views.add(new FlumeChannelView(name, channel)));
        // Flume gives a selector its channels before its configuration: multiplexing maps names to them there.
        call.run(() -> selector.setChannels(new ArrayList<>(views)));
        configure(selector, context.properties(), context, call);
        return new FlumeSelectorAdapter(selector, views, call);
    }
}

package org.sluice.flume;

import org.sluice.api.component.ConfigurationException;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;

/** Makes the sources of one Flume source class of a plugin. */
final class FlumeSourceFactory extends FlumeClassFactory implements SourceFactory {

    FlumeSourceFactory(PluginClasses plugin, String className) {
        super(plugin, className);
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        PluginCall call = call(context, "SOURCE", context.counter());
        org.apache.flume.Source source = instantiate(org.apache.flume.Source.class, context, call);
        configure(source, context.properties(), context, call);
        source.setChannelProcessor(new ChannelProcessorView(context.channelProcessor()));
        if (source instanceof org.apache.flume.PollableSource pollable) {
            return new FlumeSourceAdapter.Pollable(pollable, call);
        }
        if (source instanceof org.apache.flume.EventDrivenSource) {
            return new FlumeSourceAdapter(source, call);
        }
        // Flume's SourceRunner refuses such a source too.
        throw context.configurationError("type", "Flume source " + className()
                + " is neither a PollableSource nor an EventDrivenSource");
    }
}

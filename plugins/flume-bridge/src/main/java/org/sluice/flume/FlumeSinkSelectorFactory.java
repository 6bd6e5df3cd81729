package org.sluice.flume;

import java.util.List;

import org.apache.flume.sink.LoadBalancingSinkProcessor;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.sink.SinkSelector;
import org.sluice.api.sink.SinkSelectorContext;
import org.sluice.api.sink.SinkSelectorFactory;

/** Makes the {@code load_balance} sink selectors of one Flume {@code SinkSelector} class of a plugin. */
final class FlumeSinkSelectorFactory extends FlumeClassFactory implements SinkSelectorFactory {

    FlumeSinkSelectorFactory(PluginClasses plugin, String className) {
        super(plugin, className);
    }

    @Override
    public SinkSelector create(SinkSelectorContext context) throws ConfigurationException {
        PluginCall call = call(context, "OTHER", null);
        LoadBalancingSinkProcessor.SinkSelector selector = instantiate(LoadBalancingSinkProcessor.SinkSelector.class,
                context, call);
        List<org.apache.flume.Sink> views = FlumeSinkView.of(context.sinksByName());
        // Flume's load_balance processor gives its selector the sinks, then the processor.selector.* keys.
        call.run(() -> selector.setSinks(views));
        configure(selector, context.properties(), context, call);
        return new FlumeSinkSelectorAdapter(selector, views, call);
    }
}

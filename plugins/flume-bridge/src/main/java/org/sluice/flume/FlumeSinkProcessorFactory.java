package org.sluice.flume;

import org.sluice.api.component.ConfigurationException;
import org.sluice.api.sink.SinkProcessor;
import org.sluice.api.sink.SinkProcessorContext;
import org.sluice.api.sink.SinkProcessorFactory;

/** Makes the sink processors of one Flume {@code SinkProcessor} class of a plugin. */
final class FlumeSinkProcessorFactory extends FlumeClassFactory implements SinkProcessorFactory {

    FlumeSinkProcessorFactory(PluginClasses plugin, String className) {
        super(plugin, className);
    }

    @Override
    public SinkProcessor create(SinkProcessorContext context) throws ConfigurationException {
        PluginCall call = call(context, "SINK_PROCESSOR", null);
        org.apache.flume.SinkProcessor processor = instantiate(org.apache.flume.SinkProcessor.class, context, call);
        // As Flume: the sinks first, then the configuration (a failover processor reads priorities of its sinks).
        call.run(() -> processor.setSinks(FlumeSinkView.of(context.sinksByName())));
        configure(processor, context.properties(), context, call);
        return new FlumeSinkProcessorAdapter(processor, call);
    }
}

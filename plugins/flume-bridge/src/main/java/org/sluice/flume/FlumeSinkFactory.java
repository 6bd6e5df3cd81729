package org.sluice.flume;

import org.sluice.api.component.ConfigurationException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.sink.SinkFactory;

/** Makes the sinks of one Flume sink class of a plugin. */
final class FlumeSinkFactory extends FlumeClassFactory implements SinkFactory {

    FlumeSinkFactory(PluginClasses plugin, String className) {
        super(plugin, className);
    }

    @Override
    public Sink create(SinkContext context) throws ConfigurationException {
        PluginCall call = call(context, "SINK", context.counter());
        org.apache.flume.Sink sink = instantiate(org.apache.flume.Sink.class, context, call);
        configure(sink, context.properties(), context, call);
        String channel = context.properties().getOrDefault("channel", "channel");
        sink.setChannel(new FlumeChannelView(channel, context.channel()));
        return new FlumeSinkAdapter(sink, call);
    }
}

package org.sluice.platform.runtime;

import java.nio.file.Path;
import java.util.Map;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.component.ComponentFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkFactory;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceFactory;
import org.sluice.platform.config.TypedConfiguration;
import org.sluice.platform.metrics.ComponentCounters;

/**
 * Components made from plugin factories outside an agent, for a command that drives them itself (the avro
 * client): the same contexts and configuration checks as the runtime's, with counters of their own. Not started.
 */
public final class StandaloneComponents {

    private StandaloneComponents() {
    }

    public static Channel channel(ChannelFactory factory, String agent, String name, Map<String, String> properties,
            Path dataRoot) throws ConfigurationException {
        check(factory, properties, agent, name);
        return factory.create(new RuntimeContext.ChannelCtx(agent, name, properties, dataRoot,
                ComponentCounters.forChannel(agent, name)));
    }

    public static Sink sink(SinkFactory factory, String agent, String name, Map<String, String> properties,
            Path dataRoot, Channel channel) throws ConfigurationException {
        check(factory, properties, agent, name);
        return factory.create(new RuntimeContext.SinkCtx(agent, name, properties, dataRoot, channel,
                ComponentCounters.forSink(agent, name), PartLookups.none()));
    }

    public static Source source(SourceFactory factory, String agent, String name, Map<String, String> properties,
            Path dataRoot, ChannelProcessor processor) throws ConfigurationException {
        check(factory, properties, agent, name);
        return factory.create(new RuntimeContext.Source(agent, name, properties, dataRoot, processor,
                ComponentCounters.forSource(agent, name), PartLookups.none()));
    }

    /** A value of the wrong type fails here, naming the key, as in an agent. */
    private static void check(ComponentFactory<?, ?> factory, Map<String, String> properties, String agent,
            String name) throws ConfigurationException {
        if (factory.configurationType() != null) {
            TypedConfiguration.view(factory.configurationType(), properties, agent, name);
        }
    }
}

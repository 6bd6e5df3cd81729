package org.sluice.testkit;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.selector.SelectorContext;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.sink.SinkProcessorContext;
import org.sluice.api.sink.SinkSelector;
import org.sluice.api.sink.SinkSelectorContext;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.api.source.SourceContext;
import org.sluice.api.testkit.Contexts;
import org.sluice.platform.config.TypedConfiguration;
import org.sluice.platform.metrics.ComponentCounters;

/**
 * The API test kit's contexts ({@link Contexts}) with the platform's own typed configuration and counters, for
 * Sluice's plugin tests: a plugin sees exactly what the running agent gives it, and a test can read the
 * counters as the platform publishes them ({@link #countersOf}). Agent {@value #AGENT}; data directories go
 * under the given root.
 */
public final class TestContexts {
    public static final String AGENT = Contexts.AGENT;

    private static final Contexts PLATFORM = new Contexts(TypedConfiguration::view, new Contexts.CounterMaker() {
        @Override
        public SourceCounter forSource(String agent, String name) {
            return ComponentCounters.forSource(agent, name);
        }

        @Override
        public ChannelCounter forChannel(String agent, String name) {
            return ComponentCounters.forChannel(agent, name);
        }

        @Override
        public SinkCounter forSink(String agent, String name) {
            return ComponentCounters.forSink(agent, name);
        }
    });

    private TestContexts() {
    }

    public static SourceContext source(String name, Map<String, String> properties, ChannelProcessor processor,
            Path dataRoot) {
        return PLATFORM.source(name, properties, processor, dataRoot);
    }

    /**
     * The context of a listening source {@code r1} bound to 127.0.0.1 and a free port ({@code bind}, {@code port} 0),
     * with these keys added: how a test starts an avro, thrift or netcat source.
     */
    public static SourceContext listeningSource(Map<String, String> extra, ChannelProcessor processor,
            Path dataRoot) {
        Map<String, String> properties = new HashMap<>(Map.of("bind", "127.0.0.1", "port", "0"));
        properties.putAll(extra);
        return source("r1", properties, processor, dataRoot);
    }

    public static ChannelContext channel(String name, Map<String, String> properties, Path dataRoot) {
        return PLATFORM.channel(name, properties, dataRoot);
    }

    public static SinkContext sink(String name, Map<String, String> properties, Channel channel, Path dataRoot) {
        return PLATFORM.sink(name, properties, channel, dataRoot);
    }

    public static SelectorContext selector(String source, Map<String, String> properties,
            Map<String, Channel> channels) {
        return PLATFORM.selector(source, properties, channels);
    }

    public static SinkProcessorContext sinkProcessor(String group, Map<String, String> properties,
            Map<String, Sink> sinks) {
        return PLATFORM.sinkProcessor(group, properties, sinks, null);
    }

    /** A processor's context as the platform makes it when the factory named a selector from the registry. */
    public static SinkProcessorContext sinkProcessor(String group, Map<String, String> properties,
            Map<String, Sink> sinks, SinkSelector selector) {
        return PLATFORM.sinkProcessor(group, properties, sinks, selector);
    }

    /** A sink selector's context: {@code properties} are the group's {@code processor.selector.*} keys. */
    public static SinkSelectorContext sinkSelector(String group, Map<String, String> properties,
            Map<String, Sink> sinks) {
        return PLATFORM.sinkSelector(group, properties, sinks);
    }

    /** The platform's contexts with a named part {@link ComponentContext#lookup} finds (see {@link Contexts#withPart}). */
    public static <S> Contexts withPart(Class<S> service, String type, S part) {
        return PLATFORM.withPart(service, type, part);
    }

    public static ComponentContext plain(ComponentKind kind, String name, Map<String, String> properties) {
        return PLATFORM.plain(kind, name, properties);
    }

    /** Counters of a source, channel or sink context made here, to assert on. */
    public static ComponentCounters countersOf(Object context) {
        if (context instanceof SourceContext source) {
            return (ComponentCounters) source.counter();
        }
        if (context instanceof SinkContext sink) {
            return (ComponentCounters) sink.counter();
        }
        return (ComponentCounters) ((ChannelContext) context).counter();
    }
}

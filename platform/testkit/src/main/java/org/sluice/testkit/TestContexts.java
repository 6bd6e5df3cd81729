package org.sluice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.sink.SinkProcessorContext;
import org.sluice.api.sink.SinkSelector;
import org.sluice.api.sink.SinkSelectorContext;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.api.source.SourceContext;
import org.sluice.api.selector.SelectorContext;
import org.sluice.platform.config.TypedConfiguration;
import org.sluice.platform.metrics.ComponentCounters;

/**
 * Contexts for plugin unit tests, built from the same typed configuration and counters the platform
 * uses, for agent {@code test}. Data directories go under the given root.
 */
public final class TestContexts {
    public static final String AGENT = "test";

    private TestContexts() {
    }

    public static SourceContext source(String name, Map<String, String> properties, ChannelProcessor processor,
            Path dataRoot) {
        ComponentCounters counters = ComponentCounters.forSource(AGENT, name);
        class Ctx extends Base implements SourceContext {
            Ctx() {
                super(ComponentKind.SOURCE, name, properties, dataRoot);
            }

            @Override
            public ChannelProcessor channelProcessor() {
                return processor;
            }

            @Override
            public SourceCounter counter() {
                return counters;
            }
        }
        return new Ctx();
    }

    public static ChannelContext channel(String name, Map<String, String> properties, Path dataRoot) {
        ComponentCounters counters = ComponentCounters.forChannel(AGENT, name);
        class Ctx extends Base implements ChannelContext {
            Ctx() {
                super(ComponentKind.CHANNEL, name, properties, dataRoot);
            }

            @Override
            public ChannelCounter counter() {
                return counters;
            }
        }
        return new Ctx();
    }

    public static SinkContext sink(String name, Map<String, String> properties, Channel channel, Path dataRoot) {
        ComponentCounters counters = ComponentCounters.forSink(AGENT, name);
        class Ctx extends Base implements SinkContext {
            Ctx() {
                super(ComponentKind.SINK, name, properties, dataRoot);
            }

            @Override
            public Channel channel() {
                return channel;
            }

            @Override
            public SinkCounter counter() {
                return counters;
            }
        }
        return new Ctx();
    }

    public static SelectorContext selector(String source, Map<String, String> properties,
            Map<String, Channel> channels) {
        class Ctx extends Base implements SelectorContext {
            Ctx() {
                super(ComponentKind.CHANNEL_SELECTOR, source + ".selector", properties, null);
            }

            @Override
            public List<Channel> channels() {
                return List.copyOf(channels.values());
            }

            @Override
            public Map<String, Channel> channelsByName() {
                return channels;
            }
        }
        return new Ctx();
    }

    public static SinkProcessorContext sinkProcessor(String group, Map<String, String> properties,
            Map<String, Sink> sinks) {
        return sinkProcessor(group, properties, sinks, null);
    }

    /** A processor's context as the platform makes it when the factory named a selector from the registry. */
    public static SinkProcessorContext sinkProcessor(String group, Map<String, String> properties,
            Map<String, Sink> sinks, SinkSelector selector) {
        class Ctx extends Base implements SinkProcessorContext {
            Ctx() {
                super(ComponentKind.SINK_PROCESSOR, group + ".processor", properties, null);
            }

            @Override
            public List<Sink> sinks() {
                return List.copyOf(sinks.values());
            }

            @Override
            public Map<String, Sink> sinksByName() {
                return sinks;
            }

            @Override
            public Optional<SinkSelector> sinkSelector() {
                return Optional.ofNullable(selector);
            }
        }
        return new Ctx();
    }

    /** A sink selector's context: {@code properties} are the group's {@code processor.selector.*} keys. */
    public static SinkSelectorContext sinkSelector(String group, Map<String, String> properties,
            Map<String, Sink> sinks) {
        class Ctx extends Base implements SinkSelectorContext {
            Ctx() {
                super(ComponentKind.SINK_SELECTOR, group + ".processor.selector", properties, null);
            }

            @Override
            public List<Sink> sinks() {
                return List.copyOf(sinks.values());
            }

            @Override
            public Map<String, Sink> sinksByName() {
                return sinks;
            }
        }
        return new Ctx();
    }

    public static ComponentContext plain(ComponentKind kind, String name, Map<String, String> properties) {
        return new Base(kind, name, properties, null);
    }

    /** Counters of a context made here, to assert on. */
    public static ComponentCounters countersOf(Object context) {
        if (context instanceof SourceContext) {
            return (ComponentCounters) ((SourceContext) context).counter();
        }
        if (context instanceof SinkContext) {
            return (ComponentCounters) ((SinkContext) context).counter();
        }
        return (ComponentCounters) ((ChannelContext) context).counter();
    }

    private static class Base implements ComponentContext {
        private final ComponentKind kind;
        private final String name;
        private final Map<String, String> properties;
        private final Path dataRoot;

        Base(ComponentKind kind, String name, Map<String, String> properties, Path dataRoot) {
            this.kind = kind;
            this.name = name;
            this.properties = Map.copyOf(properties);
            this.dataRoot = dataRoot;
        }

        @Override
        public String agentName() {
            return AGENT;
        }

        @Override
        public String componentName() {
            return name;
        }

        @Override
        public ComponentKind kind() {
            return kind;
        }

        @Override
        public Map<String, String> properties() {
            return properties;
        }

        @Override
        public <A> A config(Class<A> type) throws ConfigurationException {
            return TypedConfiguration.view(type, properties, AGENT, name);
        }

        @Override
        public Map<String, String> subProperties(String prefix) {
            Map<String, String> out = new LinkedHashMap<>();
            properties.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    out.put(k.substring(prefix.length()), v);
                }
            });
            return out;
        }

        @Override
        public Path dataDirectory() {
            if (dataRoot == null) {
                throw new IllegalStateException("no data root given for " + name);
            }
            Path dir = dataRoot.resolve(AGENT).resolve(name);
            try {
                return Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

package org.sluice.api.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.ProviderUnavailableException;
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

/**
 * The contexts a component is created with, made for a test: every component belongs to agent
 * {@value #AGENT}, and its data directory is {@code <dataRoot>/test/<name>}. {@link #API_ONLY} needs nothing
 * but the API (typed configuration by {@link TypedView}, the agent's own rules, counters in a
 * {@link MapCounters}); Sluice's own tests make theirs with the platform's typed configuration (the same rules,
 * with secrets redacted and warnings logged) and counters through the constructor.
 */
public final class Contexts {
    public static final String AGENT = "test";

    /** Reads a component's configuration through an annotation type, as {@link ComponentContext#config} does. */
    @FunctionalInterface
    public interface ConfigReader {
        <A> A read(Class<A> type, Map<String, String> properties, String agent, String component)
                throws ConfigurationException;
    }

    /** Makes the counters of one component. */
    public interface CounterMaker {
        SourceCounter forSource(String agent, String name);

        ChannelCounter forChannel(String agent, String name);

        SinkCounter forSink(String agent, String name);
    }

    /** Contexts built on the API alone, for plugins outside Sluice's tree. */
    public static final Contexts API_ONLY = new Contexts(TypedView::of, new CounterMaker() {
        @Override
        public SourceCounter forSource(String agent, String name) {
            return new MapCounters();
        }

        @Override
        public ChannelCounter forChannel(String agent, String name) {
            return new MapCounters();
        }

        @Override
        public SinkCounter forSink(String agent, String name) {
            return new MapCounters();
        }
    });

    private final ConfigReader reader;
    private final CounterMaker counters;
    /** The named parts {@link ComponentContext#lookup} finds, by service interface and type name. */
    private final Map<String, Object> parts;

    public Contexts(ConfigReader reader, CounterMaker counters) {
        this(reader, counters, Map.of());
    }

    private Contexts(ConfigReader reader, CounterMaker counters, Map<String, Object> parts) {
        this.reader = reader;
        this.counters = counters;
        this.parts = parts;
    }

    /**
     * These contexts, whose {@link ComponentContext#lookup} also finds {@code part} as the {@code service} named
     * {@code type}, as if a plugin had registered it; without it, a lookup throws
     * {@link ProviderUnavailableException} as the platform's does.
     */
    public <S> Contexts withPart(Class<S> service, String type, S part) {
        Map<String, Object> more = new java.util.HashMap<>(parts);
        more.put(partKey(service, type), part);
        return new Contexts(reader, counters, Map.copyOf(more));
    }

    private static String partKey(Class<?> service, String type) {
        return service.getName() + " " + type;
    }

    public SourceContext source(String name, Map<String, String> properties, ChannelProcessor processor,
            Path dataRoot) {
        SourceCounter counter = counters.forSource(AGENT, name);
        class Made extends Identity implements SourceContext {
            Made() {
                super(ComponentKind.SOURCE, name, properties, dataRoot);
            }

            @Override
            public ChannelProcessor channelProcessor() {
                return processor;
            }

            @Override
            public SourceCounter counter() {
                return counter;
            }
        }
        return new Made();
    }

    public ChannelContext channel(String name, Map<String, String> properties, Path dataRoot) {
        ChannelCounter counter = counters.forChannel(AGENT, name);
        class Made extends Identity implements ChannelContext {
            Made() {
                super(ComponentKind.CHANNEL, name, properties, dataRoot);
            }

            @Override
            public ChannelCounter counter() {
                return counter;
            }
        }
        return new Made();
    }

    public SinkContext sink(String name, Map<String, String> properties, Channel channel, Path dataRoot) {
        SinkCounter counter = counters.forSink(AGENT, name);
        class Made extends Identity implements SinkContext {
            Made() {
                super(ComponentKind.SINK, name, properties, dataRoot);
            }

            @Override
            public Channel channel() {
                return channel;
            }

            @Override
            public SinkCounter counter() {
                return counter;
            }
        }
        return new Made();
    }

    /** A channel selector's context; its name is the source's with {@code .selector}. */
    public SelectorContext selector(String source, Map<String, String> properties, Map<String, Channel> channels) {
        class Made extends Identity implements SelectorContext {
            Made() {
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
        return new Made();
    }

    /**
     * A sink processor's context; {@code selector} is the sink selector the platform would have taken from
     * the registry for the processor's selector key, or null.
     */
    public SinkProcessorContext sinkProcessor(String group, Map<String, String> properties, Map<String, Sink> sinks,
            SinkSelector selector) {
        class Made extends OfSinks implements SinkProcessorContext {
            Made() {
                super(ComponentKind.SINK_PROCESSOR, group + ".processor", properties, sinks);
            }

            @Override
            public Optional<SinkSelector> sinkSelector() {
                return Optional.ofNullable(selector);
            }
        }
        return new Made();
    }

    /** A sink selector's context: {@code properties} are the group's {@code processor.selector.*} keys. */
    public SinkSelectorContext sinkSelector(String group, Map<String, String> properties, Map<String, Sink> sinks) {
        class Made extends OfSinks implements SinkSelectorContext {
            Made() {
                super(ComponentKind.SINK_SELECTOR, group + ".processor.selector", properties, sinks);
            }
        }
        return new Made();
    }

    /** A context of no particular family (an interceptor's). */
    public ComponentContext plain(ComponentKind kind, String name, Map<String, String> properties) {
        return new Identity(kind, name, properties, null);
    }

    /** A sink group's contexts: the group's sinks, in the order the group lists them. */
    private class OfSinks extends Identity {
        private final Map<String, Sink> sinks;

        OfSinks(ComponentKind kind, String name, Map<String, String> properties, Map<String, Sink> sinks) {
            super(kind, name, properties, null);
            this.sinks = sinks;
        }

        public List<Sink> sinks() {
            return List.copyOf(sinks.values());
        }

        public Map<String, Sink> sinksByName() {
            return sinks;
        }
    }

    /** What every context has: who the component is, its keys, its directory. */
    private class Identity implements ComponentContext {
        private final ComponentKind kind;
        private final String name;
        private final Map<String, String> properties;
        private final Path dataRoot;

        Identity(ComponentKind kind, String name, Map<String, String> properties, Path dataRoot) {
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
            return reader.read(type, properties, AGENT, name);
        }

        @Override
        public Map<String, String> subProperties(String prefix) {
            Map<String, String> under = new TreeMap<>(properties).tailMap(prefix);
            Map<String, String> out = new TreeMap<>();
            for (Map.Entry<String, String> entry : under.entrySet()) {
                if (!entry.getKey().startsWith(prefix)) {
                    break;
                }
                out.put(entry.getKey().substring(prefix.length()), entry.getValue());
            }
            return out;
        }

        @Override
        public <S> S lookup(Class<S> service, String type, String key) throws ConfigurationException {
            Object part = parts.get(partKey(service, type == null ? "" : type.trim()));
            if (part == null) {
                throw new ProviderUnavailableException(AGENT, name, key, "no installed bundle provides "
                        + service.getSimpleName() + " type '" + type + "'");
            }
            return service.cast(part);
        }

        @Override
        public Path dataDirectory() {
            if (dataRoot == null) {
                throw new IllegalStateException("the test gave " + name + " no data root");
            }
            try {
                return Files.createDirectories(dataRoot.resolve(AGENT).resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return kind + " " + AGENT + "." + name;
        }
    }
}

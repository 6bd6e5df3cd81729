package org.sluice.platform.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
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

/** The contexts the runtime creates components with: one class, each family's view on top. */
class RuntimeContext implements ComponentContext {
    private final String agent;
    private final String name;
    private final ComponentKind kind;
    private final Map<String, String> properties;
    private final Path dataRoot;
    private final PartLookups parts;

    RuntimeContext(String agent, String name, ComponentKind kind, Map<String, String> properties, Path dataRoot) {
        this(agent, name, kind, properties, dataRoot, PartLookups.none());
    }

    /** @param parts where the component's {@link #lookup}s are found and recorded */
    RuntimeContext(String agent, String name, ComponentKind kind, Map<String, String> properties, Path dataRoot,
            PartLookups parts) {
        this.parts = parts;
        this.agent = agent;
        this.name = name;
        this.kind = kind;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        this.dataRoot = dataRoot;
    }

    @Override
    public String agentName() {
        return agent;
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
        return TypedConfiguration.view(type, properties, agent, name);
    }

    @Override
    public Map<String, String> subProperties(String prefix) {
        return RuntimeContext.subProperties(properties, prefix);
    }

    static Map<String, String> subProperties(Map<String, String> properties, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                out.put(key.substring(prefix.length()), value);
            }
        });
        return out;
    }

    @Override
    public <S> S lookup(Class<S> service, String type, String key) throws ConfigurationException {
        return parts.lookup(agent, name, service, type, key);
    }

    @Override
    public Path dataDirectory() {
        Path dir = dataRoot.resolve(agent).resolve(name);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory of " + agent + "." + name, e);
        }
    }

    static final class Source extends RuntimeContext implements SourceContext {
        private final ChannelProcessor processor;
        private final ComponentCounters counters;

        Source(String agent, String name, Map<String, String> properties, Path dataRoot, ChannelProcessor processor,
                ComponentCounters counters, PartLookups parts) {
            super(agent, name, ComponentKind.SOURCE, properties, dataRoot, parts);
            this.processor = processor;
            this.counters = counters;
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

    static final class ChannelCtx extends RuntimeContext implements ChannelContext {
        private final ComponentCounters counters;

        ChannelCtx(String agent, String name, Map<String, String> properties, Path dataRoot,
                ComponentCounters counters) {
            super(agent, name, ComponentKind.CHANNEL, properties, dataRoot);
            this.counters = counters;
        }

        @Override
        public ChannelCounter counter() {
            return counters;
        }
    }

    static final class SinkCtx extends RuntimeContext implements SinkContext {
        private final Channel channel;
        private final ComponentCounters counters;

        SinkCtx(String agent, String name, Map<String, String> properties, Path dataRoot, Channel channel,
                ComponentCounters counters, PartLookups parts) {
            super(agent, name, ComponentKind.SINK, properties, dataRoot, parts);
            this.channel = channel;
            this.counters = counters;
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

    static final class Selector extends RuntimeContext implements SelectorContext {
        private final Map<String, Channel> channels;

        Selector(String agent, String name, Map<String, String> properties, Path dataRoot,
                Map<String, Channel> channels) {
            super(agent, name, ComponentKind.CHANNEL_SELECTOR, properties, dataRoot);
            this.channels = Collections.unmodifiableMap(new LinkedHashMap<>(channels));
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

    static final class Processor extends RuntimeContext implements SinkProcessorContext {
        private final Map<String, Sink> sinks;
        private final SinkSelector selector;

        /** @param selector the selector taken from the registry for the factory's selector key, or null */
        Processor(String agent, String name, Map<String, String> properties, Path dataRoot, Map<String, Sink> sinks,
                SinkSelector selector) {
            super(agent, name, ComponentKind.SINK_PROCESSOR, properties, dataRoot);
            this.sinks = Collections.unmodifiableMap(new LinkedHashMap<>(sinks));
            this.selector = selector;
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

    static final class SinkSelectorCtx extends RuntimeContext implements SinkSelectorContext {
        private final Map<String, Sink> sinks;

        SinkSelectorCtx(String agent, String name, Map<String, String> properties, Path dataRoot,
                Map<String, Sink> sinks) {
            super(agent, name, ComponentKind.SINK_SELECTOR, properties, dataRoot);
            this.sinks = Collections.unmodifiableMap(new LinkedHashMap<>(sinks));
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
}

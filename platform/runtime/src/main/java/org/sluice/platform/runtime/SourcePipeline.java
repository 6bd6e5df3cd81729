package org.sluice.platform.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sluice.api.channel.AbstractChannel;
import org.sluice.api.channel.AbstractTransaction;
import org.sluice.api.channel.Channel;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.interceptor.InterceptorFactory;
import org.sluice.api.selector.ChannelSelector;
import org.sluice.api.selector.ChannelSelectorFactory;
import org.sluice.platform.config.ConfigSchema;
import org.sluice.platform.configtest.ConfigTestSuite;
import org.sluice.platform.configtest.RoutedEvent;

/**
 * A source's interceptors and channel selector, made by the installed plugins' factories from the source's
 * configuration exactly as the runtime makes them ({@link SourceBuilder}), without the source and without
 * channels: events go through the same {@link RoutingChannelProcessor} chain, and the selector's choice is
 * recorded by channel name instead of acted on. What {@code sluice test} runs.
 */
final class SourcePipeline implements AutoCloseable {
    private final RoutingChannelProcessor processor;
    private final ChannelSelector selector;
    private final List<Interceptor> interceptors;
    private final Map<Channel, String> channelNames;

    private SourcePipeline(RoutingChannelProcessor processor, ChannelSelector selector, List<Interceptor> interceptors,
            Map<Channel, String> channelNames) {
        this.processor = processor;
        this.selector = selector;
        this.interceptors = interceptors;
        this.channelNames = channelNames;
    }

    /** A problem building the pipeline: a type no bundle provides, a bad configuration value, a failed start. */
    static final class BuildException extends Exception {
        private static final long serialVersionUID = 1L;

        BuildException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static SourcePipeline build(ProviderRegistry registry, String agent, String source, Map<String, String> props,
            Path dataRoot) throws BuildException {
        Map<String, Channel> channels = new LinkedHashMap<>();
        Map<Channel, String> names = new LinkedHashMap<>();
        for (String name : ReconcilePlan.names(props.get(ConfigSchema.CHANNELS))) {
            Channel channel = new NamedChannel(name);
            channels.put(name, channel);
            names.put(channel, name);
        }
        if (channels.isEmpty()) {
            throw new BuildException("agent " + agent + ", source " + source + ": no channels configured", null);
        }
        Map<String, String> selectorProps = RuntimeContext.subProperties(props, ConfigSchema.SELECTOR_PREFIX);
        String selectorName = source + ".selector";
        List<Interceptor> interceptors = new ArrayList<>();
        try {
            Provider selectorProvider = provider(registry, agent, selectorName, ComponentKind.CHANNEL_SELECTOR,
                    selectorProps.getOrDefault(ConfigSchema.TYPE, "replicating"));
            BuildContext.checkConfiguration(selectorProvider, selectorProps, agent, selectorName);
            ChannelSelector selector = ((ChannelSelectorFactory) selectorProvider.factory()).create(
                    new RuntimeContext.Selector(agent, selectorName, selectorProps, dataRoot, channels));
            for (String interceptor : ReconcilePlan.names(props.get(ConfigSchema.INTERCEPTORS))) {
                String name = source + "." + ConfigSchema.INTERCEPTORS + "." + interceptor;
                Map<String, String> own = RuntimeContext.subProperties(props,
                        ConfigSchema.INTERCEPTORS + "." + interceptor + ".");
                Provider provider = provider(registry, agent, name, ComponentKind.INTERCEPTOR,
                        own.get(ConfigSchema.TYPE));
                BuildContext.checkConfiguration(provider, own, agent, name);
                Interceptor instance = ((InterceptorFactory) provider.factory()).create(
                        new RuntimeContext(agent, name, ComponentKind.INTERCEPTOR, own, dataRoot));
                instance.start();
                interceptors.add(instance);
            }
            return new SourcePipeline(new RoutingChannelProcessor(agent + "." + source, interceptors, selector),
                    selector, interceptors, names);
        } catch (BuildException e) {
            stopAll(interceptors);
            throw e;
        } catch (Exception | LinkageError e) {
            stopAll(interceptors);
            throw new BuildException("agent " + agent + ", source " + source + ": " + e.getMessage(), e);
        }
    }

    /** The events through the interceptors, as one batch (as a source hands them over), each with its channels. */
    List<RoutedEvent> route(List<ConfigTestSuite.InputEvent> input) {
        List<Event> events = new ArrayList<>();
        for (ConfigTestSuite.InputEvent event : input) {
            events.add(EventBuilder.withBody(event.body(), java.nio.charset.StandardCharsets.UTF_8,
                    new LinkedHashMap<>(event.headers())));
        }
        List<RoutedEvent> routed = new ArrayList<>();
        for (Event event : processor.intercept(events)) {
            routed.add(RoutedEvent.of(event.getBody(), event.getHeaders(), names(selector.requiredChannels(event)),
                    names(selector.optionalChannels(event))));
        }
        return routed;
    }

    @Override
    public void close() {
        stopAll(interceptors);
    }

    private List<String> names(List<Channel> channels) {
        List<String> names = new ArrayList<>();
        for (Channel channel : channels) {
            names.add(channelNames.getOrDefault(channel, String.valueOf(channel)));
        }
        return names;
    }

    private static Provider provider(ProviderRegistry registry, String agent, String component, ComponentKind kind,
            String type) throws BuildException {
        if (type == null || type.isBlank()) {
            throw new BuildException("agent " + agent + ", " + component + ": no type is configured", null);
        }
        Provider provider = registry.find(kind, type.trim());
        if (provider == null) {
            throw new BuildException("agent " + agent + ", " + component + ": no installed bundle provides "
                    + StatusBoard.kindName(kind) + " type '" + type.trim() + "'", null);
        }
        return provider;
    }

    private static void stopAll(List<Interceptor> interceptors) {
        for (Interceptor interceptor : interceptors) {
            interceptor.stop();
        }
    }

    /** A channel that is only a name for the selector to choose: a test puts nothing anywhere. */
    private static final class NamedChannel extends AbstractChannel {
        private final String name;

        NamedChannel(String name) {
            this.name = name;
        }

        @Override
        protected AbstractTransaction createTransaction() {
            throw new UnsupportedOperationException("channel " + name + " of a configuration test holds no events");
        }

        @Override
        public String toString() {
            return name;
        }
    }
}

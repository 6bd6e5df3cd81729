package org.sluice.platform.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.Channel;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ProviderUnavailableException;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.interceptor.InterceptorFactory;
import org.sluice.api.selector.ChannelSelector;
import org.sluice.api.selector.ChannelSelectorFactory;
import org.sluice.api.source.PollableSource;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceFactory;
import org.sluice.platform.config.ConfigSchema;
import org.sluice.platform.metrics.ComponentCounters;

/**
 * Starts and stops an agent's sources, each with its channel selector and interceptors (all from the
 * registry) behind a {@link RoutingChannelProcessor}, and a runner for a pollable source.
 */
final class SourceBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(SourceBuilder.class);

    private final BuildContext build;

    SourceBuilder(BuildContext build) {
        this.build = build;
    }

    /** The running source, or null with its status saying why not. */
    RunningGraph.SourceEntry start(String name, Map<String, String> props,
            Map<String, RunningGraph.ChannelEntry> channels) {
        ComponentKey key = ComponentKey.source(name);
        List<String> channelNames = ReconcilePlan.names(props.get(ConfigSchema.CHANNELS));
        if (channelNames.isEmpty()) {
            build.board().invalid(key, props, ConfigSchema.CHANNELS, "a source needs channels");
            return null;
        }
        // The type first: a missing plugin is the problem to report even when a channel is missing too.
        Provider provider = build.provider(key, props, ComponentKind.SOURCE, props.get(ConfigSchema.TYPE),
                ConfigSchema.TYPE);
        if (provider == null) {
            return null;
        }
        Map<String, Channel> byName = new LinkedHashMap<>();
        List<ManagedChannel> managed = new ArrayList<>();
        for (String channelName : channelNames) {
            RunningGraph.ChannelEntry channel = channels.get(channelName);
            if (channel == null) {
                build.board().waiting(key, props, "channel '" + channelName + "' is not running");
                return null;
            }
            byName.put(channelName, channel.channel());
            managed.add(channel.channel());
        }
        Map<String, String> selectorProps = RuntimeContext.subProperties(props, ConfigSchema.SELECTOR_PREFIX);
        Provider selectorProvider = build.provider(key, props, ComponentKind.CHANNEL_SELECTOR,
                selectorProps.getOrDefault(ConfigSchema.TYPE, "replicating"),
                ConfigSchema.SELECTOR_PREFIX + ConfigSchema.TYPE);
        if (selectorProvider == null) {
            return null;
        }
        List<Provider> providers = new ArrayList<>(List.of(provider, selectorProvider));
        Map<String, Map<String, String>> interceptorProps = new LinkedHashMap<>();
        List<Provider> interceptorProviders = new ArrayList<>();
        for (String interceptor : ReconcilePlan.names(props.get(ConfigSchema.INTERCEPTORS))) {
            String prefix = ConfigSchema.INTERCEPTORS + "." + interceptor + ".";
            Map<String, String> own = RuntimeContext.subProperties(props, prefix);
            Provider interceptorProvider = build.provider(key, props, ComponentKind.INTERCEPTOR,
                    own.get(ConfigSchema.TYPE), prefix + ConfigSchema.TYPE);
            if (interceptorProvider == null) {
                return null;
            }
            interceptorProviders.add(interceptorProvider);
            interceptorProps.put(interceptor, own);
        }
        providers.addAll(interceptorProviders);
        if (build.board().failedBefore(key, props, providers)) {
            return null;
        }
        ComponentCounters counters = build.env().counters(build.agent(), ComponentKind.SOURCE, name);
        List<Interceptor> interceptors = new ArrayList<>();
        Source source;
        Runner runner = null;
        PartLookups parts = build.parts();
        try {
            build.checkConfiguration(provider, props, name);
            build.checkConfiguration(selectorProvider, selectorProps, name + ".selector");
            ChannelSelector selector = ((ChannelSelectorFactory) selectorProvider.factory()).create(
                    new RuntimeContext.Selector(build.agent(), name + ".selector", selectorProps,
                            build.env().dataRoot(), byName));
            int i = 0;
            for (Map.Entry<String, Map<String, String>> interceptor : interceptorProps.entrySet()) {
                String interceptorName = name + ".interceptors." + interceptor.getKey();
                Provider interceptorProvider = interceptorProviders.get(i++);
                build.checkConfiguration(interceptorProvider, interceptor.getValue(), interceptorName);
                Interceptor instance = ((InterceptorFactory) interceptorProvider.factory()).create(new RuntimeContext(
                        build.agent(), interceptorName, ComponentKind.INTERCEPTOR, interceptor.getValue(),
                        build.env().dataRoot(), parts));
                instance.start();
                interceptors.add(instance);
            }
            RoutingChannelProcessor processor = new RoutingChannelProcessor(build.agent() + "." + name, interceptors,
                    selector, build.env().tapPoint(build.agent(), ComponentKind.SOURCE, name));
            source = ((SourceFactory) provider.factory()).create(new RuntimeContext.Source(build.agent(), name,
                    props, build.env().dataRoot(), processor, counters, parts));
            source.start();
            if (source instanceof PollableSource pollable) {
                runner = new Runner("sluice-" + build.agent() + "-source-" + name,
                        () -> pollable.process() == PollableSource.Status.READY, pollable.backoffSleepIncrement(),
                        pollable.maxBackoffSleep());
                runner.start();
            }
        } catch (Exception | LinkageError e) {
            for (Interceptor interceptor : interceptors) {
                build.stopQuietly(interceptor, "interceptor of source " + name);
            }
            if (e instanceof ProviderUnavailableException) {
                build.board().waiting(key, props, e.getMessage());
            } else {
                build.board().failed(key, props, providers, e);
            }
            return null;
        }
        counters.markStarted();
        build.board().running(key, props, provider);
        providers.addAll(parts.used());
        return new RunningGraph.SourceEntry(source, runner, props, managed, List.copyOf(providers), interceptors);
    }

    /** Stops the runner (the current call finishes), the source, then its interceptors. */
    void stop(String name, RunningGraph.SourceEntry running) {
        build.board().stopping(ComponentKey.source(name), running.config(), running.providers().get(0));
        if (running.runner() != null) {
            running.runner().stop(Runner.STOP_GRACE_MILLIS);
        }
        build.stopQuietly(running.source(), "source " + name);
        for (Interceptor interceptor : running.interceptors()) {
            build.stopQuietly(interceptor, "interceptor of source " + name);
        }
        build.env().counters(build.agent(), ComponentKind.SOURCE, name).markStopped();
        LOG.info("Agent {}: source {} stopped", build.agent(), name);
    }
}

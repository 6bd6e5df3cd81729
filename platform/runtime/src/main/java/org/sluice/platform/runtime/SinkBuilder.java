package org.sluice.platform.runtime;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ProviderUnavailableException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkFactory;
import org.sluice.platform.config.ConfigSchema;
import org.sluice.platform.metrics.ComponentCounters;

/** Starts and stops an agent's sinks; what drives them is {@link SinkRunnerBuilder}'s. */
final class SinkBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(SinkBuilder.class);

    private final BuildContext build;

    SinkBuilder(BuildContext build) {
        this.build = build;
    }

    /** The running sink, or null with its status saying why not. */
    RunningGraph.SinkEntry start(String name, Map<String, String> props,
            Map<String, RunningGraph.ChannelEntry> channels) {
        ComponentKey key = ComponentKey.sink(name);
        List<String> channelNames = ReconcilePlan.names(props.get(ConfigSchema.CHANNEL));
        if (channelNames.size() != 1) {
            build.board().invalid(key, props, ConfigSchema.CHANNEL, channelNames.isEmpty()
                    ? "a sink needs a channel" : "a sink takes from exactly one channel, not " + channelNames.size());
            return null;
        }
        // The type first: a missing plugin is the problem to report even when the channel is missing too.
        Provider provider = build.provider(key, props, ComponentKind.SINK, props.get(ConfigSchema.TYPE),
                ConfigSchema.TYPE);
        if (provider == null || build.board().failedBefore(key, props, List.of(provider))) {
            return null;
        }
        RunningGraph.ChannelEntry channel = channels.get(channelNames.get(0));
        if (channel == null) {
            build.board().waiting(key, props, "channel '" + channelNames.get(0) + "' is not running");
            return null;
        }
        ComponentCounters counters = build.env().counters(build.agent(), ComponentKind.SINK, name);
        Sink sink;
        PartLookups parts = build.parts();
        try {
            build.checkConfiguration(provider, props, name);
            sink = ((SinkFactory) provider.factory()).create(new RuntimeContext.SinkCtx(build.agent(), name, props,
                    build.env().dataRoot(), new SinkChannel(channel.channel(),
                    build.env().tapPoint(build.agent(), ComponentKind.SINK, name)), counters, parts));
        } catch (ProviderUnavailableException e) {
            build.board().waiting(key, props, e.getMessage());
            return null;
        } catch (Exception | LinkageError e) {
            build.board().failed(key, props, List.of(provider), e);
            return null;
        }
        try {
            sink.start();
        } catch (Exception | LinkageError e) {
            build.board().failed(key, props, List.of(provider), e);
            return null;
        }
        counters.markStarted();
        build.board().running(key, props, provider);
        return new RunningGraph.SinkEntry(sink, provider, props, channel.channel(), parts.used());
    }

    /** Stops a sink whose runner has stopped: it finishes or rolls back its transaction itself. */
    void stop(String name, RunningGraph.SinkEntry running) {
        build.board().stopping(ComponentKey.sink(name), running.config(), running.provider());
        build.stopQuietly(running.sink(), "sink " + name);
        build.env().counters(build.agent(), ComponentKind.SINK, name).markStopped();
        LOG.info("Agent {}: sink {} stopped", build.agent(), name);
    }
}

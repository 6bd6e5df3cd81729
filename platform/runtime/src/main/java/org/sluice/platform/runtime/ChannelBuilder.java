package org.sluice.platform.runtime;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.component.ComponentKind;
import org.sluice.platform.config.ConfigSchema;
import org.sluice.platform.metrics.ComponentCounters;

/**
 * Starts and stops an agent's channels. A new channel first gets back the events its stopped predecessor of
 * the same name handed over; a stopping memory channel hands its events over.
 */
final class ChannelBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelBuilder.class);

    private final BuildContext build;
    private final ChannelHandover handover;

    ChannelBuilder(BuildContext build, ChannelHandover handover) {
        this.build = build;
        this.handover = handover;
    }

    /** The running channel, or null with its status saying why not. */
    RunningGraph.ChannelEntry start(String name, Map<String, String> props) {
        ComponentKey key = ComponentKey.channel(name);
        Provider provider = build.provider(key, props, ComponentKind.CHANNEL, props.get(ConfigSchema.TYPE),
                ConfigSchema.TYPE);
        if (provider == null || build.board().failedBefore(key, props, List.of(provider))) {
            return null;
        }
        ComponentCounters counters = build.env().counters(build.agent(), ComponentKind.CHANNEL, name);
        Channel channel;
        try {
            build.checkConfiguration(provider, props, name);
            channel = ((ChannelFactory) provider.factory()).create(
                    new RuntimeContext.ChannelCtx(build.agent(), name, props, build.env().dataRoot(), counters));
            channel.start();
        } catch (Exception | LinkageError e) {
            build.board().failed(key, props, List.of(provider), e);
            return null;
        }
        counters.markStarted();
        // Straight into the plugin's channel: the events were counted when they were first put.
        handover.giveTo(name, channel);
        build.board().running(key, props, provider);
        return new RunningGraph.ChannelEntry(new ManagedChannel(name, channel, counters,
                build.env().tapPoint(build.agent(), ComponentKind.CHANNEL, name)), provider, props,
                provider.factory().durable());
    }

    void stop(String name, RunningGraph.ChannelEntry running) {
        build.board().stopping(ComponentKey.channel(name), running.config(), running.provider());
        // Stopped first: a stopped channel hands out what it holds without waiting for more (Channel#take).
        build.stopQuietly(running.channel().delegate(), "channel " + name);
        if (!running.durable()) {
            handover.takeFrom(name, running.channel().delegate());
        }
        build.env().counters(build.agent(), ComponentKind.CHANNEL, name).markStopped();
        Integer held = handover.counts().get(name);
        LOG.info("Agent {}: channel {} stopped{}", build.agent(), name,
                held == null ? "" : "; holding " + held + " of its events for its successor");
    }
}

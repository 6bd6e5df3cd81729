package org.sluice.flume;

import java.util.List;

import org.apache.flume.Channel;

import org.apache.flume.ChannelSelector;
import org.apache.flume.Context;
import org.apache.flume.channel.ChannelProcessor;
import org.sluice.api.channel.ChannelException;

/**
 * Sluice's channel processor of a source, under the Flume class a Flume source hands its events to. Interceptors and
 * the channel selector are Sluice's (the platform's processor runs them), so this one only converts: a batch that a
 * required channel refused throws Flume's {@code ChannelException}, which Flume sources catch to tell their client
 * to retry.
 */
final class ChannelProcessorView extends ChannelProcessor {
    private final org.sluice.api.source.ChannelProcessor processor;

    ChannelProcessorView(org.sluice.api.source.ChannelProcessor processor) {
        super(new PlatformSelector());
        this.processor = processor;
    }

    @Override
    public void initialize() {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Context context) {
    }

    @Override
    public void processEventBatch(List<org.apache.flume.Event> events) {
        try {
            processor.processEventBatch(FlumeEvents.toSluice(events));
        } catch (ChannelException e) {
            throw FlumeChannelView.toFlume(e);
        }
    }

    @Override
    public void processEvent(org.apache.flume.Event event) {
        if (event == null) {
            return;
        }
        try {
            processor.processEvent(FlumeEvents.toSluice(event));
        } catch (ChannelException e) {
            throw FlumeChannelView.toFlume(e);
        }
    }

    /**
     * The selector a Flume source finds behind {@code getChannelProcessor().getSelector()}: the choice of channels is
     * made by the platform's processor, so this one names none.
     */
    private static final class PlatformSelector implements ChannelSelector {
        private String name = "sluice";

        @Override
        public void setChannels(List<Channel> channels) {
        }

        @Override
        public List<Channel> getRequiredChannels(org.apache.flume.Event event) {
            return List.of();
        }

        @Override
        public List<Channel> getOptionalChannels(org.apache.flume.Event event) {
            return List.of();
        }

        @Override
        public List<Channel> getAllChannels() {
            return List.of();
        }

        @Override
        public void setName(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public void configure(Context context) {
        }
    }
}

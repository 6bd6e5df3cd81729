package org.sluice.kafka;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.api.source.PollableSource;
import org.sluice.api.source.SourceContext;
import org.sluice.kafka.channel.KafkaChannelFactory;
import org.sluice.kafka.sink.KafkaSinkFactory;
import org.sluice.kafka.source.KafkaSourceFactory;
import org.sluice.testkit.TestContexts;

/** The three components made by their factories from Flume-style keys, with the platform's typed configuration. */
final class Components {
    private Components() {
    }

    static Map<String, String> keys(String... keyValues) {
        Map<String, String> keys = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put(keyValues[i], keyValues[i + 1]);
        }
        return keys;
    }

    static Sink sink(Map<String, String> keys, Channel channel, Path dir) throws Exception {
        SinkContext context = TestContexts.sink("k1", keys, channel, dir);
        Sink sink = new KafkaSinkFactory().create(context);
        sink.start();
        return sink;
    }

    static SinkContext sinkContext(Map<String, String> keys, Channel channel, Path dir) {
        return TestContexts.sink("k1", keys, channel, dir);
    }

    static PollableSource source(SourceContext context) throws Exception {
        PollableSource source = (PollableSource) new KafkaSourceFactory().create(context);
        source.start();
        return source;
    }

    static SourceContext sourceContext(Map<String, String> keys, ChannelProcessor processor, Path dir) {
        return TestContexts.source("r1", keys, processor, dir);
    }

    static ChannelContext channelContext(Map<String, String> keys, Path dir) {
        return TestContexts.channel("c1", keys, dir);
    }

    static Channel channel(ChannelContext context) throws Exception {
        Channel channel = new KafkaChannelFactory().create(context);
        channel.start();
        return channel;
    }
}

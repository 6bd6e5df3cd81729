package org.sluice.kafka.channel;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.IncludeKeys;
import org.sluice.api.component.Range;
import org.sluice.api.component.SluiceType;
import org.sluice.kafka.BundleLeftovers;
import org.sluice.kafka.KafkaKeys;
import org.sluice.kafka.KafkaSettings;
import org.sluice.kafka.LegacyKeys;
import org.sluice.kafka.PartitionChoice;
import org.sluice.support.tls.GlobalTls;

/**
 * Flume's Kafka channel ({@code org.apache.flume.channel.kafka.KafkaChannel}; Sluice also knows it as {@code kafka}):
 * a put commit returns once the broker acknowledged every record (acks=all by default), a take commit commits the
 * consumer group's offsets. Durable: its events are in Kafka, so the platform never empties it on a restart.
 */
@Component(service = ChannelFactory.class, immediate = true)
@SluiceType({"kafka", "org.apache.flume.channel.kafka.KafkaChannel", "org.sluice.kafka.channel.KafkaChannel"})
public class KafkaChannelFactory implements ChannelFactory {
    static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.channel.kafka.KafkaChannel");
    static final String PRODUCER_PREFIX = "kafka.producer.";
    static final String CONSUMER_PREFIX = "kafka.consumer.";

    /** Flume 1.11's keys and defaults, and the pre-1.7 keys it still reads. */
    @IncludeKeys({KafkaKeys.Producing.class, KafkaKeys.Consuming.class})
    public @interface Config {
        boolean parseAsFlumeEvent() default true;

        /**
         * ms a take waits in the consumer's poll. Negative is refused: Flume takes it and then every take fails in
         * the consumer's poll.
         */
        @Range(min = 0)
        long kafka_pollTimeout() default 500;

        /** The User Guide's name for kafka.pollTimeout, which Flume does not read: honoured, with a warning. */
        String pollTimeout() default "";

        /** Pre-1.7: kafka.consumer.auto.offset.reset (true: earliest, false: latest). */
        String readSmallestOffset() default "";
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Set<String> openKeyPrefixes() {
        return Set.of(PRODUCER_PREFIX, CONSUMER_PREFIX);
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public Channel create(ChannelContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        Map<String, String> properties = context.properties();
        LegacyKeys legacy = new LegacyKeys(context, LOG);
        String who = legacy.who();
        KafkaChannel.Settings s = new KafkaChannel.Settings();

        KafkaKeys.Producing producing = context.config(KafkaKeys.Producing.class);
        KafkaKeys.Consuming consuming = context.config(KafkaKeys.Consuming.class);
        String bootstrap = legacy.bootstrapServers(producing);
        String topic = legacy.topic(producing);
        if (topic.isEmpty()) {
            topic = "flume-channel";
            LOG.info("{}: kafka.topic is not set; using topic {}", who, topic);
        }
        Map<String, String> consumer = new HashMap<>(context.subProperties(CONSUMER_PREFIX));
        String group = legacy.group(consumer, consuming);
        if (!consumer.containsKey("auto.offset.reset") && !config.readSmallestOffset().isBlank()) {
            LOG.warn("{}: 'readSmallestOffset' is deprecated (Flume 1.6); use kafka.consumer.auto.offset.reset", who);
            consumer.put("auto.offset.reset", Boolean.parseBoolean(config.readSmallestOffset().trim())
                    ? "earliest" : "latest");
        }
        legacy.warnIfZookeeperKeys(consuming.zookeeperConnect());
        long pollTimeout = config.kafka_pollTimeout();
        if (!properties.containsKey("kafka.pollTimeout") && !config.pollTimeout().isBlank()) {
            LOG.warn("{}: 'pollTimeout' (the User Guide's name) is honoured, but Flume 1.11 reads kafka.pollTimeout "
                    + "and ignores it", who);
            try {
                pollTimeout = Long.parseLong(config.pollTimeout().trim());
            } catch (NumberFormatException e) {
                throw context.configurationError("pollTimeout", "'" + config.pollTimeout() + "' is not a number");
            }
            // Sluice's alias is a string so that it can yield to kafka.pollTimeout; its bound is checked here.
            if (pollTimeout < 0) {
                throw context.configurationError("pollTimeout", "must be 0 or more, was " + pollTimeout);
            }
        }

        s.bootstrapServers = bootstrap;
        s.topic = topic;
        s.group = group;
        s.flumeEventFormat = config.parseAsFlumeEvent();
        s.pollTimeoutMillis = pollTimeout;
        s.partitions = PartitionChoice.of(context, producing.defaultPartitionId(), producing.partitionIdHeader());
        s.producer = KafkaSettings.client(Map.of("acks", "all"), context.subProperties(PRODUCER_PREFIX),
                Map.of("bootstrap.servers", bootstrap), GlobalTls.ofJvm());
        s.consumer = KafkaSettings.client(Map.of("auto.offset.reset", "earliest"), consumer,
                Map.of("bootstrap.servers", bootstrap, "group.id", group, "enable.auto.commit", "false"),
                GlobalTls.ofJvm());
        s.maxRequestSize = legacy.maxRequestSize(s.producer);
        return new KafkaChannel(context, s);
    }

    /** When the bundle stops, after every component it made has stopped: what the Kafka client left in the JVM. */
    @Deactivate
    void deactivate(int reason) {
        if (reason == BundleLeftovers.BUNDLE_STOPPED) {
            BundleLeftovers.remove();
        }
    }
}

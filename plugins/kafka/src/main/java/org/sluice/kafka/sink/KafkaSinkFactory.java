package org.sluice.kafka.sink;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.IncludeKeys;
import org.sluice.api.component.SluiceType;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.sink.SinkFactory;
import org.sluice.kafka.BundleLeftovers;
import org.sluice.kafka.HeaderMapping;
import org.sluice.kafka.KafkaKeys;
import org.sluice.kafka.KafkaSettings;
import org.sluice.kafka.LegacyKeys;
import org.sluice.kafka.PartitionChoice;
import org.sluice.support.tls.GlobalTls;

/**
 * Flume's Kafka sink ({@code org.apache.flume.sink.kafka.KafkaSink}; Sluice also knows it as {@code kafka}): a
 * batch taken from the channel is committed only after the broker acknowledged every record of it.
 */
@Component(service = SinkFactory.class, immediate = true)
@SluiceType({"kafka", "org.apache.flume.sink.kafka.KafkaSink", "org.sluice.kafka.sink.KafkaSink"})
public class KafkaSinkFactory implements SinkFactory {
    static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.sink.kafka.KafkaSink");
    static final String PRODUCER_PREFIX = "kafka.producer.";

    /** Flume 1.11's keys and defaults, and the pre-1.7 keys it still reads. */
    @IncludeKeys(KafkaKeys.Producing.class)
    public @interface Config {
        int flumeBatchSize() default 100;

        boolean useFlumeEventFormat() default false;

        boolean allowTopicOverride() default true;

        String topicHeader() default "topic";

        String timestampHeader() default "";

        /** Pre-1.7: flumeBatchSize. */
        String batchSize() default "";

        /** Pre-1.7: kafka.producer.acks. */
        String requiredAcks() default "";

        /** Pre-1.7 serializer classes, which the Kafka producer no longer takes: warned about and ignored. */
        String serializer_class() default "";

        String key_serializer_class() default "";

        /** The User Guide's example writes it; Flume reads flumeBatchSize and ignores this key. */
        String kafka_flumeBatchSize() default "";
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Set<String> openKeyPrefixes() {
        return Set.of(PRODUCER_PREFIX, "header.");
    }

    @Override
    public Sink create(SinkContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        Map<String, String> properties = context.properties();
        LegacyKeys legacy = new LegacyKeys(context, LOG);
        String who = legacy.who();
        KafkaSink.Settings s = new KafkaSink.Settings();

        KafkaKeys.Producing producing = context.config(KafkaKeys.Producing.class);
        String bootstrap = legacy.bootstrapServers(producing);
        String topic = legacy.topic(producing);
        if (topic.isEmpty()) {
            topic = "default-flume-topic";
            LOG.warn("{}: kafka.topic is not set; events without a '{}' header go to topic {}", who,
                    config.topicHeader(), topic);
        }
        int batchSize = config.flumeBatchSize();
        if (!properties.containsKey("flumeBatchSize") && !config.batchSize().isBlank()) {
            LOG.warn("{}: 'batchSize' is deprecated (Flume 1.6); use flumeBatchSize", who);
            try {
                batchSize = Integer.parseInt(config.batchSize().trim());
            } catch (NumberFormatException e) {
                throw context.configurationError("batchSize", "'" + config.batchSize() + "' is not a number");
            }
        }
        if (batchSize < 1) {
            throw context.configurationError(properties.containsKey("flumeBatchSize") || config.batchSize().isBlank()
                    ? "flumeBatchSize" : "batchSize", "must be at least 1, was " + batchSize);
        }
        if (!config.kafka_flumeBatchSize().isBlank()) {
            LOG.warn("{}: kafka.flumeBatchSize is not a key of the Kafka sink and is ignored, as Flume ignores it "
                    + "(the User Guide's example writes it); the batch size is flumeBatchSize = {}", who, batchSize);
        }
        Map<String, String> user = new HashMap<>(context.subProperties(PRODUCER_PREFIX));
        String acks = legacy.value("kafka.producer.acks", user.getOrDefault("acks", ""), "requiredAcks",
                config.requiredAcks());
        if (!acks.isEmpty()) {
            user.put("acks", acks);
        }
        if (!config.serializer_class().isBlank() || !config.key_serializer_class().isBlank()) {
            LOG.warn("{}: serializer.class and key.serializer.class (Flume 1.6) are ignored: the sink writes keys as "
                    + "strings and values as bytes", who);
        }
        warnIgnored(user, "key.serializer", "org.apache.kafka.common.serialization.StringSerializer", who);
        warnIgnored(user, "value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer", who);

        s.bootstrapServers = bootstrap;
        s.topic = TopicTemplate.parse(topic);
        s.batchSize = batchSize;
        s.flumeEventFormat = config.useFlumeEventFormat();
        s.partitions = PartitionChoice.of(context, producing.defaultPartitionId(), producing.partitionIdHeader());
        s.allowTopicOverride = config.allowTopicOverride();
        s.topicHeader = config.topicHeader();
        s.timestampHeader = config.timestampHeader().isBlank() ? null : config.timestampHeader().trim();
        s.headers = HeaderMapping.of(context.subProperties("header."));
        s.client = KafkaSettings.client(Map.of("acks", "1"), user, Map.of("bootstrap.servers", bootstrap),
                GlobalTls.ofJvm());
        s.maxRequestSize = legacy.maxRequestSize(s.client);
        return new KafkaSink(context, s);
    }

    private static void warnIgnored(Map<String, String> user, String key, String ours, String who) {
        String value = user.get(key);
        if (value != null && !value.trim().equals(ours)) {
            LOG.warn("{}: kafka.producer.{} = {} is ignored: the sink writes keys as strings and values as bytes ({})",
                    who, key, value, ours);
        }
    }

    /** When the bundle stops, after every component it made has stopped: what the Kafka client left in the JVM. */
    @Deactivate
    void deactivate(int reason) {
        if (reason == BundleLeftovers.BUNDLE_STOPPED) {
            BundleLeftovers.remove();
        }
    }
}

package org.sluice.kafka.source;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.IncludeKeys;
import org.sluice.api.component.SluiceType;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;
import org.sluice.kafka.BundleLeftovers;
import org.sluice.kafka.HeaderMapping;
import org.sluice.kafka.KafkaKeys;
import org.sluice.kafka.KafkaSettings;
import org.sluice.kafka.LegacyKeys;
import org.sluice.support.tls.GlobalTls;

/**
 * Flume's Kafka source ({@code org.apache.flume.source.kafka.KafkaSource}; Sluice also knows it as {@code kafka}): a
 * consumer in a group reads topics and hands batches to the channels; offsets are committed after the channels
 * committed a batch.
 */
@Component(service = SourceFactory.class, immediate = true)
@SluiceType({"kafka", "org.apache.flume.source.kafka.KafkaSource", "org.sluice.kafka.source.KafkaSource"})
public class KafkaSourceFactory implements SourceFactory {
    static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.source.kafka.KafkaSource");
    static final String CONSUMER_PREFIX = "kafka.consumer.";

    /** Flume 1.11's keys and defaults, and the pre-1.7 keys it still reads. */
    @IncludeKeys(KafkaKeys.Consuming.class)
    public @interface Config {
        String kafka_bootstrap_servers() default "";

        /** Comma-separated topics. */
        String kafka_topics() default "";

        /** A regular expression of topics; wins over kafka.topics. */
        String kafka_topics_regex() default "";

        int batchSize() default 1000;

        int batchDurationMillis() default 1000;

        long backoffSleepIncrement() default 1000;

        long maxBackoffSleep() default 5000;

        boolean useFlumeEventFormat() default false;

        boolean setTopicHeader() default true;

        String topicHeader() default "topic";

        /** Documented by Flume 1.11, not read by it: also copy the record's timestamp into this header. */
        String timestampHeader() default "";

        /** Pre-1.7: one topic (kafka.topics). */
        String topic() default "";
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public Set<String> openKeyPrefixes() {
        return Set.of(CONSUMER_PREFIX, "header.");
    }

    @Override
    public Source create(SourceContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        LegacyKeys legacy = new LegacyKeys(context, LOG);
        String who = legacy.who();
        KafkaSource.Settings s = new KafkaSource.Settings();

        // Topics: kafka.topics.regex, else kafka.topics, else Flume's pre-1.7 topic.
        if (!config.kafka_topics_regex().isBlank()) {
            try {
                s.pattern = Pattern.compile(config.kafka_topics_regex().trim());
            } catch (PatternSyntaxException e) {
                throw context.configurationError("kafka.topics.regex", "is not a regular expression: "
                        + e.getDescription());
            }
        } else if (!config.kafka_topics().isBlank()) {
            s.topics = topicList(config.kafka_topics());
        } else if (!config.topic().isBlank()) {
            LOG.warn("{}: 'topic' is deprecated (Flume 1.6); use kafka.topics", who);
            s.topics = topicList(config.topic());
        } else {
            throw context.configurationError("kafka.topics", "is required: name at least one topic (kafka.topics = "
                    + "a, b) or a pattern (kafka.topics.regex)");
        }
        if (!config.topic().isBlank() && (s.pattern != null || !config.kafka_topics().isBlank())) {
            LOG.warn("{}: 'topic' is deprecated (Flume 1.6) and ignored: kafka.topics{} is set", who,
                    s.pattern != null ? ".regex" : "");
        }

        String bootstrap = config.kafka_bootstrap_servers().trim();
        KafkaKeys.Consuming consuming = context.config(KafkaKeys.Consuming.class);
        String zookeeper = consuming.zookeeperConnect().trim();
        if (bootstrap.isEmpty()) {
            throw context.configurationError("kafka.bootstrap.servers", zookeeper.isEmpty()
                    ? "is required: list the brokers (host1:9092,host2:9092)"
                    : "is required: zookeeperConnect (Flume 1.6) found the brokers through ZooKeeper, which Kafka "
                            + "no longer uses for clients; list the brokers here (host1:9092,host2:9092)");
        }
        legacy.warnIfZookeeperKeys(zookeeper);

        Map<String, String> user = context.subProperties(CONSUMER_PREFIX);
        String group = legacy.group(user, consuming);
        warnIgnored(user, "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer", who);
        warnIgnored(user, "value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer", who);

        s.batchSize = positive(context, "batchSize", config.batchSize());
        s.batchDurationMillis = positive(context, "batchDurationMillis", config.batchDurationMillis());
        s.backoffSleepIncrement = positive(context, "backoffSleepIncrement", config.backoffSleepIncrement());
        s.maxBackoffSleep = positive(context, "maxBackoffSleep", config.maxBackoffSleep());
        s.flumeEventFormat = config.useFlumeEventFormat();
        s.setTopicHeader = config.setTopicHeader();
        s.topicHeader = config.topicHeader();
        s.timestampHeader = config.timestampHeader().isBlank() ? null : config.timestampHeader().trim();
        s.headers = HeaderMapping.of(context.subProperties("header."));
        s.bootstrapServers = bootstrap;
        s.group = group;
        s.client = KafkaSettings.client(Map.of(), user, Map.of("bootstrap.servers", bootstrap, "group.id", group,
                "enable.auto.commit", "false"), GlobalTls.ofJvm());
        return new KafkaSource(context, s);
    }

    /** Flume's list: commas with any white space around them. */
    static List<String> topicList(String value) {
        return Arrays.stream(value.trim().split("\\s*,\\s*")).filter(t -> !t.isEmpty()).toList();
    }

    private static void warnIgnored(Map<String, String> user, String key, String ours, String who) {
        String value = user.get(key);
        if (value != null && !value.trim().equals(ours)) {
            LOG.warn("{}: kafka.consumer.{} = {} is ignored: the source reads record keys as strings and values as "
                    + "bytes ({})", who, key, value, ours);
        }
    }

    private static int positive(SourceContext context, String key, int value) throws ConfigurationException {
        if (value < 1) {
            throw context.configurationError(key, "must be at least 1, was " + value);
        }
        return value;
    }

    private static long positive(SourceContext context, String key, long value) throws ConfigurationException {
        if (value < 1) {
            throw context.configurationError(key, "must be at least 1, was " + value);
        }
        return value;
    }

    /** When the bundle stops, after every component it made has stopped: what the Kafka client left in the JVM. */
    @Deactivate
    void deactivate(int reason) {
        if (reason == BundleLeftovers.BUNDLE_STOPPED) {
            BundleLeftovers.remove();
        }
    }
}

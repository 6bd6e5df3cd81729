package org.sluice.kafka;

import java.util.Map;

import org.slf4j.Logger;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/**
 * Flume's pre-1.7 keys, read as Flume 1.11 reads them: the new key wins; without it the old key stands in for it,
 * with a warning naming the new key.
 */
public final class LegacyKeys {
    private final ComponentContext context;
    private final Logger log;
    private final String who;

    public LegacyKeys(ComponentContext context, Logger log) {
        this.context = context;
        this.log = log;
        this.who = "agent '" + context.agentName() + "', " + context.kind().toString().toLowerCase(java.util.Locale.ROOT)
                + " '" + context.componentName() + "'";
    }

    /** Who is configured, for messages: {@code agent 'a1', sink 'k1'}. */
    public String who() {
        return who;
    }

    /** The new key's value, or else the old key's (warned about), or else "" ; both trimmed. */
    public String value(String newKey, String newValue, String oldKey, String oldValue) {
        String value = newValue.trim();
        if (value.isEmpty() && !oldValue.isBlank()) {
            log.warn("{}: '{}' is deprecated (Flume 1.6); use {}", who, oldKey, newKey);
            value = oldValue.trim();
        }
        return value;
    }

    /** As {@link #value}, for kafka.bootstrap.servers: required. */
    public String bootstrapServers(String newValue, String brokerList) throws ConfigurationException {
        String bootstrap = value("kafka.bootstrap.servers", newValue, "brokerList", brokerList);
        if (bootstrap.isEmpty()) {
            throw context.configurationError("kafka.bootstrap.servers", "is required: list the brokers "
                    + "(host1:9092,host2:9092)");
        }
        return bootstrap;
    }

    /** kafka.bootstrap.servers, or else brokerList: required. */
    public String bootstrapServers(KafkaKeys.Producing keys) throws ConfigurationException {
        return bootstrapServers(keys.kafka_bootstrap_servers(), keys.brokerList());
    }

    /** kafka.topic, or else topic; "" when neither is set. */
    public String topic(KafkaKeys.Producing keys) {
        return value("kafka.topic", keys.kafka_topic(), "topic", keys.topic());
    }

    /** The consumer group: the consumer's group.id, or else groupId, or else Flume's default, {@code flume}. */
    public String group(Map<String, String> consumer, KafkaKeys.Consuming keys) {
        String group = value("kafka.consumer.group.id", consumer.getOrDefault("group.id", ""), "groupId",
                keys.groupId());
        return group.isEmpty() ? "flume" : group;
    }

    /**
     * Flume 1.6's ZooKeeper keys, which Flume 1.11 still reads to find brokers (source) and migrate offsets kept in
     * ZooKeeper: Kafka keeps neither there any more, so they are accepted and warned about as obsolete.
     */
    public void warnIfZookeeperKeys(String zookeeperConnect) {
        if (!zookeeperConnect.isBlank() || context.properties().containsKey("migrateZookeeperOffsets")) {
            log.warn("{}: zookeeperConnect and migrateZookeeperOffsets are obsolete and ignored: offsets are read "
                    + "from and committed to Kafka only (ZooKeeper-kept offsets of Flume 1.6 are not migrated)", who);
        }
    }

    /** The producer's max.request.size (Kafka's default 1 MiB), read here so a bad value names its key. */
    public long maxRequestSize(Map<String, Object> producer) throws ConfigurationException {
        Object value = producer.get("max.request.size");
        if (value == null) {
            return 1_048_576;
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw context.configurationError("kafka.producer.max.request.size", "'" + value + "' is not a number");
        }
    }
}

package org.sluice.kafka;

/**
 * Flume 1.11's keys that the Kafka components share, declared once here and included by each factory's
 * configuration type ({@code @IncludeKeys}); each factory keeps only the keys of its own. Read through
 * {@link LegacyKeys}, which applies Flume's rule for the pre-1.7 names among them.
 */
public final class KafkaKeys {
    private KafkaKeys() {
    }

    /** Where records go: the sink's and the channel's keys. */
    public @interface Producing {
        String kafka_bootstrap_servers() default "";

        /** The topic; the sink's may hold %{header} escapes (an event's topicHeader wins when allowTopicOverride). */
        String kafka_topic() default "";

        String defaultPartitionId() default "";

        String partitionIdHeader() default "";

        /** Pre-1.7: kafka.bootstrap.servers. */
        String brokerList() default "";

        /** Pre-1.7: kafka.topic. */
        String topic() default "";
    }

    /** The consumer group: the source's and the channel's keys, with Flume 1.6's obsolete ZooKeeper ones. */
    public @interface Consuming {
        /** Pre-1.7: kafka.consumer.group.id. */
        String groupId() default "";

        /** Obsolete: ZooKeeper, where Flume 1.6 found the brokers and kept the offsets. */
        String zookeeperConnect() default "";

        /** Obsolete: offsets kept in ZooKeeper by Flume before 1.7. */
        boolean migrateZookeeperOffsets() default true;
    }
}

package org.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ConfigurationException;
import org.sluice.kafka.channel.KafkaChannelFactory;
import org.sluice.kafka.sink.KafkaSinkFactory;
import org.sluice.kafka.source.KafkaSourceFactory;
import org.sluice.platform.config.TypedConfiguration;

/**
 * The Kafka components declare their shared keys once ({@link KafkaKeys}): each still accepts every key Flume 1.11
 * gives it, so none is reported as unknown and each value is checked.
 */
class KafkaKeysTest {

    @Test
    void theSinkAcceptsFlumesKeys() {
        assertEquals(sorted("kafka.bootstrap.servers", "kafka.topic", "flumeBatchSize", "useFlumeEventFormat",
                "defaultPartitionId", "partitionIdHeader", "allowTopicOverride", "topicHeader", "timestampHeader",
                "brokerList", "topic", "batchSize", "requiredAcks", "serializer.class", "key.serializer.class",
                "kafka.flumeBatchSize"), new TreeSet<>(TypedConfiguration.keys(KafkaSinkFactory.Config.class)));
    }

    @Test
    void theChannelAcceptsFlumesKeys() {
        assertEquals(sorted("kafka.bootstrap.servers", "kafka.topic", "parseAsFlumeEvent", "kafka.pollTimeout",
                "pollTimeout", "defaultPartitionId", "partitionIdHeader", "brokerList", "topic", "groupId",
                "readSmallestOffset", "zookeeperConnect", "migrateZookeeperOffsets"),
                new TreeSet<>(TypedConfiguration.keys(KafkaChannelFactory.Config.class)));
    }

    @Test
    void aNegativePollTimeoutIsRefusedByTheAgentAndValidateAlike() {
        // Flume takes it, and then every take fails in the consumer's poll.
        List<ConfigurationException> errors = TypedConfiguration.violations(KafkaChannelFactory.Config.class,
                Map.of("kafka.pollTimeout", "-1"), "a1", "c1");
        assertEquals(List.of("kafka.pollTimeout"), errors.stream().map(ConfigurationException::key).toList());
    }

    @Test
    void theSourceAcceptsFlumesKeys() {
        assertEquals(sorted("kafka.bootstrap.servers", "kafka.topics", "kafka.topics.regex", "batchSize",
                "batchDurationMillis", "backoffSleepIncrement", "maxBackoffSleep", "useFlumeEventFormat",
                "setTopicHeader", "topicHeader", "timestampHeader", "topic", "groupId", "zookeeperConnect",
                "migrateZookeeperOffsets"), new TreeSet<>(TypedConfiguration.keys(KafkaSourceFactory.Config.class)));
    }

    private static Set<String> sorted(String... keys) {
        return new TreeSet<>(Set.of(keys));
    }
}

package org.sluice.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ComponentKind;

/** The documented naming rule (docs/monitoring.md), Flume's counters one by one. */
class PrometheusNamesTest {

    /** The name a scraper sees: the family's, with _total for a counter. */
    private static String series(ComponentKind kind, String counter) {
        PrometheusNames.Family family = PrometheusNames.family(kind, counter);
        return family.name() + (family.counter() ? "_total" : "");
    }

    private static Map<String, String> all(ComponentKind kind, String... counters) {
        Map<String, String> out = new TreeMap<>();
        for (String counter : counters) {
            out.put(counter, series(kind, counter));
        }
        return out;
    }

    @Test
    void flumesSourceCounters() {
        assertEquals(new TreeMap<>(Map.ofEntries(
                Map.entry("EventReceivedCount", "flume_source_event_received_total"),
                Map.entry("EventAcceptedCount", "flume_source_event_accepted_total"),
                Map.entry("AppendReceivedCount", "flume_source_append_received_total"),
                Map.entry("AppendAcceptedCount", "flume_source_append_accepted_total"),
                Map.entry("AppendBatchReceivedCount", "flume_source_append_batch_received_total"),
                Map.entry("AppendBatchAcceptedCount", "flume_source_append_batch_accepted_total"),
                Map.entry("OpenConnectionCount", "flume_source_open_connection"),
                Map.entry("ChannelWriteFail", "flume_source_channel_write_fail_total"),
                Map.entry("EventReadFail", "flume_source_event_read_fail_total"),
                Map.entry("GenericProcessingFail", "flume_source_generic_processing_fail_total"),
                Map.entry("StartTime", "flume_source_start_time_seconds"),
                Map.entry("StopTime", "flume_source_stop_time_seconds"))),
                all(ComponentKind.SOURCE, ComponentCounters.forSource("a", "r").snapshot().keySet()
                        .toArray(String[]::new)));
    }

    @Test
    void flumesChannelCounters() {
        assertEquals(new TreeMap<>(Map.of(
                "ChannelSize", "flume_channel_size",
                "ChannelCapacity", "flume_channel_capacity",
                "EventPutAttemptCount", "flume_channel_event_put_attempt_total",
                "EventPutSuccessCount", "flume_channel_event_put_success_total",
                "EventTakeAttemptCount", "flume_channel_event_take_attempt_total",
                "EventTakeSuccessCount", "flume_channel_event_take_success_total",
                "StartTime", "flume_channel_start_time_seconds",
                "StopTime", "flume_channel_stop_time_seconds")),
                all(ComponentKind.CHANNEL, ComponentCounters.forChannel("a", "c").snapshot().keySet()
                        .toArray(String[]::new)));
    }

    @Test
    void flumesSinkCounters() {
        assertEquals(new TreeMap<>(Map.ofEntries(
                Map.entry("ConnectionCreatedCount", "flume_sink_connection_created_total"),
                Map.entry("ConnectionClosedCount", "flume_sink_connection_closed_total"),
                Map.entry("ConnectionFailedCount", "flume_sink_connection_failed_total"),
                Map.entry("BatchEmptyCount", "flume_sink_batch_empty_total"),
                Map.entry("BatchUnderflowCount", "flume_sink_batch_underflow_total"),
                Map.entry("BatchCompleteCount", "flume_sink_batch_complete_total"),
                Map.entry("EventDrainAttemptCount", "flume_sink_event_drain_attempt_total"),
                Map.entry("EventDrainSuccessCount", "flume_sink_event_drain_success_total"),
                Map.entry("EventWriteFail", "flume_sink_event_write_fail_total"),
                Map.entry("ChannelReadFail", "flume_sink_channel_read_fail_total"),
                Map.entry("StartTime", "flume_sink_start_time_seconds"),
                Map.entry("StopTime", "flume_sink_stop_time_seconds"))),
                all(ComponentKind.SINK, ComponentCounters.forSink("a", "k").snapshot().keySet()
                        .toArray(String[]::new)));
    }

    @Test
    void pluginCountersFollowTheSameRule() {
        assertEquals("flume_source_kafka_event_get_timer_total", series(ComponentKind.SOURCE, "KafkaEventGetTimer"));
        assertEquals("flume_source_kafka_commit_fail_total", series(ComponentKind.SOURCE, "KafkaCommitFailCount"));
        assertEquals("flume_source_kafka_broker_connections", series(ComponentKind.SOURCE, "KafkaBrokerConnections"));
        assertEquals("flume_channel_rollback_total", series(ComponentKind.CHANNEL, "RollbackCount"));
        assertEquals("flume_channel_checkpoint_write_error_total",
                series(ComponentKind.CHANNEL, "CheckpointWriteErrorCount"));
        assertEquals("flume_channel_corrupt_record_total", series(ComponentKind.CHANNEL, "CorruptRecordCount"));
        assertEquals("flume_source_message_rejected_total", series(ComponentKind.SOURCE, "MessageRejectedCount"));
        // A leading group word goes only where it repeats the group: a source's Channel... stays.
        assertEquals("flume_source_channel_write_fail_total", series(ComponentKind.SOURCE, "ChannelWriteFail"));
        assertEquals("flume_sink_processor_failover_total", series(ComponentKind.SINK_PROCESSOR, "FailoverCount"));
        assertEquals("flume_sink_processor_failover_total", series(ComponentKind.SINKGROUP, "FailoverCount"));
    }

    @Test
    void snakeCaseOfAcronymsDigitsAndOtherCharacters() {
        assertEquals("hdfs_write", PrometheusNames.snakeCase("HDFSWrite"));
        assertEquals("event_read_fail", PrometheusNames.snakeCase("EventReadFail"));
        assertEquals("s3_put", PrometheusNames.snakeCase("S3Put"));
        assertEquals("batch_size99", PrometheusNames.snakeCase("batchSize99"));
        assertEquals("a_b_c", PrometheusNames.snakeCase("a.b-c"));
        assertEquals("v_nements", PrometheusNames.snakeCase("Événements"));
        assertEquals("_9lives", PrometheusNames.snakeCase("9lives"));
        assertEquals("_", PrometheusNames.snakeCase("..."));
    }
}

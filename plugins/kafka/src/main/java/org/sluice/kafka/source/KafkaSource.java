package org.sluice.kafka.source;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.source.PollableSource;
import org.sluice.api.source.SourceContext;
import org.sluice.api.counter.SourceCounter;
import org.sluice.kafka.BrokerConnections;
import org.sluice.kafka.FlumeEventFormat;
import org.sluice.kafka.HeaderMapping;
import org.sluice.kafka.KafkaClients;
import org.sluice.kafka.KafkaSettings;
import org.sluice.kafka.ThrottledLog;

/**
 * Reads batches from Kafka and hands each to the channels in one {@code processEventBatch}; the batch's offsets are
 * committed only after that returned, so an agent that dies in between reads the batch again (at least once).
 *
 * <p>Offsets are committed in the background in steady state (the next poll completes the commit; a failed one is
 * retried with the next batch) and waited for before partitions are given up and at stop. A batch the channels
 * refuse is not kept: its partitions are rewound to the batch's first offsets and the records
 * are read again after the backoff, so nothing is held across polls and a rebalance meanwhile loses nothing. When a
 * rebalance takes partitions away in the middle of a batch, the batch is handed over and committed first, from the
 * rebalance callback, so the new owner starts where this source stopped.
 */
final class KafkaSource implements PollableSource {
    private static final byte[] EMPTY = new byte[0];
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** How long the source may have no partitions before it says why (no broker, missing topic). */
    private static final long UNASSIGNED_REPORT_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final long UNASSIGNED_REPEAT_NANOS = TimeUnit.SECONDS.toNanos(60);

    static final String KAFKA_EVENT_GET_TIMER = "KafkaEventGetTimer";
    static final String KAFKA_COMMIT_TIMER = "KafkaCommitTimer";
    static final String KAFKA_EMPTY_COUNT = "KafkaEmptyCount";
    /** Sluice's: commits that failed (their batch was in the channel already: read again after a restart). */
    static final String KAFKA_COMMIT_FAIL = "KafkaCommitFailCount";

    /** What the factory read from the configuration. */
    static final class Settings {
        List<String> topics;
        Pattern pattern;
        int batchSize;
        int batchDurationMillis;
        long backoffSleepIncrement;
        long maxBackoffSleep;
        boolean flumeEventFormat;
        boolean setTopicHeader;
        String topicHeader;
        String timestampHeader;
        HeaderMapping headers;
        String bootstrapServers;
        String group;
        Map<String, Object> client;
    }

    private final SourceContext context;
    private final Settings settings;
    private final SourceCounter counter;
    private final String name;
    private final ThrottledLog unreadable;

    private Consumer<String, byte[]> consumer;
    /** Records polled and not yet in a batch. */
    private final ArrayDeque<ConsumerRecord<String, byte[]>> buffered = new ArrayDeque<>();
    /** The batch being built, and per partition the first and the next offset it covers. */
    private final List<Event> batch = new ArrayList<>();
    private final Map<TopicPartition, long[]> batchOffsets = new HashMap<>();
    /** Offsets of delivered batches whose commit failed; committed with the next batch. */
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    /** Offsets sent in background commits since the last waiting one. */
    private final Map<TopicPartition, OffsetAndMetadata> lastCommitted = new HashMap<>();
    private final Map<Integer, String> partitionNames = new HashMap<>();
    /** The partition of the last record: a poll returns records partition by partition, so one object serves many. */
    private TopicPartition lastPartition;
    /**
     * The last record's timestamp and its text: records a producer sent together carry the same millisecond, so
     * one string serves a run of them (formatting it was a tenth of this source's CPU under a backlog).
     */
    private long lastTimestamp = Long.MIN_VALUE;
    private String lastTimestampText;
    private long startedNanos;
    private long lastUnassignedReportNanos;

    KafkaSource(SourceContext context, Settings settings) {
        this.context = context;
        this.settings = settings;
        this.counter = context.counter();
        this.name = "agent '" + context.agentName() + "', Kafka source '" + context.componentName() + "'";
        this.unreadable = new ThrottledLog(KafkaSourceFactory.LOG, 10, TimeUnit.SECONDS);
    }

    @Override
    public long backoffSleepIncrement() {
        return settings.backoffSleepIncrement;
    }

    @Override
    public long maxBackoffSleep() {
        return settings.maxBackoffSleep;
    }

    @Override
    public void start() {
        KafkaSourceFactory.LOG.info("{}: reading {} from {} as group '{}'; consumer settings {}", name,
                settings.pattern != null ? "topics matching " + settings.pattern : "topics " + settings.topics,
                settings.bootstrapServers, settings.group, KafkaSettings.forLog(settings.client));
        try {
            consumer = KafkaClients.consumer(settings.client);
        } catch (KafkaException e) {
            throw new IllegalStateException(name + ": cannot create the Kafka consumer (kafka.bootstrap.servers = "
                    + settings.bootstrapServers + "): " + KafkaClients.reasons(e), e);
        }
        Rebalance listener = new Rebalance();
        KafkaClients.withBundleLoader(() -> {
            if (settings.pattern != null) {
                consumer.subscribe(settings.pattern, listener);
            } else {
                consumer.subscribe(settings.topics, listener);
            }
            return null;
        });
        startedNanos = System.nanoTime();
        lastUnassignedReportNanos = startedNanos;
    }

    @Override
    public Status process() throws EventDeliveryException {
        long pollNanos = 0;
        try {
            long deadline = System.currentTimeMillis() + settings.batchDurationMillis;
            while (batch.size() < settings.batchSize) {
                if (buffered.isEmpty()) {
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0) {
                        break;
                    }
                    long pollStart = System.nanoTime();
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(left));
                    pollNanos += System.nanoTime() - pollStart;
                    if (records.isEmpty()) {
                        break;
                    }
                    for (ConsumerRecord<String, byte[]> record : records) {
                        buffered.add(record);
                    }
                }
                add(buffered.poll());
            }
        } catch (WakeupException | InterruptException e) {
            // Stopping: what was read is not committed and is read again by whoever reads next.
            rewind();
            return Status.BACKOFF;
        }
        counter.add(KAFKA_EVENT_GET_TIMER, TimeUnit.NANOSECONDS.toMillis(pollNanos));
        if (batch.isEmpty() && batchOffsets.isEmpty()) {
            counter.add(KAFKA_EMPTY_COUNT, 1);
            reportIfUnassigned();
            return Status.BACKOFF;
        }
        boolean delivered = deliverAndCommit(false);
        return delivered ? Status.READY : Status.BACKOFF;
    }

    /** Turns a record into an event of the batch, or counts and skips it if it cannot be read. */
    private void add(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = lastPartition;
        if (partition == null || partition.partition() != record.partition()
                || !partition.topic().equals(record.topic())) {
            partition = new TopicPartition(record.topic(), record.partition());
            lastPartition = partition;
        }
        long[] offsets = batchOffsets.get(partition);
        if (offsets == null) {
            batchOffsets.put(partition, new long[] {record.offset(), record.offset() + 1});
        } else {
            offsets[1] = record.offset() + 1;
        }
        Event event;
        if (settings.flumeEventFormat) {
            try {
                event = FlumeEventFormat.decode(record.value() == null ? EMPTY : record.value());
            } catch (FlumeEventFormat.NotAFlumeEvent e) {
                counter.incrementEventReadFail();
                unreadable.warn(name + ": skipped the record at topic '" + record.topic() + "', partition "
                        + record.partition() + ", offset " + record.offset() + ": it is not a Flume Avro event ("
                        + e.getMessage() + "); useFlumeEventFormat = true expects what Flume's Kafka sink with "
                        + "useFlumeEventFormat or Kafka channel with parseAsFlumeEvent writes");
                return;
            }
        } else {
            event = new SimpleEvent(record.value() == null ? EMPTY : record.value(), new HashMap<>(8));
        }
        Map<String, String> headers = event.getHeaders();
        String timestamp = timestampText(record.timestamp());
        headers.putIfAbsent("timestamp", timestamp);
        if (settings.timestampHeader != null) {
            headers.put(settings.timestampHeader, timestamp);
        }
        if (!settings.headers.isEmpty()) {
            settings.headers.toEvent(record.headers(), headers);
        }
        if (settings.setTopicHeader) {
            headers.putIfAbsent(settings.topicHeader, record.topic());
        }
        headers.putIfAbsent("partition", partitionNames.computeIfAbsent(record.partition(), String::valueOf));
        headers.putIfAbsent("offset", Long.toString(record.offset()));
        if (record.key() != null) {
            headers.put("key", record.key());
        }
        batch.add(event);
    }

    private String timestampText(long timestamp) {
        if (timestamp != lastTimestamp || lastTimestampText == null) {
            lastTimestamp = timestamp;
            lastTimestampText = Long.toString(timestamp);
        }
        return lastTimestampText;
    }

    /**
     * Hands the batch to the channels and commits its offsets. A refused batch is rewound (read again after the
     * backoff) and false returned.
     */
    private boolean deliverAndCommit(boolean synchronousCommit) {
        if (!batch.isEmpty()) {
            counter.addToEventReceivedCount(batch.size());
            try {
                context.channelProcessor().processEventBatch(batch);
            } catch (ChannelException e) {
                counter.incrementChannelWriteFail();
                KafkaSourceFactory.LOG.warn("{}: the channels refused a batch of {} events ({}); it is read again "
                        + "from Kafka after the backoff", name, batch.size(), e.getMessage());
                rewind();
                return false;
            } catch (RuntimeException e) {
                counter.incrementChannelWriteFail();
                KafkaSourceFactory.LOG.error("{}: handing a batch of {} events to the channels failed; it is read "
                        + "again from Kafka after the backoff", name, batch.size(), e);
                rewind();
                return false;
            }
            counter.addToEventAcceptedCount(batch.size());
        }
        for (Map.Entry<TopicPartition, long[]> entry : batchOffsets.entrySet()) {
            uncommitted.put(entry.getKey(), new OffsetAndMetadata(entry.getValue()[1]));
        }
        batch.clear();
        batchOffsets.clear();
        if (synchronousCommit) {
            commitNow();
        } else {
            commitInBackground();
        }
        return true;
    }

    /**
     * Commits what was delivered, without waiting: the next poll completes it, and a failed commit puts its offsets
     * back for the next one (the events are in the channel already; only a crash before a later commit succeeds reads
     * them again). Before partitions go and at stop, {@link #commitNow()} waits.
     */
    private void commitInBackground() {
        if (uncommitted.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(uncommitted);
        uncommitted.clear();
        lastCommitted.putAll(offsets);
        consumer.commitAsync(offsets, (committed, e) -> {
            // On this source's thread, inside a later poll or commit.
            if (e != null) {
                counter.add(KAFKA_COMMIT_FAIL, 1);
                KafkaSourceFactory.LOG.warn("{}: committing offsets failed ({}); they are committed with the next batch",
                        name, e.toString());
                Set<TopicPartition> assigned = consumer.assignment();
                offsets.forEach((partition, offset) -> {
                    if (assigned.contains(partition)) {
                        uncommitted.merge(partition, offset, (newer, older) ->
                                newer.offset() >= older.offset() ? newer : older);
                    }
                });
            }
        });
    }

    /** Commits what was delivered and waits; a failure keeps the offsets for the next commit. */
    private void commitNow() {
        for (Map.Entry<TopicPartition, OffsetAndMetadata> sent : lastCommitted.entrySet()) {
            // Committed again, so that waiting here also covers a background commit still on its way.
            uncommitted.merge(sent.getKey(), sent.getValue(), (newer, older) ->
                    newer.offset() >= older.offset() ? newer : older);
        }
        lastCommitted.clear();
        uncommitted.keySet().retainAll(consumer.assignment());
        if (uncommitted.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        try {
            consumer.commitSync(uncommitted);
            uncommitted.clear();
        } catch (CommitFailedException e) {
            // The partitions went to another member: it reads from the last commit, so this batch is read twice.
            counter.add(KAFKA_COMMIT_FAIL, 1);
            KafkaSourceFactory.LOG.warn("{}: could not commit offsets {} after a rebalance; the new owner of those "
                    + "partitions reads their last batch again (duplicates, nothing lost)", name, uncommitted.keySet());
            uncommitted.clear();
        } catch (WakeupException | InterruptException e) {
            counter.add(KAFKA_COMMIT_FAIL, 1);
            KafkaSourceFactory.LOG.warn("{}: stopped while committing offsets {}; the last batch is read again at "
                    + "the next start (duplicates, nothing lost)", name, uncommitted.keySet());
        } catch (KafkaException e) {
            counter.add(KAFKA_COMMIT_FAIL, 1);
            KafkaSourceFactory.LOG.warn("{}: committing offsets failed ({}); they are committed with the next batch",
                    name, e.toString());
        } finally {
            counter.add(KAFKA_COMMIT_TIMER, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    /** Forgets the batch and what is buffered, and seeks each partition back to the first record not delivered. */
    private void rewind() {
        Map<TopicPartition, Long> seekTo = new HashMap<>();
        for (Map.Entry<TopicPartition, long[]> entry : batchOffsets.entrySet()) {
            seekTo.put(entry.getKey(), entry.getValue()[0]);
        }
        for (ConsumerRecord<String, byte[]> record : buffered) {
            seekTo.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
        }
        batch.clear();
        batchOffsets.clear();
        buffered.clear();
        Set<TopicPartition> assigned = consumer.assignment();
        for (Map.Entry<TopicPartition, Long> entry : seekTo.entrySet()) {
            if (assigned.contains(entry.getKey())) {
                consumer.seek(entry.getKey(), entry.getValue());
            }
        }
    }

    /** Drops the batch's, the buffer's and the pending commits' records of partitions this source no longer owns. */
    private void forget(Collection<TopicPartition> partitions) {
        Set<TopicPartition> gone = new HashSet<>(partitions);
        buffered.removeIf(record -> gone.contains(new TopicPartition(record.topic(), record.partition())));
        uncommitted.keySet().removeAll(gone);
        lastCommitted.keySet().removeAll(gone);
        if (!batch.isEmpty() || !batchOffsets.isEmpty()) {
            // The batch mixes partitions: read all of it again (the others from where it started).
            rewind();
        }
    }

    /** Says why the source has no partitions yet: no broker answers, or a topic does not exist. */
    private void reportIfUnassigned() {
        long now = System.nanoTime();
        if (!consumer.assignment().isEmpty() || now - startedNanos < UNASSIGNED_REPORT_NANOS
                || now - lastUnassignedReportNanos < UNASSIGNED_REPEAT_NANOS && lastUnassignedReportNanos != startedNanos) {
            return;
        }
        lastUnassignedReportNanos = now;
        long connections = BrokerConnections.count(consumer.metrics());
        counter.set("KafkaBrokerConnections", connections);
        if (connections == 0) {
            KafkaSourceFactory.LOG.warn("{}: no connection to any Kafka broker of kafka.bootstrap.servers = {} for "
                    + "{} s; the consumer keeps trying", name, settings.bootstrapServers,
                    TimeUnit.NANOSECONDS.toSeconds(now - startedNanos));
            return;
        }
        if (settings.topics != null) {
            try {
                Map<String, List<PartitionInfo>> existing = consumer.listTopics(Duration.ofSeconds(10));
                List<String> missing = settings.topics.stream().filter(t -> !existing.containsKey(t)).toList();
                if (!missing.isEmpty()) {
                    KafkaSourceFactory.LOG.warn("{}: topic(s) {} do not exist on the cluster at {}; they are read "
                            + "once created", name, missing, settings.bootstrapServers);
                    return;
                }
            } catch (KafkaException e) {
                KafkaSourceFactory.LOG.warn("{}: listing the cluster's topics failed: {}", name, e.toString());
                return;
            }
        }
        KafkaSourceFactory.LOG.info("{}: connected, but group '{}' has given this source no partitions yet (other "
                + "members may hold them all)", name, settings.group);
    }

    @Override
    public void stop() {
        if (consumer != null) {
            try {
                // The runner has stopped: what was delivered is committed before the consumer leaves its group.
                commitNow();
            } catch (RuntimeException e) {
                KafkaSourceFactory.LOG.warn("{}: committing offsets at stop failed ({}); the last batch is read again "
                        + "at the next start (duplicates, nothing lost)", name, e.toString());
            }
            consumer.wakeup();
            KafkaClients.close(consumer, CLOSE_TIMEOUT, KafkaSourceFactory.LOG, name);
            consumer = null;
        }
        KafkaSourceFactory.LOG.info("{} stopped; counters {}", name, counter.snapshot());
    }

    /**
     * Runs inside poll(), on the source's thread. Before partitions go, the batch read so far is handed over and
     * committed, so the next owner continues after it; partitions that were lost (this member was dropped from the
     * group) cannot be committed, so their records are forgotten and the next owner reads them.
     */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            KafkaSourceFactory.LOG.info("{}: partitions {} revoked", name, partitions);
            if (!batch.isEmpty() || !batchOffsets.isEmpty()) {
                deliverAndCommit(true);
            } else {
                commitNow();
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            KafkaSourceFactory.LOG.warn("{}: partitions {} lost (this consumer was dropped from group '{}'); their "
                    + "uncommitted records are read again by their next owner", name, partitions, settings.group);
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                KafkaSourceFactory.LOG.info("{}: partitions {} assigned", name, partitions);
            }
        }
    }
}

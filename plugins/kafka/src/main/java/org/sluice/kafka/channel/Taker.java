package org.sluice.kafka.channel;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.sluice.kafka.KafkaClients;

/**
 * One taking thread's consumer of the channel's topic, in the channel's group, and the records it polled and not yet
 * handed out. Offsets that could not be committed (a broker restart) are kept and committed with the next take
 * commit; offsets of partitions the group gave to another member are dropped (that member reads from the last
 * commit: duplicates, nothing lost). Synchronized, so the channel's stop can close it while its thread is idle.
 */
final class Taker {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaChannel channel;
    private final Consumer<String, byte[]> consumer;
    private final ArrayDeque<ConsumerRecord<String, byte[]>> queue = new ArrayDeque<>();
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private boolean closed;

    Taker(KafkaChannel channel, Map<String, Object> settings, String topic) {
        this.channel = channel;
        this.consumer = KafkaClients.consumer(settings);
        KafkaClients.withBundleLoader(() -> {
            consumer.subscribe(List.of(topic), new Rebalance());
            return null;
        });
    }

    /** The next record, polling up to {@code pollTimeoutMillis} when none is queued; null if none came. */
    synchronized ConsumerRecord<String, byte[]> next(long pollTimeoutMillis) {
        if (closed) {
            return null;
        }
        if (queue.isEmpty()) {
            try {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(pollTimeoutMillis));
                for (ConsumerRecord<String, byte[]> record : records) {
                    queue.add(record);
                }
            } catch (WakeupException e) {
                return null;
            }
        }
        return queue.poll();
    }

    /** Puts records taken in a rolled-back transaction back in front, in their order. */
    synchronized void putBack(List<ConsumerRecord<String, byte[]>> records) {
        Set<TopicPartition> assigned = consumer.assignment();
        for (int i = records.size() - 1; i >= 0; i--) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            if (assigned.contains(new TopicPartition(record.topic(), record.partition()))) {
                queue.addFirst(record);
            }
        }
    }

    /** Commits the offsets past a committed take (and any left from a failed commit) for the partitions it owns. */
    synchronized void commit(Map<TopicPartition, Long> nextOffsets) {
        for (Map.Entry<TopicPartition, Long> entry : nextOffsets.entrySet()) {
            uncommitted.put(entry.getKey(), new OffsetAndMetadata(entry.getValue()));
        }
        uncommitted.keySet().retainAll(consumer.assignment());
        if (uncommitted.isEmpty() || closed) {
            return;
        }
        try {
            consumer.commitSync(uncommitted);
            uncommitted.clear();
        } catch (CommitFailedException e) {
            KafkaChannelFactory.LOG.warn("{}: offsets {} could not be committed after a rebalance; their events may be "
                    + "taken again by the partitions' new owner (duplicates, nothing lost)", channel.name,
                    uncommitted);
            uncommitted.clear();
        } catch (KafkaException e) {
            KafkaChannelFactory.LOG.warn("{}: committing offsets {} failed ({}); they are committed with the next take",
                    channel.name, uncommitted, e.toString());
        }
    }

    /** Closes the consumer, leaving the group; a take blocked in poll is woken first. */
    void close() {
        consumer.wakeup();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (!uncommitted.isEmpty()) {
                try {
                    consumer.commitSync(uncommitted);
                } catch (KafkaException e) {
                    KafkaChannelFactory.LOG.warn("{}: committing offsets {} at stop failed ({}); their events may be "
                            + "taken again (duplicates, nothing lost)", channel.name, uncommitted, e.toString());
                }
            }
            queue.clear();
            KafkaClients.close(consumer, CLOSE_TIMEOUT, KafkaChannelFactory.LOG, channel.name);
        }
    }

    /** Runs inside poll(): records of partitions that went elsewhere are not handed out any more. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            KafkaChannelFactory.LOG.info("{}: partitions {} revoked", channel.name, partitions);
            if (!uncommitted.isEmpty()) {
                try {
                    consumer.commitSync(uncommitted);
                    uncommitted.clear();
                } catch (KafkaException e) {
                    KafkaChannelFactory.LOG.warn("{}: committing offsets {} before the rebalance failed ({})",
                            channel.name, uncommitted, e.toString());
                }
            }
            drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            KafkaChannelFactory.LOG.warn("{}: partitions {} lost (this consumer was dropped from its group); their "
                    + "uncommitted events are taken again by their next owner", channel.name, partitions);
            drop(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                KafkaChannelFactory.LOG.info("{}: partitions {} assigned", channel.name, partitions);
            }
        }

        private void drop(Collection<TopicPartition> partitions) {
            Set<TopicPartition> gone = new HashSet<>(partitions);
            queue.removeIf(record -> gone.contains(new TopicPartition(record.topic(), record.partition())));
            uncommitted.keySet().removeAll(gone);
        }
    }
}

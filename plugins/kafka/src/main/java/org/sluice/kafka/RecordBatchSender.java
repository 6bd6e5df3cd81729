package org.sluice.kafka;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Sends a batch of records and waits until the broker acknowledged every one (as the producer's {@code acks} asks)
 * or one failed: the sink commits its take and the channel its put only after that. One callback object serves the
 * whole batch; {@code flush()} returns only after every record's callback ran.
 */
public final class RecordBatchSender {
    private final Producer<String, byte[]> producer;
    private final String bootstrapServers;
    private final String keyPrefix;
    private final long maxRequestSize;

    /**
     * @param keyPrefix where the user sets producer settings ({@code kafka.producer.}), for messages
     * @param maxRequestSize the producer's max.request.size, to refuse a record that cannot fit before anything
     *                       of its batch is sent
     */
    public RecordBatchSender(Producer<String, byte[]> producer, String bootstrapServers, String keyPrefix,
            long maxRequestSize) {
        this.producer = producer;
        this.bootstrapServers = bootstrapServers;
        this.keyPrefix = keyPrefix;
        this.maxRequestSize = maxRequestSize;
    }

    /** A batch that was not acknowledged whole; the message says why, naming the key that governs it. */
    public static final class BatchFailed extends Exception {
        private static final long serialVersionUID = 1L;

        BatchFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A record that can never be sent as it is (larger than max.request.size), found before anything is sent: the
     * batch fails without sending the records before it, so a retry duplicates nothing.
     */
    public void checkSize(ProducerRecord<String, byte[]> record) throws BatchFailed {
        long size = (record.value() == null ? 0 : record.value().length)
                + (record.key() == null ? 0 : record.key().length());
        if (size > maxRequestSize) {
            throw new BatchFailed("a record of " + size + " bytes for topic '" + record.topic() + "' is larger than "
                    + keyPrefix + "max.request.size (" + maxRequestSize + "); raise it (and the topic's "
                    + "max.message.bytes) or make the events smaller", null);
        }
    }

    /** The partitions of a topic, from the producer's metadata (a lookup once known; else up to max.block.ms). */
    public int partitionCount(String topic) throws BatchFailed {
        try {
            List<PartitionInfo> partitions = producer.partitionsFor(topic);
            return partitions.size();
        } catch (RuntimeException e) {
            throw new BatchFailed(describe(e, topic), e);
        }
    }

    /** Sends every record and returns when all were acknowledged; throws when any was not. */
    public void sendAll(List<ProducerRecord<String, byte[]>> records) throws BatchFailed {
        Acknowledgements acks = new Acknowledgements();
        for (ProducerRecord<String, byte[]> record : records) {
            try {
                producer.send(record, acks);
            } catch (RuntimeException e) {
                producer.flush();
                throw new BatchFailed(describe(e, record.topic()), e);
            }
        }
        // Sends what linger.ms would hold back and waits for every acknowledgement (or failure) of the batch.
        producer.flush();
        Exception failure = acks.first.get();
        if (failure != null) {
            throw new BatchFailed(acks.failed.get() + " of " + records.size() + " records were not acknowledged: "
                    + describe(failure, acks.topic.get()), failure);
        }
    }

    private String describe(Throwable e, String topic) {
        if (e instanceof RecordTooLargeException) {
            return "a record for topic '" + topic + "' is too large: " + e.getMessage() + " (" + keyPrefix
                    + "max.request.size, and the broker's message.max.bytes or the topic's max.message.bytes)";
        }
        if (e instanceof TimeoutException) {
            long connections = BrokerConnections.count(producer.metrics());
            if (connections == 0) {
                return "no Kafka broker of kafka.bootstrap.servers = " + bootstrapServers + " answered: "
                        + e.getMessage();
            }
            if (e.getMessage() != null && e.getMessage().contains("not present in metadata")) {
                return "topic '" + topic + "' does not exist on " + bootstrapServers + " and the brokers do not "
                        + "create it (auto.create.topics.enable): " + e.getMessage();
            }
        }
        return e.toString();
    }

    /** The batch's one callback: counts failures and keeps the first. */
    private static final class Acknowledgements implements Callback {
        final AtomicReference<Exception> first = new AtomicReference<>();
        final AtomicReference<String> topic = new AtomicReference<>();
        final AtomicInteger failed = new AtomicInteger();

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null) {
                failed.incrementAndGet();
                if (first.compareAndSet(null, exception) && metadata != null) {
                    topic.set(metadata.topic());
                }
            }
        }
    }
}

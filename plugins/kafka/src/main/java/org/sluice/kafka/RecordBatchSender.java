package org.sluice.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>{@code flush()} makes every buffered record of the producer sendable at once, whoever sent it. One thread alone
 * (a sink) flushes after its last record, which only sends its batch's tail early. But where several threads send
 * through one producer at once (a Kafka channel behind a source with several connections), one thread's flush,
 * while the others are still adding records, has the producer send half-filled batches in many small requests,
 * which costs CPU per record in the agent and in the broker. So a batch sent while another is still being added
 * first waits (up to {@code linger.ms}, at most {@value #MAX_SETTLE_MILLIS} ms) for its acknowledgements as the
 * producer sends batches as they fill, and flushes only what is left then.
 */
public final class RecordBatchSender {
    /** The longest a batch waits for full producer batches before it flushes, whatever linger.ms says. */
    static final long MAX_SETTLE_MILLIS = 10;
    /** The Kafka producer's linger.ms when it is not set (Kafka 4). */
    private static final long DEFAULT_LINGER_MILLIS = 5;

    private final Producer<String, byte[]> producer;
    private final String bootstrapServers;
    private final String keyPrefix;
    private final long maxRequestSize;
    private final long settleMillis;
    /** The sendAll calls that are adding records to the producer right now. */
    private final AtomicInteger adding = new AtomicInteger();

    /**
     * @param keyPrefix where the user sets producer settings ({@code kafka.producer.}), for messages
     * @param maxRequestSize the producer's max.request.size, to refuse a record that cannot fit before anything
     *                       of its batch is sent
     * @param producerSettings the producer's settings, for its linger.ms
     */
    public RecordBatchSender(Producer<String, byte[]> producer, String bootstrapServers, String keyPrefix,
            long maxRequestSize, Map<String, Object> producerSettings) {
        this.producer = producer;
        this.bootstrapServers = bootstrapServers;
        this.keyPrefix = keyPrefix;
        this.maxRequestSize = maxRequestSize;
        this.settleMillis = Math.min(lingerMillis(producerSettings), MAX_SETTLE_MILLIS);
    }

    /** linger.ms as the producer reads it (it refused a value that is not a number when it was created). */
    static long lingerMillis(Map<String, Object> producerSettings) {
        Object value = producerSettings.get("linger.ms");
        if (value == null) {
            return DEFAULT_LINGER_MILLIS;
        }
        try {
            return Math.max(0, Long.parseLong(value.toString().trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_LINGER_MILLIS;
        }
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
        Acknowledgements acks = new Acknowledgements(records.size());
        adding.incrementAndGet();
        try {
            for (ProducerRecord<String, byte[]> record : records) {
                try {
                    producer.send(record, acks);
                } catch (RuntimeException e) {
                    producer.flush();
                    throw new BatchFailed(describe(e, record.topic()), e);
                }
            }
        } finally {
            adding.decrementAndGet();
        }
        if (adding.get() > 0) {
            acks.await(settleMillis);
        }
        if (!acks.complete()) {
            // Sends what linger.ms would hold back and waits for every acknowledgement (or failure) of the batch.
            producer.flush();
        }
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

    /** The batch's one callback: counts completions and failures and keeps the first failure. */
    private static final class Acknowledgements implements Callback {
        final AtomicReference<Exception> first = new AtomicReference<>();
        final AtomicReference<String> topic = new AtomicReference<>();
        final AtomicInteger failed = new AtomicInteger();
        private final CountDownLatch outstanding;

        Acknowledgements(int records) {
            outstanding = new CountDownLatch(records);
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null) {
                failed.incrementAndGet();
                if (first.compareAndSet(null, exception) && metadata != null) {
                    topic.set(metadata.topic());
                }
            }
            outstanding.countDown();
        }

        boolean complete() {
            return outstanding.getCount() == 0;
        }

        /** Waits up to {@code millis} for every record's completion; an interrupt ends the wait (the flush follows). */
        void await(long millis) {
            try {
                outstanding.await(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

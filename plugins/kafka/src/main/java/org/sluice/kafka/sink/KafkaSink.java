package org.sluice.kafka.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.event.Event;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.kafka.FlumeEventFormat;
import org.sluice.kafka.HeaderMapping;
import org.sluice.kafka.KafkaClients;
import org.sluice.kafka.KafkaSettings;
import org.sluice.kafka.PartitionChoice;
import org.sluice.kafka.RecordBatchSender;

/**
 * Takes up to {@code flumeBatchSize} events in one transaction, turns them all into records first (topic, key,
 * partition, timestamp, headers, body or Flume's Avro event), sends them and commits only once the broker
 * acknowledged every one. Any failure rolls the take back: the events stay in the channel and the runner retries
 * after its backoff; records of the batch that did reach Kafka are sent again then (at least once, as in Flume).
 */
final class KafkaSink implements Sink {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    static final String KAFKA_EVENT_SEND_TIMER = "KafkaEventSendTimer";
    static final String ROLLBACK_COUNT = "RollbackCount";

    /** What the factory read from the configuration. */
    static final class Settings {
        String bootstrapServers;
        TopicTemplate topic;
        int batchSize;
        boolean flumeEventFormat;
        PartitionChoice partitions;
        boolean allowTopicOverride;
        String topicHeader;
        String timestampHeader;
        HeaderMapping headers;
        Map<String, Object> client;
        long maxRequestSize;
    }

    private final SinkContext context;
    private final Settings settings;
    private final SinkCounter counter;
    private final String name;
    private final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    private Producer<String, byte[]> producer;
    private RecordBatchSender sender;

    KafkaSink(SinkContext context, Settings settings) {
        this.context = context;
        this.settings = settings;
        this.counter = context.counter();
        this.name = "agent '" + context.agentName() + "', Kafka sink '" + context.componentName() + "'";
    }

    @Override
    public void start() {
        KafkaSinkFactory.LOG.info("{}: writing to {} with batches of {}; producer settings {}", name,
                settings.bootstrapServers, settings.batchSize, KafkaSettings.forLog(settings.client));
        try {
            producer = KafkaClients.producer(settings.client);
        } catch (KafkaException e) {
            throw new IllegalStateException(name + ": cannot create the Kafka producer (kafka.bootstrap.servers = "
                    + settings.bootstrapServers + "): " + KafkaClients.reasons(e), e);
        }
        sender = new RecordBatchSender(producer, settings.bootstrapServers, KafkaSinkFactory.PRODUCER_PREFIX,
                settings.maxRequestSize);
        counter.incrementConnectionCreatedCount();
    }

    @Override
    public Status process() throws EventDeliveryException {
        Channel channel = context.channel();
        Transaction transaction = channel.getTransaction();
        transaction.begin();
        int taken = 0;
        records.clear();
        try {
            for (Event event; taken < settings.batchSize && (event = channel.take()) != null; taken++) {
                records.add(record(event));
            }
            counter.addToEventDrainAttemptCount(taken);
            if (taken > 0) {
                long start = System.nanoTime();
                sender.sendAll(records);
                counter.add(KAFKA_EVENT_SEND_TIMER, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            transaction.commit();
            counter.countBatch(taken, settings.batchSize);
            counter.addToEventDrainSuccessCount(taken);
            return taken == 0 ? Status.BACKOFF : Status.READY;
        } catch (Throwable t) {
            if (t instanceof ChannelException) {
                counter.incrementChannelReadFail();
            } else {
                counter.incrementEventWriteFail();
            }
            try {
                transaction.rollback();
                counter.add(ROLLBACK_COUNT, 1);
            } catch (RuntimeException rollback) {
                t.addSuppressed(rollback);
            }
            String why = t instanceof RecordBatchSender.BatchFailed || t instanceof PartitionChoice.InvalidPartition
                    ? t.getMessage() : t.toString();
            throw new EventDeliveryException(name + ": a batch of " + taken + " events was not delivered, and stays "
                    + "in the channel: " + why, t);
        } finally {
            records.clear();
            transaction.close();
        }
    }

    /** One event's record, as Flume's Kafka sink makes it. */
    private ProducerRecord<String, byte[]> record(Event event) throws RecordBatchSender.BatchFailed,
            PartitionChoice.InvalidPartition {
        Map<String, String> headers = event.getHeaders();
        String topic = null;
        if (settings.allowTopicOverride) {
            topic = headers.get(settings.topicHeader);
        }
        if (topic == null) {
            topic = settings.topic.topicFor(headers);
        }
        Integer partition = settings.partitions.partitionFor(headers);
        if (partition != null) {
            settings.partitions.check(partition, topic, sender.partitionCount(topic));
        }
        Long timestamp = null;
        if (settings.timestampHeader != null) {
            String value = headers.get(settings.timestampHeader);
            if (value != null) {
                try {
                    timestamp = Long.valueOf(value.trim());
                } catch (NumberFormatException e) {
                    // As Flume: the record gets the producer's time.
                    KafkaSinkFactory.LOG.warn("{}: header '{}' (timestampHeader) is '{}', not a time in ms; the record "
                            + "gets the current time", name, settings.timestampHeader, value);
                }
            }
        }
        List<Header> recordHeaders = settings.headers.isEmpty() ? null : settings.headers.toKafka(headers);
        byte[] value = settings.flumeEventFormat ? FlumeEventFormat.encode(event) : event.getBody();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, partition, timestamp, headers.get("key"),
                value, recordHeaders);
        sender.checkSize(record);
        return record;
    }

    @Override
    public void stop() {
        KafkaClients.close(producer, CLOSE_TIMEOUT, KafkaSinkFactory.LOG, name);
        if (producer != null) {
            counter.incrementConnectionClosedCount();
        }
        producer = null;
        KafkaSinkFactory.LOG.info("{} stopped; counters {}", name, counter.snapshot());
    }
}

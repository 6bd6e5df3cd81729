package org.sluice.kafka.channel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.sluice.api.channel.AbstractChannel;
import org.sluice.api.channel.AbstractTransaction;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;
import org.sluice.kafka.FlumeEventFormat;
import org.sluice.kafka.KafkaClients;
import org.sluice.kafka.KafkaSettings;
import org.sluice.kafka.PartitionChoice;
import org.sluice.kafka.RecordBatchSender;
import org.sluice.kafka.ThrottledLog;

/**
 * A channel whose events are the records of one Kafka topic. A put transaction collects records and, at commit, sends
 * them and waits until the broker acknowledged every one (acks=all unless set otherwise): then, and only then, the
 * put is committed. A take transaction reads records through a consumer of its own thread (Kafka consumers are
 * single-threaded, and each commits the offsets of what its thread took); its commit commits the offsets past what
 * it took, its rollback puts the records back in front of that consumer's queue, so they are taken again in order.
 *
 * <p>As in Flume, a channel may have only puts (a source writing into Kafka for other applications) or only takes
 * (Kafka into a sink): the producer is made on the first put commit and each consumer on its thread's first take.
 */
final class KafkaChannel extends AbstractChannel {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    static final String KAFKA_EVENT_GET_TIMER = "KafkaEventGetTimer";
    static final String KAFKA_EVENT_SEND_TIMER = "KafkaEventSendTimer";
    static final String KAFKA_COMMIT_TIMER = "KafkaCommitTimer";
    static final String ROLLBACK_COUNT = "RollbackCount";

    /** What the factory read from the configuration. */
    static final class Settings {
        String bootstrapServers;
        String topic;
        String group;
        boolean flumeEventFormat;
        long pollTimeoutMillis;
        PartitionChoice partitions;
        Map<String, Object> producer;
        Map<String, Object> consumer;
        long maxRequestSize;
    }

    private final Settings settings;
    private final ChannelCounter counter;
    final String name;
    private final ThrottledLog unreadable;
    private final Map<Thread, Taker> takers = new ConcurrentHashMap<>();
    private Producer<String, byte[]> producer;
    private RecordBatchSender sender;
    private volatile boolean running;

    KafkaChannel(ChannelContext context, Settings settings) {
        this.settings = settings;
        this.counter = context.counter();
        this.name = "agent '" + context.agentName() + "', Kafka channel '" + context.componentName() + "'";
        this.unreadable = new ThrottledLog(KafkaChannelFactory.LOG, 10, TimeUnit.SECONDS);
    }

    @Override
    public void start() {
        KafkaChannelFactory.LOG.info("{}: topic '{}' on {}, group '{}'; producer settings {}; consumer settings {}",
                name, settings.topic, settings.bootstrapServers, settings.group,
                KafkaSettings.forLog(settings.producer), KafkaSettings.forLog(settings.consumer));
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        for (Taker taker : takers.values()) {
            taker.close();
        }
        takers.clear();
        synchronized (this) {
            KafkaClients.close(producer, CLOSE_TIMEOUT, KafkaChannelFactory.LOG, name);
            producer = null;
            sender = null;
        }
        KafkaChannelFactory.LOG.info("{} stopped; counters {}", name, counter.snapshot());
    }

    @Override
    protected AbstractTransaction createTransaction() {
        return new KafkaTransaction();
    }

    private synchronized RecordBatchSender sender() {
        if (!running) {
            throw new ChannelException(name + " is stopped");
        }
        if (sender == null) {
            try {
                producer = KafkaClients.producer(settings.producer);
            } catch (KafkaException e) {
                throw new ChannelException(name + ": cannot create the Kafka producer (kafka.bootstrap.servers = "
                        + settings.bootstrapServers + "): " + KafkaClients.reasons(e), e);
            }
            sender = new RecordBatchSender(producer, settings.bootstrapServers, KafkaChannelFactory.PRODUCER_PREFIX,
                    settings.maxRequestSize);
        }
        return sender;
    }

    /** The calling thread's consumer; consumers of threads that have ended are closed on the way. */
    private Taker taker() {
        if (!running) {
            throw new ChannelException(name + " is stopped");
        }
        Thread thread = Thread.currentThread();
        Taker taker = takers.get(thread);
        if (taker == null) {
            takers.entrySet().removeIf(entry -> {
                if (!entry.getKey().isAlive()) {
                    entry.getValue().close();
                    return true;
                }
                return false;
            });
            try {
                taker = new Taker(this, settings.consumer, settings.topic);
            } catch (KafkaException e) {
                throw new ChannelException(name + ": cannot create a Kafka consumer (kafka.bootstrap.servers = "
                        + settings.bootstrapServers + "): " + KafkaClients.reasons(e), e);
            }
            takers.put(thread, taker);
        }
        return taker;
    }

    /** One transaction: puts become records sent at commit; takes are records of the thread's consumer. */
    private final class KafkaTransaction extends AbstractTransaction {
        private List<ProducerRecord<String, byte[]>> puts;
        private List<ConsumerRecord<String, byte[]>> taken;
        private Map<TopicPartition, Long> nextOffsets;
        private TopicPartition lastPartition;
        private Taker taker;

        @Override
        protected void doPut(Event event) {
            if (puts == null) {
                puts = new ArrayList<>();
            }
            RecordBatchSender sender = sender();
            Map<String, String> headers = event.getHeaders();
            try {
                Integer partition = settings.partitions.partitionFor(headers);
                if (partition != null) {
                    settings.partitions.check(partition, settings.topic, sender.partitionCount(settings.topic));
                }
                byte[] value = settings.flumeEventFormat ? FlumeEventFormat.encode(event) : event.getBody();
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(settings.topic, partition,
                        headers.get("key"), value);
                sender.checkSize(record);
                puts.add(record);
            } catch (PartitionChoice.InvalidPartition | RecordBatchSender.BatchFailed e) {
                throw new ChannelException(name + ": event not accepted: " + e.getMessage(), e);
            }
        }

        @Override
        protected Event doTake() {
            if (taker == null) {
                taker = taker();
                taken = new ArrayList<>();
                nextOffsets = new HashMap<>();
            }
            while (true) {
                long start = System.nanoTime();
                ConsumerRecord<String, byte[]> record;
                try {
                    record = taker.next(settings.pollTimeoutMillis);
                } catch (KafkaException e) {
                    throw new ChannelException(name + ": reading from topic '" + settings.topic + "' failed: " + e, e);
                } finally {
                    counter.add(KAFKA_EVENT_GET_TIMER, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
                if (record == null) {
                    return null;
                }
                TopicPartition partition = lastPartition;
                if (partition == null || partition.partition() != record.partition()
                        || !partition.topic().equals(record.topic())) {
                    partition = new TopicPartition(record.topic(), record.partition());
                    lastPartition = partition;
                }
                nextOffsets.put(partition, record.offset() + 1);
                Event event = event(record);
                if (event != null) {
                    taken.add(record);
                    return event;
                }
            }
        }

        /** The record's event, or null (counted, logged) when it should be a Flume event and is not. */
        private Event event(ConsumerRecord<String, byte[]> record) {
            byte[] value = record.value() == null ? new byte[0] : record.value();
            Event event;
            if (settings.flumeEventFormat) {
                try {
                    event = FlumeEventFormat.decode(value);
                } catch (FlumeEventFormat.NotAFlumeEvent e) {
                    counter.add("EventReadFail", 1);
                    unreadable.warn(name + ": skipped the record at topic '" + record.topic() + "', partition "
                            + record.partition() + ", offset " + record.offset() + ": it is not a Flume Avro event ("
                            + e.getMessage() + "); parseAsFlumeEvent = false reads records written by other "
                            + "applications");
                    return null;
                }
            } else {
                event = new SimpleEvent(value, new HashMap<>(2));
            }
            if (record.key() != null) {
                event.getHeaders().put("key", record.key());
            }
            return event;
        }

        @Override
        protected void doCommit() {
            if (puts != null && !puts.isEmpty()) {
                long start = System.nanoTime();
                try {
                    sender().sendAll(puts);
                } catch (RecordBatchSender.BatchFailed e) {
                    throw new ChannelException(name + ": the put of " + puts.size() + " events was not acknowledged "
                            + "by Kafka and is not committed: " + e.getMessage(), e);
                } finally {
                    counter.add(KAFKA_EVENT_SEND_TIMER, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
                puts.clear();
            }
            if (taker != null && !nextOffsets.isEmpty()) {
                long start = System.nanoTime();
                taker.commit(nextOffsets);
                counter.add(KAFKA_COMMIT_TIMER, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                nextOffsets.clear();
                taken.clear();
            }
        }

        @Override
        protected void doRollback() {
            if (puts != null) {
                puts.clear();
            }
            if (taker != null && !taken.isEmpty()) {
                counter.add(ROLLBACK_COUNT, taken.size());
                taker.putBack(taken);
                taken.clear();
                nextOffsets.clear();
            }
        }
    }
}

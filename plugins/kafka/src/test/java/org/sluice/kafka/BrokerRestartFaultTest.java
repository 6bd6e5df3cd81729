package org.sluice.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.kafka.Components.keys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.source.PollableSource;
import org.sluice.api.source.SourceContext;
import org.sluice.kafka.broker.KafkaBroker;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.api.testkit.TestChannel;
import org.sluice.testkit.TestContexts;

/**
 * The broker stopped cleanly, then killed with SIGKILL, each time under load and started again on the same port and
 * log directory, while a Kafka sink writes numbered events, a Kafka source reads them, and a Kafka channel is put to
 * and taken from by threads of their own. Nothing is lost: every number the sink's channel held reaches the source,
 * every put the channel acknowledged is taken; the components reconnect by themselves, and their counters and errors
 * say what happened. Part of the fault suite (-Pkafka-faults, .ci/kafka-faults).
 */
class BrokerRestartFaultTest {

    @TempDir
    Path dir;

    @Test
    void brokerStoppedAndKilledUnderLoadLosesNothingAndTheComponentsReconnect() throws Exception {
        Path brokerDir = Files.createDirectories(Path.of("target", "fault-broker-" + System.nanoTime()));
        try (KafkaBroker broker = KafkaBroker.builder(brokerDir).autoCreateTopics(false).start()) {
            broker.createTopic("restart-sink", 3);
            broker.createTopic("restart-channel", 2);
            String servers = broker.bootstrapServers();
            // Delivery gives up within seconds while the broker is away, so failures are seen and retried.
            String[] producerTimeouts = {"kafka.producer.delivery.timeout.ms", "15000",
                "kafka.producer.request.timeout.ms", "5000", "kafka.producer.max.block.ms", "5000"};

            TestChannel sinkChannel = new TestChannel(1_000_000);
            SinkContext sinkContext = Components.sinkContext(withKeys(keys("kafka.bootstrap.servers", servers,
                    "kafka.topic", "restart-sink", "flumeBatchSize", "200"), producerTimeouts), sinkChannel, dir);
            Sink sink = new org.sluice.kafka.sink.KafkaSinkFactory().create(sinkContext);
            sink.start();
            RecordingChannelProcessor received = new RecordingChannelProcessor();
            SourceContext sourceContext = Components.sourceContext(keys("kafka.bootstrap.servers", servers,
                    "kafka.topics", "restart-sink", "kafka.consumer.group.id", "g-restart",
                    "kafka.consumer.auto.offset.reset", "earliest", "batchSize", "500"), received, dir);
            PollableSource source = Components.source(sourceContext);
            var channelContext = Components.channelContext(withKeys(keys("kafka.bootstrap.servers", servers,
                    "kafka.topic", "restart-channel", "kafka.consumer.group.id", "g-restart-channel"),
                    producerTimeouts), dir);
            Channel channel = Components.channel(channelContext);

            AtomicBoolean running = new AtomicBoolean(true);
            // The load goes on through both outages, until the test has seen the components recover.
            AtomicBoolean feeding = new AtomicBoolean(true);
            List<String> sinkErrors = new CopyOnWriteArrayList<>();
            AtomicLong feederNext = new AtomicLong();
            AtomicLong putAcknowledged = new AtomicLong();
            Set<Long> taken = ConcurrentHashMap.newKeySet();
            List<Thread> threads = List.of(
                    loop("feeder", running, () -> {
                        if (feeding.get() && sinkChannel.size() < 5_000) {
                            List<Event> batch = new ArrayList<>();
                            for (int i = 0; i < 100; i++) {
                                batch.add(number(feederNext.get() + i));
                            }
                            sinkChannel.putCommitted(batch);
                            feederNext.addAndGet(100);
                        }
                        Thread.sleep(20);
                    }),
                    loop("sink-runner", running, () -> {
                        try {
                            if (sink.process() == Sink.Status.BACKOFF) {
                                Thread.sleep(50);
                            }
                        } catch (Exception e) {
                            sinkErrors.add(e.getMessage());
                            Thread.sleep(500);
                        }
                    }),
                    loop("source-runner", running, () -> source.process()),
                    loop("channel-putter", running, () -> {
                        long from = putAcknowledged.get();
                        if (!feeding.get()) {
                            Thread.sleep(50);
                            return;
                        }
                        Transaction put = channel.getTransaction();
                        put.begin();
                        try {
                            for (long n = from; n < from + 100; n++) {
                                channel.put(number(n));
                            }
                            put.commit();
                            putAcknowledged.addAndGet(100);
                            Thread.sleep(20);
                        } catch (RuntimeException e) {
                            put.rollback();
                            Thread.sleep(500); // a client retrying the same batch
                        } finally {
                            put.close();
                        }
                    }),
                    loop("channel-taker", running, () -> {
                        Transaction take = channel.getTransaction();
                        take.begin();
                        List<Long> batch = new ArrayList<>();
                        try {
                            for (int i = 0; i < 200; i++) {
                                Event event = channel.take();
                                if (event == null) {
                                    break;
                                }
                                batch.add(Long.parseLong(new String(event.getBody(), StandardCharsets.UTF_8)));
                            }
                            take.commit();
                            taken.addAll(batch);
                        } catch (RuntimeException e) {
                            take.rollback();
                            Thread.sleep(500);
                        } finally {
                            take.close();
                        }
                    }));
            threads.forEach(Thread::start);
            try {
                awaitProgress(received, putAcknowledged, taken, 3_000);

                // 1: a clean stop. The sink's batches fail, saying no broker answers, and are retried.
                broker.stop();
                await().atMost(Duration.ofSeconds(120)).until(() ->
                        TestContexts.countersOf(sinkContext).get("EventWriteFail") >= 1);
                broker.start();
                awaitProgress(received, putAcknowledged, taken, received.accepted().size() + 3_000);

                // 2: SIGKILL, as a crashed broker or a lost machine.
                long failuresBefore = TestContexts.countersOf(sinkContext).get("EventWriteFail");
                broker.kill();
                await().atMost(Duration.ofSeconds(120)).until(() ->
                        TestContexts.countersOf(sinkContext).get("EventWriteFail") > failuresBefore);
                broker.start();
                awaitProgress(received, putAcknowledged, taken, received.accepted().size() + 3_000);

                // The load stops; everything arrives.
                feeding.set(false);
                await().atMost(Duration.ofSeconds(300)).until(() -> distinct(received) == feederNext.get()
                        && taken.size() >= putAcknowledged.get());
            } finally {
                running.set(false);
                for (Thread thread : threads) {
                    thread.join(60_000);
                }
                sink.stop();
                source.stop();
                channel.stop();
            }
            long events = feederNext.get();
            assertEquals(events, distinct(received), "every number the sink's channel held reached the source");
            for (long n = 0; n < putAcknowledged.get(); n++) {
                assertTrue(taken.contains(n), "put " + n + " was acknowledged by the channel and never taken");
            }
            assertEquals(0, sinkChannel.size());
            assertTrue(sinkErrors.stream().anyMatch(m -> m.contains("no Kafka broker of kafka.bootstrap.servers = "
                    + servers) || m.contains("were not acknowledged")), () -> "the sink's errors: " + sinkErrors);
            System.out.printf("BrokerRestartFaultTest: %d events through sink and source (%d failed sink batches, %d "
                    + "duplicates at the source, %d failed source commits); %d puts acknowledged by the channel, all "
                    + "taken (%d channel rollbacks)%n", events, sinkErrors.size(), received.accepted().size() - events,
                    TestContexts.countersOf(sourceContext).get("KafkaCommitFailCount"), putAcknowledged.get(),
                    TestContexts.countersOf(channelContext).get("RollbackCount"));
        }
    }

    private static java.util.Map<String, String> withKeys(java.util.Map<String, String> keys, String... more) {
        for (int i = 0; i < more.length; i += 2) {
            keys.put(more[i], more[i + 1]);
        }
        return keys;
    }

    private static Event number(long n) {
        return EventBuilder.withBody(Long.toString(n), StandardCharsets.UTF_8);
    }

    private static long distinct(RecordingChannelProcessor received) {
        return received.accepted().stream().map(e -> new String(e.getBody(), StandardCharsets.UTF_8)).distinct()
                .count();
    }

    /** Until the source received {@code target} events and the channel's taker keeps up with its putter again. */
    private static void awaitProgress(RecordingChannelProcessor received, AtomicLong putAcknowledged, Set<Long> taken,
            long target) {
        long puts = putAcknowledged.get();
        await().atMost(Duration.ofSeconds(180)).until(() -> received.accepted().size() >= target
                && putAcknowledged.get() >= puts + 1_000 && taken.size() >= puts);
    }

    /** A step repeated on a thread of its own until {@code running} is false; a failure ends the step, not the loop. */
    interface Step {
        void run() throws Exception;
    }

    private static Thread loop(String name, AtomicBoolean running, Step step) {
        Thread thread = new Thread(() -> {
            while (running.get()) {
                try {
                    step.run();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // the step's own retry; keep going
                }
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }
}

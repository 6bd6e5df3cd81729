package org.sluice.rpc.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.flume.Context;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.apache.flume.channel.ChannelProcessor;
import org.apache.flume.channel.MemoryChannel;
import org.apache.flume.channel.ReplicatingChannelSelector;
import org.apache.flume.conf.Configurables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.Sink;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.api.testkit.TestChannel;
import org.sluice.testkit.TestContexts;

/**
 * Sluice against the real Apache Flume 1.11.0 (test scope only): Flume's RPC client (RpcClientFactory's default,
 * Avro) sends to Sluice's avro source, and Sluice's avro sink sends to Flume's own AvroSource, whose
 * MemoryChannel is read back. Every event's headers and body are compared. Flume runs in this JVM, on this
 * module's Avro 1.12 and Netty 4.1.112; {@link FlumeChildJvmTest} runs it on its own Avro 1.11.0 and Netty 4.1.72.
 */
class FlumeCompatibilityTest {
    @TempDir
    Path data;

    private final RecordingChannelProcessor processor = new RecordingChannelProcessor();
    @RegisterExtension
    final StartedParts started = new StartedParts();

    private AvroSource sluiceSource(Map<String, String> extra) throws Exception {
        return started.source(extra, processor, data);
    }

    private RpcClient flumeClient(int port, Map<String, String> extra) {
        Properties properties = new Properties();
        properties.put("hosts", "h1");
        properties.put("hosts.h1", "127.0.0.1:" + port);
        properties.put("batch-size", "50");
        properties.putAll(extra);
        RpcClient client = RpcClientFactory.getInstance(properties);
        started.add(client::close);
        return client;
    }

    private static List<org.apache.flume.Event> toFlume(List<Event> events) {
        List<org.apache.flume.Event> flume = new ArrayList<>();
        for (Event event : events) {
            flume.add(org.apache.flume.event.EventBuilder.withBody(event.getBody(), event.getHeaders()));
        }
        return flume;
    }

    private static List<Event> fromFlume(List<org.apache.flume.Event> events) {
        List<Event> sluice = new ArrayList<>();
        for (org.apache.flume.Event event : events) {
            sluice.add(EventBuilder.withBody(event.getBody(), event.getHeaders()));
        }
        return sluice;
    }

    private void flumeClientDeliversToSluiceSource(Map<String, String> sourceKeys, Map<String, String> clientKeys)
            throws Exception {
        AvroSource source = sluiceSource(sourceKeys);
        RpcClient client = flumeClient(source.localPort(), clientKeys);
        List<Event> sent = Events.make("flume-client", 120);
        client.appendBatch(toFlume(sent.subList(0, 100)));
        for (Event event : sent.subList(100, 120)) {
            client.append(toFlume(List.of(event)).get(0));
        }
        Events.assertSame(sent, processor.accepted());
        // Flume's counters: the client cut the 100 events into two appendBatch calls of its batch-size, 50.
        var counters = TestContexts.countersOf(started.sourceContext());
        assertEquals(2, counters.get(SourceCounter.APPEND_BATCH_RECEIVED));
        assertEquals(2, counters.get(SourceCounter.APPEND_BATCH_ACCEPTED));
        assertEquals(20, counters.get(SourceCounter.APPEND_RECEIVED));
        assertEquals(20, counters.get(SourceCounter.APPEND_ACCEPTED));
        assertEquals(120, counters.get(SourceCounter.EVENT_RECEIVED));
        assertEquals(120, counters.get(SourceCounter.EVENT_ACCEPTED));
    }

    @Test
    void flumeRpcClientToSluiceSource() throws Exception {
        flumeClientDeliversToSluiceSource(Map.of(), Map.of());
    }

    @Test
    void flumeRpcClientToSluiceSourceWithDeflate() throws Exception {
        flumeClientDeliversToSluiceSource(Map.of("compression-type", "deflate"),
                Map.of("compression-type", "deflate", "compression-level", "6"));
    }

    @Test
    void flumeRpcClientToSluiceSourceOverTls() throws Exception {
        TestTls tls = TestTls.create(data);
        flumeClientDeliversToSluiceSource(
                Map.of("ssl", "true", "keystore", tls.keystore.toString(), "keystore-password", TestTls.PASSWORD),
                Map.of("ssl", "true", "truststore", tls.truststore.toString(), "truststore-password",
                        TestTls.PASSWORD, "truststore-type", "JKS"));
    }

    /** A second Sluice source, with its own channel processor, for Flume's multi-host clients. */
    private AvroSource anotherSluiceSource(RecordingChannelProcessor channels, String name) throws Exception {
        AvroSource source = (AvroSource) new AvroSourceFactory().create(TestContexts.source(name,
                Map.of("bind", "127.0.0.1", "port", "0"), channels, data));
        source.start();
        started.add(source::stop);
        return source;
    }

    private RpcClient flumeMultiHostClient(String type, int port1, int port2, Map<String, String> extra) {
        Properties properties = new Properties();
        properties.put("client.type", type);
        properties.put("hosts", "h1 h2");
        properties.put("hosts.h1", "127.0.0.1:" + port1);
        properties.put("hosts.h2", "127.0.0.1:" + port2);
        properties.put("batch-size", "50");
        properties.putAll(extra);
        RpcClient client = RpcClientFactory.getInstance(properties);
        started.add(client::close);
        return client;
    }

    @Test
    void flumesFailoverClientMovesToTheSecondSluiceSourceWhenTheFirstStops() throws Exception {
        RecordingChannelProcessor second = new RecordingChannelProcessor();
        AvroSource one = sluiceSource(Map.of());
        AvroSource two = anotherSluiceSource(second, "r2");
        RpcClient client = flumeMultiHostClient("default_failover", one.localPort(), two.localPort(), Map.of());
        List<Event> before = Events.make("failover-before", 100);
        client.appendBatch(toFlume(before));
        Events.assertSame(before, processor.accepted());
        assertEquals(List.of(), second.accepted(), "the first host takes everything while it is up");

        one.stop();
        List<Event> after = Events.make("failover-after", 100);
        client.appendBatch(toFlume(after));
        Events.assertSame(after, second.accepted());
    }

    @Test
    void flumesLoadBalancingClientSpreadsOverSluiceSourcesAndSkipsOneThatStopped() throws Exception {
        RecordingChannelProcessor second = new RecordingChannelProcessor();
        AvroSource one = sluiceSource(Map.of());
        AvroSource two = anotherSluiceSource(second, "r2");
        RpcClient client = flumeMultiHostClient("default_loadbalance", one.localPort(), two.localPort(),
                Map.of("host-selector", "round_robin", "backoff", "true"));
        List<Event> sent = new ArrayList<>();
        for (int batch = 0; batch < 6; batch++) {
            List<Event> events = Events.make("balanced-" + batch, 50);
            client.appendBatch(toFlume(events));
            sent.addAll(events);
        }
        assertTrue(!processor.accepted().isEmpty() && !second.accepted().isEmpty(), "both sources got batches");

        one.stop();
        for (int batch = 6; batch < 10; batch++) {
            List<Event> events = Events.make("balanced-" + batch, 50);
            client.appendBatch(toFlume(events));
            sent.addAll(events);
        }
        List<Event> received = new ArrayList<>(processor.accepted());
        received.addAll(second.accepted());
        assertEquals(sent.size(), received.size(), "every batch reached exactly one source");
        java.util.Set<String> bodies = new java.util.HashSet<>();
        received.forEach(e -> bodies.add(new String(e.getBody(), java.nio.charset.StandardCharsets.UTF_8)));
        sent.forEach(e -> assertTrue(bodies.contains(new String(e.getBody(),
                java.nio.charset.StandardCharsets.UTF_8)), "lost: " + new String(e.getBody(),
                java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void flumeRpcClientHearsFailedWhenSluiceChannelsRefuse() throws Exception {
        AvroSource source = sluiceSource(Map.of());
        RpcClient client = flumeClient(source.localPort(), Map.of());
        processor.failNext(1);
        assertThrows(org.apache.flume.EventDeliveryException.class,
                () -> client.appendBatch(toFlume(Events.make("refused", 10))));
        assertEquals(0, processor.accepted().size());
        // A Flume client is dead after a failed call (Flume's rule); the application retries with a new one.
        List<Event> retry = Events.make("retried", 10);
        flumeClient(source.localPort(), Map.of()).appendBatch(toFlume(retry));
        Events.assertSame(retry, processor.accepted());
    }

    /** Flume's own AvroSource with a MemoryChannel, as a Flume agent would run it. */
    private MemoryChannel flumeAgent(int port, Map<String, String> sourceKeys) {
        MemoryChannel channel = new MemoryChannel();
        channel.setName("flume-c1");
        Configurables.configure(channel, new Context(Map.of("capacity", "10000", "transactionCapacity", "1000",
                "keep-alive", "1")));
        ReplicatingChannelSelector selector = new ReplicatingChannelSelector();
        selector.setChannels(List.of(channel));
        org.apache.flume.source.AvroSource source = new org.apache.flume.source.AvroSource();
        source.setName("flume-r1");
        source.setChannelProcessor(new ChannelProcessor(selector));
        Map<String, String> keys = new HashMap<>(Map.of("bind", "127.0.0.1", "port", Integer.toString(port)));
        keys.putAll(sourceKeys);
        Configurables.configure(source, new Context(keys));
        channel.start();
        source.start();
        started.add(channel::stop);
        started.add(source::stop);
        return channel;
    }

    /** Takes {@code count} events, and one more to see that nothing else arrived (Flume's take waits keep-alive). */
    private static List<org.apache.flume.Event> drain(MemoryChannel channel, int count) {
        List<org.apache.flume.Event> events = new ArrayList<>();
        org.apache.flume.Transaction transaction = channel.getTransaction();
        transaction.begin();
        try {
            for (org.apache.flume.Event event = channel.take(); event != null; event = channel.take()) {
                events.add(event);
                if (events.size() > count) {
                    break;
                }
            }
            transaction.commit();
        } catch (RuntimeException e) {
            transaction.rollback();
            throw e;
        } finally {
            transaction.close();
        }
        return events;
    }

    private void sluiceSinkDeliversToFlumeSource(Map<String, String> flumeKeys, Map<String, String> sinkKeys)
            throws Exception {
        int port = freePort();
        MemoryChannel flumeChannel = flumeAgent(port, flumeKeys);
        TestChannel channel = new TestChannel(1000);
        List<Event> sent = Events.make("sluice-sink", 230);
        channel.putCommitted(sent);
        Map<String, String> keys = new HashMap<>(Map.of("hostname", "127.0.0.1", "port", Integer.toString(port),
                "batch-size", "100"));
        keys.putAll(sinkKeys);
        Sink sink = new AvroSinkFactory().create(TestContexts.sink("k1", keys, channel, data));
        sink.start();
        started.add(sink::stop);
        while (channel.size() > 0) {
            assertEquals(Sink.Status.READY, sink.process());
        }
        Events.assertSame(sent, fromFlume(drain(flumeChannel, sent.size())));
    }

    @Test
    void sluiceSinkToFlumeAvroSource() throws Exception {
        sluiceSinkDeliversToFlumeSource(Map.of(), Map.of());
    }

    @Test
    void sluiceSinkToFlumeAvroSourceWithDeflate() throws Exception {
        sluiceSinkDeliversToFlumeSource(Map.of("compression-type", "deflate"), Map.of("compression-type", "deflate"));
    }

    @Test
    void sluiceSinkToFlumeAvroSourceOverTls() throws Exception {
        TestTls tls = TestTls.create(data);
        sluiceSinkDeliversToFlumeSource(
                Map.of("ssl", "true", "keystore", tls.keystore.toString(), "keystore-password", TestTls.PASSWORD,
                        "keystore-type", "JKS"),
                Map.of("ssl", "true", "truststore", tls.truststore.toString(), "truststore-password",
                        TestTls.PASSWORD));
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}

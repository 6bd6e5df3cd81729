package org.sluice.rpc.thrift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flume.Context;
import org.apache.flume.channel.ChannelProcessor;
import org.apache.flume.channel.MemoryChannel;
import org.apache.flume.channel.ReplicatingChannelSelector;
import org.apache.flume.conf.Configurables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.api.testkit.TestChannel;
import org.sluice.testkit.TestContexts;

/** Sluice's thrift sink sending to Apache Flume 1.11.0's own ThriftSource, and to Sluice's. */
class ThriftSinkCompatibilityTest {
    @TempDir
    Path data;

    private org.apache.flume.source.ThriftSource flumeSource;
    private MemoryChannel flumeChannel;
    private ThriftSource sluiceSource;
    private Sink sink;

    @AfterEach
    void tearDown() {
        if (sink != null) {
            sink.stop();
        }
        if (flumeSource != null) {
            flumeSource.stop();
            flumeChannel.stop();
        }
        if (sluiceSource != null) {
            sluiceSource.stop();
        }
    }

    private int startFlumeSource(Map<String, String> extra) throws IOException {
        int port = freePort();
        flumeChannel = new MemoryChannel();
        flumeChannel.setName("flume-c1");
        Configurables.configure(flumeChannel, new Context(Map.of("capacity", "10000",
                "transactionCapacity", "1000")));
        ReplicatingChannelSelector selector = new ReplicatingChannelSelector();
        selector.setChannels(List.of(flumeChannel));
        flumeSource = new org.apache.flume.source.ThriftSource();
        flumeSource.setName("flume-r1");
        flumeSource.setChannelProcessor(new ChannelProcessor(selector));
        Map<String, String> properties = new HashMap<>(Map.of("bind", "127.0.0.1", "port", Integer.toString(port)));
        properties.putAll(extra);
        Configurables.configure(flumeSource, new Context(properties));
        flumeChannel.start();
        flumeSource.start();
        return port;
    }

    private List<org.apache.flume.Event> drainFlumeChannel() {
        List<org.apache.flume.Event> events = new ArrayList<>();
        org.apache.flume.Transaction tx = flumeChannel.getTransaction();
        tx.begin();
        try {
            for (org.apache.flume.Event event; (event = flumeChannel.take()) != null; ) {
                events.add(event);
            }
            tx.commit();
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        } finally {
            tx.close();
        }
        return events;
    }

    private Sink sink(TestChannel channel, int port, Map<String, String> extra) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of("hostname", "127.0.0.1", "port",
                Integer.toString(port), "batch-size", "50", "connect-timeout", "2000", "request-timeout", "5000"));
        properties.putAll(extra);
        sink = new ThriftSinkFactory().create(TestContexts.sink("k1", properties, channel, data));
        sink.start();
        return sink;
    }

    private static List<Event> events(int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(EventBuilder.withBody(("line " + i).getBytes(StandardCharsets.UTF_8),
                    Map.of("seq", Integer.toString(i), "topic", "clicks")));
        }
        return events;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private static void drainInto(Sink sink) throws EventDeliveryException {
        while (sink.process() == Sink.Status.READY) {
            // Each READY is one batch delivered and committed.
        }
    }

    @Test
    void batchesReachFlumesThriftSourceWithHeadersAndBodies() throws Exception {
        int port = startFlumeSource(Map.of());
        TestChannel channel = new TestChannel(1000);
        List<Event> sent = events(120);
        channel.putCommitted(sent);

        drainInto(sink(channel, port, Map.of()));

        List<org.apache.flume.Event> received = drainFlumeChannel();
        assertEquals(sent.size(), received.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(sent.get(i).getHeaders(), received.get(i).getHeaders());
            assertEquals(new String(sent.get(i).getBody(), StandardCharsets.UTF_8),
                    new String(received.get(i).getBody(), StandardCharsets.UTF_8));
        }
        assertEquals(0, channel.size(), "every take committed");
    }

    @Test
    void theBinaryProtocolReachesFlumeWhenBothEndsChooseIt() throws Exception {
        int port = startFlumeSource(Map.of("protocol", "binary"));
        TestChannel channel = new TestChannel(1000);
        channel.putCommitted(events(10));

        drainInto(sink(channel, port, Map.of("protocol", "binary")));

        assertEquals(10, drainFlumeChannel().size());
    }

    @Test
    void batchesReachFlumesThriftSourceOverTls() throws Exception {
        Path keystore = Keystores.serverKeystore(data);
        int port = startFlumeSource(Map.of("ssl", "true", "keystore", keystore.toString(), "keystore-password",
                Keystores.PASSWORD, "keystore-type", "PKCS12"));
        TestChannel channel = new TestChannel(1000);
        channel.putCommitted(events(40));

        drainInto(sink(channel, port, Map.of("ssl", "true", "truststore", keystore.toString(),
                "truststore-password", Keystores.PASSWORD, "truststore-type", "PKCS12")));

        assertEquals(40, drainFlumeChannel().size());
        assertEquals(0, channel.size());
    }

    @Test
    void withTheDestinationDownTheEventsStayInTheChannelAndGoWhenItIsBack() throws Exception {
        int port = freePort();
        TestChannel channel = new TestChannel(1000);
        channel.putCommitted(events(30));
        Sink thrift = sink(channel, port, Map.of());

        assertThrows(EventDeliveryException.class, thrift::process);
        assertEquals(30, channel.size(), "a failed batch is rolled back into the channel");

        RecordingChannelProcessor received = new RecordingChannelProcessor();
        sluiceSource = (ThriftSource) new ThriftSourceFactory().create(TestContexts.source("r1",
                Map.of("bind", "127.0.0.1", "port", Integer.toString(port)), received, data));
        sluiceSource.start();
        drainInto(thrift);

        assertEquals(30, received.accepted().size());
        assertEquals(0, channel.size());
    }

    @Test
    void aFailedAnswerRollsTheBatchBack() throws Exception {
        RecordingChannelProcessor received = new RecordingChannelProcessor();
        sluiceSource = (ThriftSource) new ThriftSourceFactory().create(TestContexts.source("r1",
                Map.of("bind", "127.0.0.1", "port", "0"), received, data));
        sluiceSource.start();
        TestChannel channel = new TestChannel(1000);
        channel.putCommitted(events(20));
        Sink thrift = sink(channel, sluiceSource.port(), Map.of());
        received.failNext(1);

        EventDeliveryException failed = assertThrows(EventDeliveryException.class, thrift::process);
        assertTrue(failed.getMessage().contains("FAILED"), failed.getMessage());
        assertEquals(20, channel.size());

        drainInto(thrift);
        assertEquals(20, received.accepted().size());
    }

    @Test
    void sluiceSinkReachesSluiceSourceOverTls() throws Exception {
        Path keystore = Keystores.serverKeystore(data);
        RecordingChannelProcessor received = new RecordingChannelProcessor();
        sluiceSource = (ThriftSource) new ThriftSourceFactory().create(TestContexts.source("r1",
                Map.of("bind", "127.0.0.1", "port", "0", "ssl", "true", "keystore", keystore.toString(),
                        "keystore-password", Keystores.PASSWORD, "keystore-type", "PKCS12"), received, data));
        sluiceSource.start();
        TestChannel channel = new TestChannel(1000);
        channel.putCommitted(events(15));

        drainInto(sink(channel, sluiceSource.port(), Map.of("ssl", "true", "truststore", keystore.toString(),
                "truststore-password", Keystores.PASSWORD, "truststore-type", "PKCS12")));

        assertEquals(15, received.accepted().size());
    }
}

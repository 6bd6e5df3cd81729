package org.sluice.rpc.avro;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.ByteBufferInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.api.source.SourceContext;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.api.testkit.TestChannel;
import org.sluice.testkit.TestContexts;

/** Sluice's avro sink against Sluice's avro source over 127.0.0.1, and hostile clients against the source. */
class AvroSourceSinkTest {
    @TempDir
    Path data;

    private final RecordingChannelProcessor processor = new RecordingChannelProcessor();
    @RegisterExtension
    final StartedParts started = new StartedParts();

    private AvroSource source(Map<String, String> extra) throws Exception {
        return started.source(extra, processor, data);
    }

    private SinkContext sinkContext(int port, TestChannel channel, Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(Map.of("hostname", "127.0.0.1", "port",
                Integer.toString(port), "connect-timeout", "2000", "request-timeout", "5000"));
        properties.putAll(extra);
        return TestContexts.sink("k1", properties, channel, data);
    }

    private Sink sink(SinkContext context) throws Exception {
        Sink sink = new AvroSinkFactory().create(context);
        sink.start();
        started.add(sink::stop);
        return sink;
    }

    private static ComponentCounters counters(Object context) {
        return TestContexts.countersOf(context);
    }

    private void deliverAll(Sink sink, TestChannel channel) throws EventDeliveryException {
        while (channel.size() > 0) {
            assertEquals(Sink.Status.READY, sink.process());
        }
    }

    @Test
    void sinkDeliversEveryEventToTheSourceInBatches() throws Exception {
        AvroSource source = source(Map.of());
        TestChannel channel = new TestChannel(1000);
        List<Event> sent = Events.make("plain", 250);
        channel.putCommitted(sent);
        SinkContext context = sinkContext(source.localPort(), channel, Map.of());
        Sink sink = sink(context);

        deliverAll(sink, channel);
        assertEquals(Sink.Status.BACKOFF, sink.process());

        Events.assertSame(sent, processor.accepted());
        ComponentCounters sinkCounters = counters(context);
        assertEquals(250, sinkCounters.get(SinkCounter.EVENT_DRAIN_SUCCESS));
        assertEquals(2, sinkCounters.get(SinkCounter.BATCH_COMPLETE));
        assertEquals(1, sinkCounters.get(SinkCounter.BATCH_UNDERFLOW));
        assertEquals(1, sinkCounters.get(SinkCounter.BATCH_EMPTY));
        assertEquals(1, sinkCounters.get(SinkCounter.CONNECTION_CREATED));
        ComponentCounters sourceCounters = counters(started.sourceContext());
        assertEquals(250, sourceCounters.get(SourceCounter.EVENT_RECEIVED));
        assertEquals(250, sourceCounters.get(SourceCounter.EVENT_ACCEPTED));
        assertEquals(3, sourceCounters.get(SourceCounter.APPEND_BATCH_RECEIVED));
        assertEquals(3, sourceCounters.get(SourceCounter.APPEND_BATCH_ACCEPTED));
        assertEquals(1, sourceCounters.get(SourceCounter.OPEN_CONNECTIONS));
    }

    @Test
    void refusedBatchIsAnsweredFailedAndStaysInTheSinksChannel() throws Exception {
        AvroSource source = source(Map.of());
        TestChannel channel = new TestChannel(1000);
        List<Event> sent = Events.make("refused", 30);
        channel.putCommitted(sent);
        SinkContext context = sinkContext(source.localPort(), channel, Map.of());
        Sink sink = sink(context);

        processor.failNext(1);
        EventDeliveryException failure = assertThrows(EventDeliveryException.class, sink::process);
        assertTrue(String.valueOf(failure.getCause()).contains("FAILED"), String.valueOf(failure.getCause()));
        assertEquals(30, channel.size(), "nothing left the channel");
        assertEquals(0, processor.accepted().size(), "nothing was half kept");
        assertEquals(1, counters(started.sourceContext()).get(SourceCounter.CHANNEL_WRITE_FAIL));
        assertEquals(0, counters(started.sourceContext()).get(SourceCounter.APPEND_BATCH_ACCEPTED));
        assertEquals(1, counters(context).get(SinkCounter.EVENT_WRITE_FAIL));

        // The next process() reconnects and delivers the same events once.
        assertEquals(Sink.Status.READY, sink.process());
        Events.assertSame(sent, processor.accepted());
        assertEquals(2, counters(context).get(SinkCounter.CONNECTION_CREATED));
    }

    @Test
    void sinkKeepsEventsWhileThePeerIsDownAndDeliversOnceItIsUp() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        TestChannel channel = new TestChannel(1000);
        List<Event> sent = Events.make("late", 10);
        channel.putCommitted(sent);
        SinkContext context = sinkContext(port, channel, Map.of());
        Sink sink = sink(context);
        assertThrows(EventDeliveryException.class, sink::process);
        assertEquals(10, channel.size());
        assertTrue(counters(context).get(SinkCounter.CONNECTION_FAILED) >= 1);

        source(Map.of("port", Integer.toString(port)));
        assertEquals(Sink.Status.READY, sink.process());
        Events.assertSame(sent, processor.accepted());
        assertEquals(0, channel.size());
    }

    @Test
    void aPeerThatNeverAnswersTimesOutAndTheBatchStays() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = new Thread(() -> {
                try (Socket client = silent.accept()) {
                    client.getInputStream().readAllBytes();
                } catch (IOException e) {
                    // The sink hung up: that is what the test waits for.
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            TestChannel channel = new TestChannel(1000);
            channel.putCommitted(Events.make("unanswered", 7));
            SinkContext context = sinkContext(silent.getLocalPort(), channel, Map.of("request-timeout", "1000"));
            Sink sink = sink(context);
            EventDeliveryException failure = assertThrows(EventDeliveryException.class, sink::process);
            assertTrue(String.valueOf(failure.getCause()).contains("request-timeout"), String.valueOf(failure.getCause()));
            assertEquals(7, channel.size());
            assertEquals(1, counters(context).get(SinkCounter.CONNECTION_CLOSED), "the connection was dropped");
        }
    }

    @Test
    void aPeerThatStallsAfterTheHandshakeTimesOutAndTheBatchStays() throws Exception {
        // The first batch is answered (that call carries the handshake); the second waits in the source's channel
        // processor far beyond the sink's request-timeout.
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        org.sluice.api.source.ChannelProcessor stalling = new org.sluice.api.source.ChannelProcessor() {
            @Override
            public void processEvent(Event event) {
                processEventBatch(List.of(event));
            }

            @Override
            public void processEventBatch(List<Event> events) {
                if (calls.incrementAndGet() > 1) {
                    try {
                        release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        SourceContext stallingContext = TestContexts.source("r1", Map.of("bind", "127.0.0.1", "port", "0"),
                stalling, data);
        AvroSource source = (AvroSource) new AvroSourceFactory().create(stallingContext);
        source.start();
        started.add(source::stop);
        started.add(release::countDown);
        TestChannel channel = new TestChannel(1000);
        channel.putCommitted(Events.make("answered", 5));
        SinkContext context = sinkContext(source.localPort(), channel, Map.of("request-timeout", "1000",
                "batch-size", "5"));
        Sink sink = sink(context);
        assertEquals(Sink.Status.READY, sink.process());
        assertEquals(0, channel.size());
        channel.putCommitted(Events.make("stalled", 5));
        long started = System.nanoTime();
        EventDeliveryException failure = assertThrows(EventDeliveryException.class, sink::process);
        long waitedMillis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(String.valueOf(failure.getCause()).contains("request-timeout"), String.valueOf(failure.getCause()));
        assertTrue(waitedMillis < 10_000, "gave up after request-timeout, not after " + waitedMillis + " ms");
        assertEquals(5, channel.size(), "the unanswered batch stays in the channel");
        assertEquals(1, counters(context).get(SinkCounter.CONNECTION_CLOSED), "the connection was dropped");
    }

    @Test
    void resetConnectionIntervalReconnectsBetweenBatches() throws Exception {
        AvroSource source = source(Map.of());
        TestChannel channel = new TestChannel(1000);
        SinkContext context = sinkContext(source.localPort(), channel, Map.of("reset-connection-interval", "1"));
        Sink sink = sink(context);
        List<Event> all = new ArrayList<>(Events.make("before-reset", 3));
        channel.putCommitted(all);
        deliverAll(sink, channel);
        assertEquals(1, counters(context).get(SinkCounter.CONNECTION_CREATED));
        // Batches keep coming; once the interval (1 s) has passed, the next one goes over a new connection.
        AtomicInteger batches = new AtomicInteger();
        await("a batch sent after reset-connection-interval over a new connection").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    List<Event> batch = Events.make("batch-" + batches.incrementAndGet(), 3);
                    channel.putCommitted(batch);
                    deliverAll(sink, channel);
                    all.addAll(batch);
                    return counters(context).get(SinkCounter.CONNECTION_CREATED) == 2;
                });
        Events.assertSame(all, processor.accepted());
        assertEquals(1, counters(context).get(SinkCounter.CONNECTION_CLOSED), "the old connection was closed");
    }

    @Test
    void sinkSurvivesThePeerRestartingWithoutLosingABatch() throws Exception {
        AvroSource first = source(Map.of());
        int port = first.localPort();
        TestChannel channel = new TestChannel(1000);
        SinkContext context = sinkContext(port, channel, Map.of());
        Sink sink = sink(context);
        List<Event> before = Events.make("before-restart", 5);
        channel.putCommitted(before);
        deliverAll(sink, channel);

        first.stop();
        source(Map.of("port", Integer.toString(port)));
        List<Event> after = Events.make("after-restart", 5);
        channel.putCommitted(after);
        // The old connection is gone: at most one call fails on it, rolled back, before the sink reconnects.
        int failures = 0;
        while (channel.size() > 0) {
            try {
                assertEquals(Sink.Status.READY, sink.process());
            } catch (EventDeliveryException e) {
                failures++;
                assertEquals(5, channel.size(), "a failed call keeps its batch");
            }
            assertTrue(failures <= 1, "failures: " + failures);
        }
        List<Event> all = new ArrayList<>(before);
        all.addAll(after);
        Events.assertSame(all, processor.accepted());
    }

    @Test
    void deflateOnBothSides() throws Exception {
        AvroSource source = source(Map.of("compression-type", "deflate", "threads", "1"));
        TestChannel channel = new TestChannel(1000);
        List<Event> sent = Events.make("deflate", 120);
        channel.putCommitted(sent);
        Sink sink = sink(sinkContext(source.localPort(), channel, Map.of("compression-type", "deflate",
                "compression-level", "9")));
        deliverAll(sink, channel);
        Events.assertSame(sent, processor.accepted());
    }

    @Test
    void tlsWithTrustStoreAndWithTrustAllCerts() throws Exception {
        TestTls tls = TestTls.create(data);
        AvroSource source = source(Map.of("ssl", "true", "keystore", tls.keystore.toString(), "keystore-password",
                TestTls.PASSWORD));
        TestChannel channel = new TestChannel(1000);
        List<Event> first = Events.make("tls-trusted", 5);
        channel.putCommitted(first);
        Sink trusted = sink(sinkContext(source.localPort(), channel, Map.of("ssl", "true", "truststore",
                tls.truststore.toString(), "truststore-password", TestTls.PASSWORD)));
        deliverAll(trusted, channel);

        List<Event> second = Events.make("tls-trust-all", 5);
        channel.putCommitted(second);
        Sink trustAll = sink(sinkContext(source.localPort(), channel, Map.of("ssl", "true", "trust-all-certs", "true")));
        deliverAll(trustAll, channel);

        List<Event> all = new ArrayList<>(first);
        all.addAll(second);
        Events.assertSame(all, processor.accepted());

        // Without TLS on the sink the source cannot be spoken to: nothing is delivered, nothing lost.
        channel.putCommitted(Events.make("plain-to-tls", 3));
        Sink plain = sink(sinkContext(source.localPort(), channel, Map.of("request-timeout", "1000")));
        assertThrows(EventDeliveryException.class, plain::process);
        assertEquals(3, channel.size());
    }

    @Test
    void aSourceRequiringClientCertificatesAcceptsOnlyTrustedOnes() throws Exception {
        TestTls server = TestTls.create(Files.createDirectories(data.resolve("server")));
        TestTls client = TestTls.create(Files.createDirectories(data.resolve("client")));
        TestTls stranger = TestTls.create(Files.createDirectories(data.resolve("stranger")));
        AvroSource source = source(Map.of("ssl", "true", "keystore", server.keystore.toString(), "keystore-password",
                TestTls.PASSWORD, "ssl-client-auth", "required", "truststore", client.truststore.toString(),
                "truststore-password", TestTls.PASSWORD));
        Map<String, String> trustingServer = Map.of("ssl", "true", "truststore", server.truststore.toString(),
                "truststore-password", TestTls.PASSWORD, "request-timeout", "2000");
        TestChannel channel = new TestChannel(1000);

        // No client certificate, then one the source does not trust: refused, the events stay.
        channel.putCommitted(Events.make("client-auth", 5));
        Sink anonymous = sink(sinkContext(source.localPort(), channel, trustingServer));
        assertThrows(EventDeliveryException.class, anonymous::process);
        Map<String, String> strangerKey = new HashMap<>(trustingServer);
        strangerKey.putAll(Map.of("keystore", stranger.keystore.toString(), "keystore-password", TestTls.PASSWORD));
        Sink untrusted = sink(sinkContext(source.localPort(), channel, strangerKey));
        assertThrows(EventDeliveryException.class, untrusted::process);
        assertEquals(5, channel.size());
        assertEquals(List.of(), processor.accepted());

        // The trusted client's certificate: delivered.
        Map<String, String> clientKey = new HashMap<>(trustingServer);
        clientKey.putAll(Map.of("keystore", client.keystore.toString(), "keystore-password", TestTls.PASSWORD));
        deliverAll(sink(sinkContext(source.localPort(), channel, clientKey)), channel);
        assertEquals(5, processor.accepted().size());
    }

    @Test
    void ipFilterRejectsDeniedClients() throws Exception {
        AvroSource source = source(Map.of("ipFilter", "true", "ipFilterRules", "allow:ip:10.*,deny:ip:127.0.0.?"));
        TestChannel channel = new TestChannel(1000);
        channel.putCommitted(Events.make("denied", 3));
        Sink sink = sink(sinkContext(source.localPort(), channel, Map.of("request-timeout", "1000")));
        assertThrows(EventDeliveryException.class, sink::process);
        assertEquals(3, channel.size());
        assertEquals(0, processor.accepted().size());
    }

    @Test
    void ipFilterLetsAllowedClientsIn() throws Exception {
        AvroSource source = source(Map.of("ipFilter", "true", "ipFilterRules", "deny:ip:10.*,allow:ip:127.*"));
        assertDelivers(source, "allowed");
    }

    @Test
    void garbageCostsOnlyItsOwnConnection() throws Exception {
        AvroSource source = source(Map.of());
        try (Socket garbage = new Socket("127.0.0.1", source.localPort())) {
            garbage.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(garbage.getOutputStream());
            // A valid frame header whose one buffer is not an Avro request at all.
            out.writeInt(1);
            out.writeInt(1);
            out.writeInt(16);
            out.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4, 5});
            out.flush();
            assertClosedByServer(garbage.getInputStream());
        }
        assertDelivers(source, "after-garbage");
    }

    @Test
    void hugeDeclaredSizesCloseTheConnectionWithoutAllocating() throws Exception {
        AvroSource source = source(Map.of("max-frame-size", "1048576"));
        try (Socket huge = new Socket("127.0.0.1", source.localPort())) {
            huge.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(huge.getOutputStream());
            out.writeInt(7);
            out.writeInt(1);
            out.writeInt(Integer.MAX_VALUE);
            out.flush();
            assertClosedByServer(huge.getInputStream());
        }
        try (Socket many = new Socket("127.0.0.1", source.localPort())) {
            many.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(many.getOutputStream());
            out.writeInt(8);
            out.writeInt(Integer.MAX_VALUE);
            out.flush();
            assertClosedByServer(many.getInputStream());
        }
        assertDelivers(source, "after-huge");
    }

    @Test
    void handshakeDeclaringAGigabyteProtocolInATinyFrameIsRefused() throws Exception {
        AvroSource source = source(Map.of());
        try (Socket hostile = new Socket("127.0.0.1", source.localPort())) {
            hostile.setSoTimeout(10_000);
            // HandshakeRequest: clientHash (16 bytes), clientProtocol = union branch 1 (string) of 2^30 bytes.
            // Avro's own decoder would allocate the gigabyte before finding the frame holds 22 bytes.
            byte[] request = new byte[16 + 1 + 5];
            request[16] = 0x02;
            byte[] gigabyte = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
            System.arraycopy(gigabyte, 0, request, 17, gigabyte.length);
            DataOutputStream out = new DataOutputStream(hostile.getOutputStream());
            out.writeInt(1);
            out.writeInt(1);
            out.writeInt(request.length);
            out.write(request);
            out.flush();
            assertClosedByServer(hostile.getInputStream());
        }
        assertDelivers(source, "after-hostile-handshake");
    }

    @Test
    void clientThatDisconnectsMidFrameLeavesNothingBehind() throws Exception {
        AvroSource source = source(Map.of());
        try (Socket partial = new Socket("127.0.0.1", source.localPort())) {
            DataOutputStream out = new DataOutputStream(partial.getOutputStream());
            out.writeInt(1);
            out.writeInt(1);
            out.writeInt(1000);
            out.write(new byte[100]);
            out.flush();
        }
        assertDelivers(source, "after-disconnect");
        assertEquals(Events.make("after-disconnect", 20).size(), processor.accepted().size());
    }

    private static org.sluice.support.guard.DecodeBudget unbounded() {
        return org.sluice.support.guard.DecodeBudget.forRequest("test", Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    @Test
    void declaredAvroLengthsBeyondTheFrameAreRefusedBeforeAllocation() {
        // A bytes field declaring 2^31 bytes (zig-zag varint), followed by nothing.
        byte[] request = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x10};
        BoundedDecoder in = new BoundedDecoder(DecoderFactory.get().binaryDecoder(new ByteBufferInputStream(
                List.of(java.nio.ByteBuffer.wrap(request))), null), request.length, unbounded());
        assertThrows(AvroRuntimeException.class, () -> in.readBytes(null));
        // A map declaring a million entries (well within Avro's own limits) in a three-byte frame.
        byte[] million = {(byte) 0x80, (byte) 0x89, 0x7a};
        BoundedDecoder map = new BoundedDecoder(DecoderFactory.get().binaryDecoder(million, null), million.length,
                unbounded());
        assertThrows(AvroRuntimeException.class, map::readMapStart);
    }

    @Test
    void configurationErrorsNameTheKey() {
        TestChannel channel = new TestChannel(10);
        assertKey("compression-type", () -> new AvroSourceFactory().create(TestContexts.source("r1",
                Map.of("bind", "127.0.0.1", "port", "4141", "compression-type", "zip"), processor, data)));
        assertKey("ipFilterRules", () -> new AvroSourceFactory().create(TestContexts.source("r1",
                Map.of("bind", "127.0.0.1", "port", "4141", "ipFilter", "true", "ipFilterRules", "allow:mac:*"),
                processor, data)));
        assertKey("keystore", () -> new AvroSourceFactory().create(TestContexts.source("r1",
                Map.of("bind", "127.0.0.1", "port", "4141", "ssl", "true", "keystore", data.resolve("none.jks")
                        .toString()), processor, data)));
        assertKey("batch-size", () -> new AvroSinkFactory().create(TestContexts.sink("k1",
                Map.of("hostname", "127.0.0.1", "port", "4141", "batch-size", "0"), channel, data)));
        assertKey("compression-level", () -> new AvroSinkFactory().create(TestContexts.sink("k1",
                Map.of("hostname", "127.0.0.1", "port", "4141", "compression-level", "12"), channel, data)));
    }

    private interface Creation {
        Object create() throws ConfigurationException;
    }

    private static void assertKey(String key, Creation creation) {
        ConfigurationException error = assertThrows(ConfigurationException.class, creation::create);
        assertTrue(error.getMessage().contains("'" + key + "'"), error.getMessage());
        assertTrue(error.getMessage().contains("test"), error.getMessage());
    }

    private static void assertClosedByServer(InputStream in) {
        try {
            while (in.read() >= 0) {
                // The server answers nothing to a bad request: it only closes.
            }
        } catch (IOException e) {
            // A reset is a close as well.
        }
    }

    @Test
    void aClientWithADifferentProtocolIsAnsweredThroughAvrosResolution() throws Exception {
        AvroSource source = source(Map.of());
        // Its events carry a field ours does not have: the source cannot read them byte for byte by its own
        // schema, and Avro's resolution drops the field.
        org.apache.avro.Protocol theirs = ProtocolVariants.eventWithExtraField();
        org.apache.avro.Schema eventSchema = theirs.getType("org.apache.flume.source.avro.AvroFlumeEvent");
        org.apache.avro.Schema request = theirs.getMessages().get(FlumeProtocol.APPEND_BATCH).getRequest();
        List<Event> sent = Events.make("other-protocol", 5);
        org.apache.avro.generic.GenericData.Array<org.apache.avro.generic.GenericRecord> records =
                new org.apache.avro.generic.GenericData.Array<>(sent.size(), request.getField("events").schema());
        for (Event event : sent) {
            org.apache.avro.generic.GenericRecord record = new org.apache.avro.generic.GenericData.Record(eventSchema);
            record.put("headers", event.getHeaders());
            record.put("body", java.nio.ByteBuffer.wrap(event.getBody()));
            record.put("priority", 7);
            records.add(record);
        }
        org.apache.avro.generic.GenericRecord parameters = new org.apache.avro.generic.GenericData.Record(request);
        parameters.put("events", records);
        try (org.apache.avro.ipc.netty.NettyTransceiver client = new org.apache.avro.ipc.netty.NettyTransceiver(
                new java.net.InetSocketAddress("127.0.0.1", source.localPort()))) {
            org.apache.avro.ipc.generic.GenericRequestor requestor =
                    new org.apache.avro.ipc.generic.GenericRequestor(theirs, client);
            // Twice: the first call carries the handshake, the second comes on the connected connection.
            assertEquals("OK", requestor.request(FlumeProtocol.APPEND_BATCH, parameters).toString());
            assertEquals("OK", requestor.request(FlumeProtocol.APPEND_BATCH, parameters).toString());
        }
        List<Event> twice = new ArrayList<>(sent);
        twice.addAll(sent);
        Events.assertSame(twice, processor.accepted());
    }

    @Test
    void aHostileRequestAfterTheHandshakeCostsOnlyItsConnection() throws Exception {
        AvroSource source = source(Map.of());
        // A Flume-protocol client handshakes with a good call, then sends an appendBatch whose one event declares a
        // body of 2^30 bytes in a frame of a few: refused before allocation, only that connection closes.
        try (org.apache.avro.ipc.netty.NettyTransceiver client = new org.apache.avro.ipc.netty.NettyTransceiver(
                new java.net.InetSocketAddress("127.0.0.1", source.localPort()))) {
            org.apache.avro.ipc.generic.GenericRequestor requestor =
                    new org.apache.avro.ipc.generic.GenericRequestor(FlumeProtocol.PROTOCOL, client);
            assertEquals("OK", requestor.request(FlumeProtocol.APPEND_BATCH,
                    FlumeProtocol.appendBatchRequest(Events.make("before-hostile", 3))).toString());
            // Metadata {} (0), name "appendBatch", one event (2), no headers (0), body of 2^30 bytes.
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            org.apache.avro.io.BinaryEncoder out = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
            out.writeMapStart();
            out.writeMapEnd();
            out.writeString(FlumeProtocol.APPEND_BATCH);
            out.flush();
            bytes.write(new byte[] {0x02, 0x00, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08});
            List<java.nio.ByteBuffer> answer;
            try {
                answer = client.transceive(List.of(java.nio.ByteBuffer.wrap(bytes.toByteArray())));
            } catch (java.io.IOException closed) {
                answer = null;
            }
            // Avro's transceiver reports the closed connection as an exception or as no answer, depending on the race
            // between the close and its wait; either way there is no answer, and the connection is gone.
            assertTrue(answer == null || answer.isEmpty(), "no answer to a hostile call: " + answer);
            await("the source to close the hostile connection").atMost(Duration.ofSeconds(10))
                    .until(() -> !client.isConnected());
        }
        assertEquals(3, processor.accepted().size());
        assertDelivers(source, "after-hostile-call");
    }

    private void assertDelivers(AvroSource source, String prefix) throws Exception {
        int before = processor.accepted().size();
        TestChannel channel = new TestChannel(1000);
        List<Event> sent = Events.make(prefix, 20);
        channel.putCommitted(sent);
        Sink sink = sink(sinkContext(source.localPort(), channel, Map.of()));
        deliverAll(sink, channel);
        Events.assertSame(sent, processor.accepted().subList(before, processor.accepted().size()));
    }
}

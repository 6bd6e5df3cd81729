package org.sluice.rpc.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.flume.EventDeliveryException;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.counter.SourceCounter;
import org.sluice.support.guard.DecodeBudget;
import org.sluice.support.guard.RequestTooLargeException;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

/**
 * The avro source under hostile clients (issue 15): what one request may decode to is bounded, idle sockets cannot
 * lock clients out, and nothing a client sends reaches a log line raw.
 */
class AvroSourceBoundsTest {
    @TempDir
    Path data;

    private final RecordingChannelProcessor processor = new RecordingChannelProcessor();
    @RegisterExtension
    final StartedParts started = new StartedParts();
    private final List<LogEvent> logged = new CopyOnWriteArrayList<>();
    private AbstractAppender capture;
    private Level rootLevel;

    @BeforeEach
    void captureLogs() {
        LoggerContext logContext = (LoggerContext) LogManager.getContext(false);
        capture = new AbstractAppender("capture-bounds", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                logged.add(event.toImmutable());
            }
        };
        capture.start();
        rootLevel = logContext.getConfiguration().getRootLogger().getLevel();
        logContext.getConfiguration().getRootLogger().setLevel(Level.INFO);
        logContext.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
        logContext.updateLoggers();
    }

    @AfterEach
    void stopAll() throws Exception {
        started.close();
        LoggerContext logContext = (LoggerContext) LogManager.getContext(false);
        logContext.getConfiguration().getRootLogger().removeAppender(capture.getName());
        logContext.getConfiguration().getRootLogger().setLevel(rootLevel);
        logContext.updateLoggers();
        capture.stop();
    }

    private AvroSource source(Map<String, String> extra) throws Exception {
        return started.source(extra, processor, data);
    }

    private RpcClient flumeClient(int port, int batchSize) {
        Properties properties = new Properties();
        properties.put("hosts", "h1");
        properties.put("hosts.h1", "127.0.0.1:" + port);
        properties.put("batch-size", Integer.toString(batchSize));
        properties.put("request-timeout", "60000");
        RpcClient client = RpcClientFactory.getInstance(properties);
        started.add(client::close);
        return client;
    }

    private long counter(String name) {
        return TestContexts.countersOf(started.sourceContext()).get(name);
    }

    private static List<org.apache.flume.Event> emptyEvents(int count) {
        org.apache.flume.Event empty = org.apache.flume.event.EventBuilder.withBody(new byte[0]);
        return Collections.nCopies(count, empty);
    }

    @Test
    void sixtyMegabytesOfEmptyEventsAreRefusedWithinASmallBudget() {
        // The finding: one legal 60 MB appendBatch of 30 million empty events decoded to about 6 GB of objects.
        int events = 30_000_000;
        ByteArrayOutputStream request = new ByteArrayOutputStream(2 * events + 32);
        request.write(0x00); // call metadata: an empty map
        writeString(request, FlumeProtocol.APPEND_BATCH);
        writeLong(request, events); // one block of 30 million items
        for (int i = 0; i < events; i++) {
            request.write(0x00); // no headers
            request.write(0x00); // an empty body
        }
        request.write(0x00);
        List<ByteBuffer> frame = List.of(ByteBuffer.wrap(request.toByteArray()));
        DecodeBudget budget = DecodeBudget.forRequest("avro request", DecodeBudget.DEFAULT_MAX_EVENTS,
                RequestGuard.size(frame));
        RequestTooLargeException refused = assertThrows(RequestTooLargeException.class,
                () -> DirectCall.read(frame, budget));
        assertTrue(refused.getMessage().contains("max-events-per-request"), refused.getMessage());
        // Refused on the declared count, before a single event was made.
        assertEquals(0, budget.events());
    }

    @Test
    void aBatchBeyondTheEventsBoundFailsForThatClientAloneWithTheReason() throws Exception {
        AvroSource source = source(Map.of("max-events-per-request", "1000"));
        RpcClient greedy = flumeClient(source.localPort(), 1001);
        // The first call carries Avro's handshake, answered by Avro's responder: a refusal there is FAILED only.
        greedy.appendBatch(emptyEvents(1));
        EventDeliveryException refused = assertThrows(EventDeliveryException.class,
                () -> greedy.appendBatch(emptyEvents(1001)));
        String reason = causes(refused);
        assertTrue(reason.contains("max-events-per-request"), reason);
        assertEquals(1, processor.accepted().size());
        assertEquals(1, counter(SourceCounter.EVENT_READ_FAIL));
        assertTrue(logged.stream().anyMatch(event -> event.getLevel() == Level.WARN
                && event.getMessage().getFormattedMessage().contains("max-events-per-request")));

        // Flume's client is dead after a failure; its sink makes a new one, which carries on, as does any other client.
        flumeClient(source.localPort(), 1000).appendBatch(emptyEvents(1000));
        RpcClient other = flumeClient(source.localPort(), 100);
        other.appendBatch(emptyEvents(100));
        assertEquals(1101, processor.accepted().size());
    }

    @Test
    void theGenericPathIsBoundedToo() throws Exception {
        AvroSource source = source(Map.of("max-events-per-request", "10"));
        org.apache.avro.Protocol theirs = ProtocolVariants.eventWithExtraField();
        org.apache.avro.Schema eventSchema = theirs.getType("org.apache.flume.source.avro.AvroFlumeEvent");
        org.apache.avro.Schema request = theirs.getMessages().get(FlumeProtocol.APPEND_BATCH).getRequest();
        try (org.apache.avro.ipc.netty.NettyTransceiver client = new org.apache.avro.ipc.netty.NettyTransceiver(
                new java.net.InetSocketAddress("127.0.0.1", source.localPort()))) {
            org.apache.avro.ipc.generic.GenericRequestor requestor =
                    new org.apache.avro.ipc.generic.GenericRequestor(theirs, client);
            assertEquals("FAILED", requestor.request(FlumeProtocol.APPEND_BATCH,
                    batchOf(request, eventSchema, 11)).toString());
            assertEquals("OK", requestor.request(FlumeProtocol.APPEND_BATCH, batchOf(request, eventSchema, 10))
                    .toString());
        }
        assertEquals(10, processor.accepted().size());
        assertEquals(1, counter(SourceCounter.EVENT_READ_FAIL));
        assertFalse(logged.stream().anyMatch(event -> event.getLoggerName().equals("org.apache.avro.ipc.Responder")),
                "Avro's responder logged: " + logged);
    }

    private static org.apache.avro.generic.GenericRecord batchOf(org.apache.avro.Schema request,
            org.apache.avro.Schema eventSchema, int count) {
        org.apache.avro.generic.GenericData.Array<org.apache.avro.generic.GenericRecord> records =
                new org.apache.avro.generic.GenericData.Array<>(count, request.getField("events").schema());
        for (int i = 0; i < count; i++) {
            org.apache.avro.generic.GenericRecord record = new org.apache.avro.generic.GenericData.Record(eventSchema);
            record.put("headers", Map.of());
            record.put("body", ByteBuffer.wrap(new byte[] {(byte) i}));
            record.put("priority", 1);
            records.add(record);
        }
        org.apache.avro.generic.GenericRecord parameters = new org.apache.avro.generic.GenericData.Record(request);
        parameters.put("events", records);
        return parameters;
    }

    @Test
    void anUnknownMessageNameNeverReachesALogLineRaw() throws Exception {
        AvroSource source = source(Map.of());
        String forged = "x\n2026-12-01 00:00:00,000 INFO  [main] everything is fine \u001b[2J";
        try (Socket hostile = new Socket("127.0.0.1", source.localPort())) {
            hostile.setSoTimeout(10_000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(new byte[16], 0, 16); // HandshakeRequest.clientHash
            request.write(0x00); // clientProtocol: null
            request.write(new byte[16], 0, 16); // serverHash
            request.write(0x00); // meta: null
            request.write(0x00); // call metadata: an empty map
            writeString(request, forged);
            writeFrame(hostile, 1, request.toByteArray());
            assertClosedByServer(hostile.getInputStream());
        }
        assertEquals(1, counter(SourceCounter.EVENT_READ_FAIL));
        for (LogEvent event : logged) {
            String line = event.getMessage().getFormattedMessage();
            assertFalse(line.contains("\n") || line.contains("\u001b"), "a raw control character was logged: " + line);
            assertTrue(event.getThrown() == null, "a stack trace was logged for a client's request: " + line);
            assertFalse(event.getLoggerName().equals("org.apache.avro.ipc.Responder"), "Avro's responder logged: "
                    + line);
        }
        assertTrue(logged.stream().anyMatch(event -> event.getMessage().getFormattedMessage()
                .contains("x\\n2026-12-01")), "the escaped name is in the log: " + logged);
    }

    @Test
    void aFloodOfBadRequestsCostsTheLogOneLine() throws Exception {
        AvroSource source = source(Map.of());
        for (int i = 0; i < 20; i++) {
            try (Socket hostile = new Socket("127.0.0.1", source.localPort())) {
                hostile.setSoTimeout(10_000);
                DataOutputStream out = new DataOutputStream(hostile.getOutputStream());
                out.writeInt(1);
                out.writeInt(-5);
                out.flush();
                assertClosedByServer(hostile.getInputStream());
            }
        }
        long lines = logged.stream().filter(event -> event.getLoggerName().equals(AvroSource.LOG.getName())
                && event.getLevel() == Level.WARN).count();
        assertEquals(1, lines, "logged: " + logged);
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        AvroSource source = source(Map.of("idle-timeout", "1"));
        try (Socket idle = new Socket("127.0.0.1", source.localPort())) {
            idle.setSoTimeout(20_000);
            long start = System.nanoTime();
            assertEquals(-1, idle.getInputStream().read());
            assertTrue(System.nanoTime() - start < 15_000_000_000L);
        }
    }

    @Test
    void idleSocketsCannotLockAClientOut() throws Exception {
        AvroSource source = source(Map.of("max-connections", "8"));
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 32; i++) {
                Socket socket = new Socket("127.0.0.1", source.localPort());
                socket.setSoTimeout(10_000);
                idle.add(socket);
            }
            RpcClient client = flumeClient(source.localPort(), 100);
            client.appendBatch(emptyEvents(100));
            assertEquals(100, processor.accepted().size());
            // The first idle sockets were closed to make room.
            assertEquals(-1, idle.get(0).getInputStream().read());
            long open = counter(SourceCounter.OPEN_CONNECTIONS);
            assertTrue(open <= 8, "open connections: " + open);
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    private static String causes(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t).append(" / ");
        }
        return all.toString();
    }

    private static void writeFrame(Socket socket, int serial, byte[] request) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(serial);
        out.writeInt(1);
        out.writeInt(request.length);
        out.write(request);
        out.flush();
    }

    private static void writeString(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeLong(out, bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    private static void writeLong(ByteArrayOutputStream out, long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        while ((zigzag & ~0x7FL) != 0) {
            out.write((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
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

}

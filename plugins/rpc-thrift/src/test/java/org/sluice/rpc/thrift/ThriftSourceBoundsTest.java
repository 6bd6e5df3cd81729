package org.sluice.rpc.thrift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.flume.EventDeliveryException;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TList;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TMemoryBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.source.SourceContext;
import org.sluice.support.guard.DecodeBudget;
import org.sluice.support.guard.RequestTooLargeException;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

/** The thrift source under hostile clients (issue 15). */
class ThriftSourceBoundsTest {
    @TempDir
    Path data;

    private final RecordingChannelProcessor channels = new RecordingChannelProcessor();
    private final List<AutoCloseable> running = new ArrayList<>();
    private ThriftSource source;
    private SourceContext context;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        if (source != null) {
            source.stop();
        }
    }

    private ThriftSource start(Map<String, String> extra) throws Exception {
        context = TestContexts.listeningSource(extra, channels, data);
        source = (ThriftSource) new ThriftSourceFactory().create(context);
        source.start();
        return source;
    }

    private RpcClient flumeClient(int batchSize, Map<String, String> extra) {
        Properties properties = new Properties();
        properties.setProperty("client.type", "thrift");
        properties.setProperty("hosts", "h1");
        properties.setProperty("hosts.h1", "127.0.0.1:" + source.port());
        properties.setProperty("batch-size", Integer.toString(batchSize));
        properties.setProperty("request-timeout", "30000");
        properties.putAll(extra);
        RpcClient client = RpcClientFactory.getInstance(properties);
        running.add(client::close);
        return client;
    }

    private static List<org.apache.flume.Event> emptyEvents(int count) {
        return Collections.nCopies(count, org.apache.flume.event.EventBuilder.withBody(new byte[0]));
    }

    private long counter(String name) {
        return TestContexts.countersOf(context).get(name);
    }

    @Test
    void aFrameOfEmptyEventsIsRefusedWithinASmallBudget() throws Exception {
        // The finding's shape on Thrift: a frame of empty events decodes to about 35 times its size. Thrift's
        // compact encoding of an empty event is 4 bytes (headers map of 0, empty body, stop).
        int events = 4_000_000;
        TMemoryBuffer frame = new TMemoryBuffer(16 * events + 64);
        TCompactProtocol out = new TCompactProtocol(frame);
        out.writeMessageBegin(new TMessage(FlumeThriftProtocol.APPEND_BATCH, TMessageType.CALL, 1));
        out.writeStructBegin(new org.apache.thrift.protocol.TStruct("appendBatch_args"));
        out.writeFieldBegin(new org.apache.thrift.protocol.TField("events", TType.LIST, (short) 1));
        out.writeListBegin(new TList(TType.STRUCT, events));
        for (int i = 0; i < events; i++) {
            FlumeThriftProtocol.writeEvent(out, org.sluice.api.event.EventBuilder.withBody(new byte[0]));
        }
        out.writeListEnd();
        TCompactProtocol in = new TCompactProtocol(frame);
        in.readMessageBegin();
        DecodeBudget budget = DecodeBudget.forRequest("thrift request", DecodeBudget.DEFAULT_MAX_EVENTS,
                frame.length());
        RequestTooLargeException refused = assertThrows(RequestTooLargeException.class,
                () -> FlumeThriftProtocol.readEventsArgument(in, FlumeThriftProtocol.APPEND_BATCH, budget));
        assertTrue(refused.getMessage().contains("max-events-per-request"));
        assertEquals(0, budget.events(), "refused on the declared count, before any event was made");
    }

    @Test
    void aBatchBeyondTheBoundFailsForThatClientAloneWithTheReason() throws Exception {
        start(Map.of("max-events-per-request", "1000"));
        EventDeliveryException refused = assertThrows(EventDeliveryException.class,
                () -> flumeClient(1001, Map.of()).appendBatch(emptyEvents(1001)));
        StringBuilder reason = new StringBuilder();
        for (Throwable t = refused; t != null; t = t.getCause()) {
            reason.append(t).append(" / ");
        }
        assertTrue(reason.toString().contains("max-events-per-request"), reason.toString());
        assertEquals(1, counter(SourceCounter.EVENT_READ_FAIL));
        assertEquals(0, channels.accepted().size());
        flumeClient(1000, Map.of()).appendBatch(emptyEvents(1000));
        assertEquals(1000, channels.accepted().size());
    }

    @Test
    void sluicesBoundsBelowOneAreRefusedNamingTheKey() {
        for (String key : List.of("max-events-per-request", "max-connections")) {
            SourceContext refused = TestContexts.listeningSource(Map.of(key, "0"), channels, data);
            org.sluice.api.component.ConfigurationException e = assertThrows(
                    org.sluice.api.component.ConfigurationException.class,
                    () -> new ThriftSourceFactory().create(refused));
            assertEquals(key, e.key());
        }
    }

    @Test
    void idleTlsConnectionsCannotLockTlsClientsOut() throws Exception {
        // The finding: 16 idle TCP connections locked every TLS client out of a thrift source.
        Path keystore = Keystores.serverKeystore(data);
        start(Map.of("ssl", "true", "keystore", keystore.toString(), "keystore-password", Keystores.PASSWORD,
                "keystore-type", "PKCS12", "max-connections", "16"));
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                Socket socket = new Socket("127.0.0.1", source.port());
                socket.setSoTimeout(20_000);
                idle.add(socket);
            }
            flumeClient(100, Map.of("ssl", "true", "truststore", keystore.toString(), "truststore-password",
                    Keystores.PASSWORD, "truststore-type", "PKCS12")).appendBatch(emptyEvents(100));
            assertEquals(100, channels.accepted().size());
            assertEquals(-1, readToEnd(idle.get(0)), "the longest idle was closed to make room");
            assertTrue(counter(SourceCounter.OPEN_CONNECTIONS) <= 16);
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    @Test
    void idleConnectionsAreClosedWithAndWithoutTls() throws Exception {
        start(Map.of("idle-timeout", "1"));
        assertClosedWithin(15_000);
        source.stop();
        source = null;
        Path keystore = Keystores.serverKeystore(data);
        start(Map.of("idle-timeout", "1", "ssl", "true", "keystore", keystore.toString(), "keystore-password",
                Keystores.PASSWORD, "keystore-type", "PKCS12"));
        assertClosedWithin(15_000);
    }

    private void assertClosedWithin(long millis) throws IOException {
        try (Socket idle = new Socket("127.0.0.1", source.port())) {
            idle.setSoTimeout((int) millis);
            long started = System.nanoTime();
            assertEquals(-1, readToEnd(idle));
            assertTrue(System.nanoTime() - started < millis * 1_000_000L);
        }
    }

    /** -1 once the server closed the connection; a TLS server says so with an alert first, which is skipped. */
    private static int readToEnd(Socket socket) throws IOException {
        byte[] skipped = new byte[256];
        while (socket.getInputStream().read(skipped) >= 0) {
            // the close_notify alert of a TLS server
        }
        return -1;
    }

    @Test
    void garbageIsAnsweredAndCountedNotLoggedWithAStackTrace() throws Exception {
        start(Map.of());
        try (Socket hostile = new Socket("127.0.0.1", source.port())) {
            hostile.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(hostile.getOutputStream());
            byte[] garbage = {(byte) 0x82, 0x21, 0x01, 0x0b, 'a', 'p', 'p', 'e', 'n', 'd', 'B', 'a', 't', 'c', 'h',
                0x19, (byte) 0xfc, 0x07, 0x07, 0x07};
            out.writeInt(garbage.length);
            out.write(garbage);
            out.flush();
            // An answer (an exception message) comes back: the frame is consumed and the connection stays in step.
            int length = new java.io.DataInputStream(hostile.getInputStream()).readInt();
            assertTrue(length > 0);
        }
        assertEquals(1, counter(SourceCounter.EVENT_READ_FAIL));
        flumeClient(10, Map.of()).appendBatch(emptyEvents(10));
        assertEquals(10, channels.accepted().size());
    }
}

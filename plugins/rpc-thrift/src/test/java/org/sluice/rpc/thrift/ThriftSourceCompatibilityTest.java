package org.sluice.rpc.thrift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.source.SourceContext;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

/** Apache Flume 1.11.0's own Thrift client (flume-ng-sdk) sending to Sluice's thrift source. */
class ThriftSourceCompatibilityTest {
    @TempDir
    Path data;

    private final RecordingChannelProcessor channels = new RecordingChannelProcessor();
    private ThriftSource source;
    private SourceContext context;
    private RpcClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
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

    private RpcClient flumeClient(Map<String, String> extra) {
        Properties properties = new Properties();
        properties.setProperty("client.type", "thrift");
        properties.setProperty("hosts", "h1");
        properties.setProperty("hosts.h1", "127.0.0.1:" + source.port());
        properties.setProperty("batch-size", "100");
        properties.putAll(extra);
        client = RpcClientFactory.getInstance(properties);
        return client;
    }

    private static List<org.apache.flume.Event> flumeEvents(int count) {
        List<org.apache.flume.Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, String> headers = new HashMap<>();
            headers.put("seq", Integer.toString(i));
            headers.put("host", "web-" + (i % 3));
            events.add(org.apache.flume.event.EventBuilder.withBody(("event " + i + " \u00e9").getBytes(
                    StandardCharsets.UTF_8), headers));
        }
        return events;
    }

    private static void assertSame(List<org.apache.flume.Event> sent, List<Event> received) {
        assertEquals(sent.size(), received.size(), "events received");
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(sent.get(i).getHeaders(), received.get(i).getHeaders(), "headers of event " + i);
            assertEquals(new String(sent.get(i).getBody(), StandardCharsets.UTF_8),
                    new String(received.get(i).getBody(), StandardCharsets.UTF_8), "body of event " + i);
        }
    }

    @Test
    void flumesDefaultThriftClientDeliversBatchesAndSingleEvents() throws Exception {
        start(Map.of());
        // RpcClientFactory.getThriftInstance: Flume's defaults on both sides, no protocol named.
        client = RpcClientFactory.getThriftInstance("127.0.0.1", source.port(), 100);
        List<org.apache.flume.Event> sent = flumeEvents(250);

        client.appendBatch(sent.subList(0, 249));
        client.append(sent.get(249));

        assertSame(sent, channels.accepted());
        ComponentCounters counters = TestContexts.countersOf(context);
        assertEquals(250, counters.get(SourceCounter.EVENT_ACCEPTED));
        // Flume's client splits the 249 events into its batch-size of 100: 100, 100, 49.
        assertEquals(3, counters.get(SourceCounter.APPEND_BATCH_ACCEPTED));
        assertEquals(1, counters.get(SourceCounter.APPEND_ACCEPTED));
    }

    @Test
    void theBinaryProtocolWorksWhenBothEndsChooseIt() throws Exception {
        start(Map.of("protocol", "binary"));
        List<org.apache.flume.Event> sent = flumeEvents(30);

        flumeClient(Map.of("protocol", "binary")).appendBatch(sent);

        assertSame(sent, channels.accepted());
    }

    @Test
    void aRefusedBatchIsKeptNowhereAndTheClientCanSendItAgain() throws Exception {
        start(Map.of());
        RpcClient flume = flumeClient(Map.of());
        List<org.apache.flume.Event> sent = flumeEvents(10);
        channels.failNext(1);

        assertThrows(org.apache.flume.EventDeliveryException.class, () -> flume.appendBatch(sent));
        assertEquals(List.of(), channels.accepted(), "nothing of a refused batch is kept");

        flume.appendBatch(sent);
        assertSame(sent, channels.accepted());
    }

    @Test
    void garbageAndAHugeDeclaredFrameCostOnlyTheirConnection() throws Exception {
        start(Map.of());
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        for (byte[] attack : List.of(noise, new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3})) {
            try (Socket socket = new Socket("127.0.0.1", source.port())) {
                socket.setSoTimeout(10_000);
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.write(attack);
                out.flush();
                InputStream in = socket.getInputStream();
                // The source closes the connection: end of stream (or a reset), never an answer.
                int read;
                try {
                    read = in.read();
                } catch (java.net.SocketException reset) {
                    read = -1;
                }
                assertEquals(-1, read, "the source answered garbage");
            }
        }

        List<org.apache.flume.Event> sent = flumeEvents(5);
        flumeClient(Map.of()).appendBatch(sent);
        assertSame(sent, channels.accepted());
    }

    @Test
    void flumesClientReachesTheSourceOverTls() throws Exception {
        Path keystore = Keystores.serverKeystore(data);
        start(Map.of("ssl", "true", "keystore", keystore.toString(), "keystore-password", Keystores.PASSWORD,
                "keystore-type", "PKCS12"));
        List<org.apache.flume.Event> sent = flumeEvents(20);

        // Flume's Thrift client trusts what its truststore holds: here the server's own certificate.
        flumeClient(Map.of("ssl", "true", "truststore", keystore.toString(), "truststore-password",
                Keystores.PASSWORD, "truststore-type", "PKCS12")).appendBatch(sent);

        assertSame(sent, channels.accepted());
    }

    @Test
    void badKeysAreErrorsNamingTheKey() {
        ThriftSourceFactory factory = new ThriftSourceFactory();
        ConfigurationException protocol = assertThrows(ConfigurationException.class, () -> factory.create(
                TestContexts.source("r1", Map.of("bind", "127.0.0.1", "port", "0", "protocol", "json"), channels,
                        data)));
        assertTrue(protocol.getMessage().contains("'protocol'"), protocol.getMessage());

        ConfigurationException keystore = assertThrows(ConfigurationException.class, () -> factory.create(
                TestContexts.source("r1", Map.of("bind", "127.0.0.1", "port", "0", "ssl", "true", "keystore",
                        data.resolve("missing.jks").toString()), channels, data)));
        assertTrue(keystore.getMessage().contains("'keystore'"), keystore.getMessage());

        ConfigurationException kerberos = assertThrows(ConfigurationException.class, () -> factory.create(
                TestContexts.source("r1", Map.of("bind", "127.0.0.1", "port", "0", "kerberos", "true"), channels,
                        data)));
        // Kerberos without a principal (ThriftKerberosTest covers the rest).
        assertTrue(kerberos.getMessage().contains("'agent-principal'"), kerberos.getMessage());
    }
}

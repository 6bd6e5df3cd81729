package org.sluice.rpc.thrift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.flume.Context;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.apache.flume.api.SecureRpcClientFactory;
import org.apache.flume.channel.ChannelProcessor;
import org.apache.flume.channel.MemoryChannel;
import org.apache.flume.channel.ReplicatingChannelSelector;
import org.apache.flume.conf.Configurables;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.api.testkit.TestChannel;
import org.sluice.kdc.TestKdc;
import org.sluice.testkit.TestContexts;

/**
 * Kerberos on the Thrift hop, against a real KDC, both ways with Apache Flume 1.11.0: Flume's Kerberos Thrift client
 * (SecureRpcClientFactory, what Flume's thrift sink uses with {@code kerberos = true}) sends to Sluice's thrift source,
 * and Sluice's thrift sink sends to Flume's ThriftSource with Kerberos, and to Sluice's own. Flume logs in through
 * Hadoop's UserGroupInformation, one principal per JVM (Flume allows no other), {@code flume/HOST}; Sluice's source is
 * {@code thrift/HOST}, its sink {@code sluice/HOST}.
 */
class ThriftKerberosTest {
    private static TestKdc kdc;
    private static String host;
    private static Path flumeKeytab;
    private static Path sourceKeytab;
    private static Path sinkKeytab;

    @TempDir
    Path data;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void startKdc() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "kerberos")).toAbsolutePath();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile()
                    .delete());
        }
        kdc = TestKdc.start(dir.resolve("kdc")).useInThisJvm();
        host = TestKdc.loopbackHostName();
        flumeKeytab = kdc.keytab("flume.keytab", "flume/" + host);
        sourceKeytab = kdc.keytab("thrift.keytab", "thrift/" + host);
        sinkKeytab = kdc.keytab("sluice.keytab", "sluice/" + host);
    }

    @AfterAll
    static void stopKdc() throws Exception {
        if (kdc != null) {
            kdc.close();
        }
    }

    @AfterEach
    void close() throws Exception {
        // Last opened, first closed: clients before the sources they talk to.
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void flumesKerberosClientDeliversToTheSourceAndAClientWithoutKerberosIsRefused() throws Exception {
        RecordingChannelProcessor channels = new RecordingChannelProcessor();
        ThriftSource source = kerberosSource(channels);

        RpcClient client = flumeKerberosClient(source.port(), Map.of());
        List<org.apache.flume.Event> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(org.apache.flume.event.EventBuilder.withBody(("kerberized " + i).getBytes(StandardCharsets.UTF_8),
                    Map.of("n", Integer.toString(i))));
        }
        client.appendBatch(sent.subList(0, 19));
        client.append(sent.get(19));
        assertEquals(20, channels.accepted().size());
        for (int i = 0; i < 20; i++) {
            assertEquals("kerberized " + i, new String(channels.accepted().get(i).getBody(), StandardCharsets.UTF_8));
            assertEquals(Integer.toString(i), channels.accepted().get(i).getHeaders().get("n"));
        }

        // Flume's plain Thrift client (framed, no SASL) gets nothing in.
        Properties plain = new Properties();
        plain.setProperty("client.type", "thrift");
        plain.setProperty("hosts", "h1");
        plain.setProperty("hosts.h1", "127.0.0.1:" + source.port());
        plain.setProperty("request-timeout", "3000");
        plain.setProperty("connect-timeout", "3000");
        RpcClient anonymous = RpcClientFactory.getInstance(plain);
        toClose.add(anonymous::close);
        assertThrows(org.apache.flume.EventDeliveryException.class, () -> anonymous.append(
                org.apache.flume.event.EventBuilder.withBody("anonymous".getBytes(StandardCharsets.UTF_8))));
        assertEquals(20, channels.accepted().size());

        // A handshake message declaring 50 MB, before any authentication: the source ends the connection at the
        // header, without waiting for (or allocating) the payload; Kerberos clients are still served.
        try (java.net.Socket raw = new java.net.Socket("127.0.0.1", source.port())) {
            raw.setSoTimeout(5000);
            java.io.DataOutputStream out = new java.io.DataOutputStream(raw.getOutputStream());
            out.writeByte(1); // START
            out.writeInt(50_000_000);
            out.flush();
            int answer;
            try {
                answer = raw.getInputStream().read();
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("the source waited for the 50 MB payload", e);
            } catch (java.net.SocketException e) {
                answer = -1; // reset: closed as well
            }
            assertEquals(-1, answer, "the connection ended");
        }
        client.append(org.apache.flume.event.EventBuilder.withBody("after".getBytes(StandardCharsets.UTF_8)));
        assertEquals(21, channels.accepted().size());
    }

    @Test
    void theSinkDeliversToFlumesKerberosThriftSourceAndToSluicesOwn() throws Exception {
        // Flume 1.11.0's ThriftSource with kerberos = true, logged in as flume/HOST.
        MemoryChannel flumeChannel = new MemoryChannel();
        flumeChannel.setName("flume-c1");
        Configurables.configure(flumeChannel, new Context(Map.of("capacity", "1000", "transactionCapacity", "100")));
        ReplicatingChannelSelector selector = new ReplicatingChannelSelector();
        selector.setChannels(List.of(flumeChannel));
        org.apache.flume.source.ThriftSource flumeSource = new org.apache.flume.source.ThriftSource();
        flumeSource.setName("flume-r1");
        flumeSource.setChannelProcessor(new ChannelProcessor(selector));
        int port = freePort();
        Configurables.configure(flumeSource, new Context(Map.of("bind", "127.0.0.1", "port", Integer.toString(port),
                "kerberos", "true", "agent-principal", kdc.principal("flume/" + host), "agent-keytab",
                flumeKeytab.toString())));
        flumeChannel.start();
        flumeSource.start();
        toClose.add(flumeSource::stop);
        toClose.add(flumeChannel::stop);

        TestChannel channel = new TestChannel(100);
        channel.putCommitted(events("to flume", 30));
        Sink sink = kerberosSink(channel, port, "flume/" + host);
        drain(sink, channel);
        List<String> received = new ArrayList<>();
        org.apache.flume.Transaction take = flumeChannel.getTransaction();
        take.begin();
        for (org.apache.flume.Event event; (event = flumeChannel.take()) != null; ) {
            received.add(new String(event.getBody(), StandardCharsets.UTF_8) + "|" + event.getHeaders().get("n"));
        }
        take.commit();
        take.close();
        assertEquals(30, received.size());
        assertEquals("to flume 0|0", received.get(0));
        assertEquals("to flume 29|29", received.get(29));

        // Sluice to Sluice.
        RecordingChannelProcessor channels = new RecordingChannelProcessor();
        ThriftSource source = kerberosSource(channels);
        channel.putCommitted(events("to sluice", 10));
        drain(kerberosSink(channel, source.port(), "thrift/" + host), channel);
        assertEquals(10, channels.accepted().size());
        assertEquals("to sluice 9", new String(channels.accepted().get(9).getBody(), StandardCharsets.UTF_8));

        // A sink that names the wrong principal for the source cannot authenticate: the batch stays in the channel.
        channel.putCommitted(events("refused", 1));
        Sink wrongServer = kerberosSink(channel, source.port(), "other/" + host);
        EventDeliveryException refused = assertThrows(EventDeliveryException.class, wrongServer::process);
        assertTrue(String.valueOf(refused.getCause()).contains("Kerberos"), String.valueOf(refused.getCause()));
        assertEquals(1, channel.size());
        assertEquals(10, channels.accepted().size());
    }

    @Test
    void kerberosOverTlsWithFlumesClientAndBetweenSluiceAgents() throws Exception {
        Path keystore = Keystores.serverKeystore(data);
        RecordingChannelProcessor channels = new RecordingChannelProcessor();
        ThriftSource source = kerberosSource(channels, Map.of("ssl", "true", "keystore", keystore.toString(),
                "keystore-password", Keystores.PASSWORD, "keystore-type", "PKCS12"));

        RpcClient client = flumeKerberosClient(source.port(), Map.of("ssl", "true", "truststore", keystore.toString(),
                "truststore-password", Keystores.PASSWORD, "truststore-type", "PKCS12"));
        client.append(org.apache.flume.event.EventBuilder.withBody("from flume over tls".getBytes(
                StandardCharsets.UTF_8)));
        assertEquals("from flume over tls", new String(channels.accepted().get(0).getBody(), StandardCharsets.UTF_8));

        TestChannel channel = new TestChannel(100);
        channel.putCommitted(events("over tls", 5));
        drain(kerberosSink(channel, source.port(), "thrift/" + host, Map.of("ssl", "true", "truststore",
                keystore.toString(), "truststore-password", Keystores.PASSWORD, "truststore-type", "PKCS12")),
                channel);
        assertEquals(6, channels.accepted().size());
        assertEquals("over tls 4", new String(channels.accepted().get(5).getBody(), StandardCharsets.UTF_8));
    }

    @Test
    void missingOrUnusableKerberosSettingsAreRefusedNamingTheKey() throws Exception {
        ConfigurationException noPrincipal = assertThrows(ConfigurationException.class, () -> new ThriftSourceFactory()
                .create(TestContexts.listeningSource(Map.of("kerberos", "true", "agent-keytab", sourceKeytab
                        .toString()), new RecordingChannelProcessor(), data)));
        assertTrue(noPrincipal.getMessage().contains("agent-principal"), noPrincipal.getMessage());
        ConfigurationException noKeytab = assertThrows(ConfigurationException.class, () -> new ThriftSinkFactory()
                .create(TestContexts.sink("k1", Map.of("hostname", "127.0.0.1", "port", "4141", "kerberos", "true",
                        "client-principal", kdc.principal("sluice/" + host), "client-keytab", "/no/such.keytab",
                        "server-principal", kdc.principal("thrift/" + host)), new TestChannel(1), data)));
        assertTrue(noKeytab.getMessage().contains("client-keytab"), noKeytab.getMessage());
        ConfigurationException noServer = assertThrows(ConfigurationException.class, () -> new ThriftSinkFactory()
                .create(TestContexts.sink("k1", Map.of("hostname", "127.0.0.1", "port", "4141", "kerberos", "true",
                        "client-principal", kdc.principal("sluice/" + host), "client-keytab", sinkKeytab.toString()),
                        new TestChannel(1), data)));
        assertTrue(noServer.getMessage().contains("server-principal"), noServer.getMessage());

        // A keytab without the principal's key: the start fails, naming both keys.
        Sink wrongKeytab = new ThriftSinkFactory().create(TestContexts.sink("k1", Map.of("hostname", "127.0.0.1",
                "port", "4141", "kerberos", "true", "client-principal", kdc.principal("sluice/" + host),
                "client-keytab", flumeKeytab.toString(), "server-principal", kdc.principal("thrift/" + host)),
                new TestChannel(1), data));
        IllegalStateException failed = assertThrows(IllegalStateException.class, wrongKeytab::start);
        assertTrue(failed.getMessage().contains("client-principal") && failed.getMessage().contains("client-keytab"),
                failed.getMessage());
    }

    /** Flume 1.11.0's Kerberos Thrift client (as Flume's thrift sink makes it) to a source at {@code port}. */
    private RpcClient flumeKerberosClient(int port, Map<String, String> extra) {
        Properties properties = new Properties();
        properties.setProperty("hosts", "h1");
        properties.setProperty("hosts.h1", "127.0.0.1:" + port);
        properties.setProperty("kerberos", "true");
        properties.setProperty("client-principal", kdc.principal("flume/" + host));
        properties.setProperty("client-keytab", flumeKeytab.toString());
        properties.setProperty("server-principal", kdc.principal("thrift/" + host));
        properties.putAll(extra);
        RpcClient client = SecureRpcClientFactory.getThriftInstance(properties);
        toClose.add(client::close);
        return client;
    }

    private ThriftSource kerberosSource(RecordingChannelProcessor channels) throws Exception {
        return kerberosSource(channels, Map.of());
    }

    private ThriftSource kerberosSource(RecordingChannelProcessor channels, Map<String, String> extra)
            throws Exception {
        Map<String, String> keys = new HashMap<>(Map.of("kerberos", "true", "agent-principal",
                kdc.principal("thrift/" + host), "agent-keytab", sourceKeytab.toString()));
        keys.putAll(extra);
        ThriftSource source = (ThriftSource) new ThriftSourceFactory().create(TestContexts.listeningSource(keys,
                channels, data));
        source.start();
        toClose.add(source::stop);
        return source;
    }

    private Sink kerberosSink(TestChannel channel, int port, String serverPrincipal) throws Exception {
        return kerberosSink(channel, port, serverPrincipal, Map.of());
    }

    private Sink kerberosSink(TestChannel channel, int port, String serverPrincipal, Map<String, String> extra)
            throws Exception {
        Map<String, String> keys = new HashMap<>(Map.of("hostname", "127.0.0.1", "port", Integer.toString(port),
                "batch-size", "20", "connect-timeout", "3000", "request-timeout", "5000", "kerberos", "true",
                "client-principal", kdc.principal("sluice/" + host), "client-keytab", sinkKeytab.toString(),
                "server-principal", kdc.principal(serverPrincipal)));
        keys.putAll(extra);
        Sink sink = new ThriftSinkFactory().create(TestContexts.sink("k1", keys, channel, data));
        sink.start();
        toClose.add(sink::stop);
        return sink;
    }

    private static void drain(Sink sink, TestChannel channel) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            sink.process();
            return channel.size() == 0;
        });
    }

    private static List<Event> events(String text, int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(EventBuilder.withBody(text + " " + i, StandardCharsets.UTF_8, Map.of("n", Integer.toString(i))));
        }
        return events;
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

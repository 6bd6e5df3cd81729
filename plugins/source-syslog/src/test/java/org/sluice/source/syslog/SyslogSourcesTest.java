package org.sluice.source.syslog;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.source.Source;
import org.sluice.api.source.SourceContext;
import org.sluice.api.source.SourceFactory;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.support.tls.TestKeyStores;
import org.sluice.testkit.TestContexts;

/** The three syslog sources on real sockets: what arrives, with which headers, and what a full channel does. */
class SyslogSourcesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path data;

    private final RecordingChannelProcessor processor = new RecordingChannelProcessor();
    private final List<Source> started = new ArrayList<>();
    private SourceContext context;

    @AfterEach
    void stop() {
        for (Source source : started) {
            source.stop();
        }
    }

    private Source start(SourceFactory factory, Map<String, String> keys) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of("host", "127.0.0.1"));
        properties.putAll(keys);
        context = TestContexts.source("r1", properties, processor, data);
        Source source = factory.create(context);
        source.start();
        started.add(source);
        return source;
    }

    private static void send(int port, String text) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private static String body(Event event) {
        return new String(event.getBody(), StandardCharsets.UTF_8);
    }

    private List<Event> awaitEvents(int count) {
        await().atMost(WAIT).until(() -> processor.accepted().size() >= count);
        assertEquals(count, processor.accepted().size());
        return processor.accepted();
    }

    @Test
    void syslogTcpTakesLinesAndOctetCountedFrames() throws Exception {
        SyslogTcpSource source = (SyslogTcpSource) start(new SyslogTcpSourceFactory(),
                Map.of("port", "0", "clientIPHeader", "clientip"));
        String framed = "<165>1 2003-10-11T22:14:15.003Z host2 app - - - framed";
        send(source.ports().get(0), "<34>Oct 11 22:14:15 host1 su: failed\n" + framed.length() + " " + framed
                + "not syslog\n");
        List<Event> events = awaitEvents(3);
        assertEquals("su: failed", body(events.get(0)));
        assertEquals("host1", events.get(0).getHeaders().get("host"));
        assertEquals("127.0.0.1", events.get(0).getHeaders().get("clientip"));
        assertEquals("app - - - framed", body(events.get(1)));
        assertEquals("1", events.get(1).getHeaders().get("version"));
        assertEquals("Invalid", events.get(2).getHeaders().get("flume.syslog.status"));
        assertEquals("not syslog", body(events.get(2)));
        SourceCounter counter = TestContexts.countersOf(context);
        assertEquals(3, counter.get(SourceCounter.EVENT_ACCEPTED));
        assertEquals(1, counter.get(SourceCounter.EVENT_READ_FAIL));
    }

    @Test
    void eventSizeCutsAndMarks() throws Exception {
        SyslogTcpSource source = (SyslogTcpSource) start(new SyslogTcpSourceFactory(),
                Map.of("port", "0", "eventSize", "30"));
        send(source.ports().get(0), "<13>Oct 11 22:14:15 h " + "x".repeat(40) + "\n");
        // 22 bytes of header and 40 of text: cut after 30 bytes, and the rest is read as two messages more, which
        // are not syslog (Flume's behaviour).
        List<Event> events = awaitEvents(3);
        assertEquals("Incomplete", events.get(0).getHeaders().get("flume.syslog.status"));
        assertEquals("x".repeat(8), body(events.get(0)));
        assertEquals("x".repeat(30), body(events.get(1)));
        assertEquals("Invalid", events.get(1).getHeaders().get("flume.syslog.status"));
        assertEquals("xx", body(events.get(2)));
        assertEquals(2, TestContexts.countersOf(context).get(SyslogTcpSource.INCOMPLETE_COUNTER));
    }

    @Test
    void multiportListensOnEveryPortWithItsHeaderAndCharset() throws Exception {
        SyslogTcpSource first = (SyslogTcpSource) start(new MultiportSyslogTcpSourceFactory(),
                Map.of("ports", "0 0", "portHeader", "port"));
        List<Integer> ports = first.ports();
        first.stop();
        started.clear();
        processor.accepted().clear();
        SyslogTcpSource source = (SyslogTcpSource) start(new MultiportSyslogTcpSourceFactory(),
                Map.of("ports", ports.get(0) + " " + ports.get(1), "portHeader", "port",
                        "charset.port." + ports.get(1), "ISO-8859-1"));
        send(ports.get(0), "<13>Oct 11 22:14:15 h1 caf\u00e9\n");
        awaitEvents(1);
        try (Socket socket = new Socket("127.0.0.1", ports.get(1))) {
            socket.getOutputStream().write(new byte[] {'<', '1', '3', '>', '1', ' ', '-', ' ', 'h', '2', ' ', 'c',
                'a', 'f', (byte) 0xe9, '\n'});
        }
        List<Event> events = awaitEvents(2);
        assertEquals(Integer.toString(ports.get(0)), events.get(0).getHeaders().get("port"));
        assertEquals("13", events.get(0).getHeaders().get("Priority"));
        assertEquals("caf\u00e9", body(events.get(0)));
        assertEquals(Integer.toString(ports.get(1)), events.get(1).getHeaders().get("port"));
        assertEquals("h2", events.get(1).getHeaders().get("host"));
        assertEquals(null, events.get(1).getHeaders().get("flume.syslog.status"));
    }

    @Test
    void syslogUdpTakesOneMessagePerDatagram() throws Exception {
        SyslogUdpSource source = (SyslogUdpSource) start(new SyslogUdpSourceFactory(),
                Map.of("port", "0", "keepFields", "all", "clientHostnameHeader", "sender"));
        try (DatagramSocket socket = new DatagramSocket()) {
            for (String text : new String[] {"<13>Oct 11 22:14:15 h one\n", "<13>Oct 11 22:14:16 h two\nlines",
                "<14>1 2003-10-11T22:14:15.003Z h app - - - " + "y".repeat(10_000)}) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), source.port()));
            }
        }
        List<Event> events = awaitEvents(3);
        assertEquals("<13>Oct 11 22:14:15 h one", body(events.get(0)));
        assertEquals("<13>Oct 11 22:14:16 h two\nlines", body(events.get(1)));
        assertEquals(10_000 + 43, events.get(2).getBody().length);
        assertEquals("h", events.get(2).getHeaders().get("host"));
        assertEquals("6", events.get(2).getHeaders().get("Severity"));
    }

    @Test
    void aFullChannelPausesTheConnectionAndLosesNothing() throws Exception {
        SyslogTcpSource source = (SyslogTcpSource) start(new SyslogTcpSourceFactory(), Map.of("port", "0"));
        processor.failNext(4);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            lines.append("<13>Oct 11 22:14:15 h message ").append(i).append('\n');
        }
        send(source.ports().get(0), lines.toString());
        List<Event> events = awaitEvents(500);
        for (int i = 0; i < 500; i++) {
            assertEquals("message " + i, body(events.get(i)));
        }
        assertEquals(4, TestContexts.countersOf(context).get(SourceCounter.CHANNEL_WRITE_FAIL));
    }

    @Test
    void tlsWithFlumesKeys() throws Exception {
        TestKeyStores stores = TestKeyStores.create(data, "PKCS12");
        SyslogTcpSource source = (SyslogTcpSource) start(new MultiportSyslogTcpSourceFactory(), Map.of("ports", "0",
                "ssl", "true", "keystore", stores.keyStore().toString(), "keystore-password", TestKeyStores.PASSWORD,
                "keystore-type", "PKCS12"));
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(stores.trustStore())) {
            trusted.load(in, TestKeyStores.PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        try (Socket socket = tls.getSocketFactory().createSocket("127.0.0.1", source.ports().get(0))) {
            socket.getOutputStream().write("<13>Oct 11 22:14:15 h over tls\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("over tls", body(awaitEvents(1).get(0)));
        // A client speaking plain text to the TLS port costs that connection only.
        send(source.ports().get(0), "<13>Oct 11 22:14:15 h plain\n");
        assertEquals(1, processor.accepted().size());
    }

    @Test
    void keysAreChecked() {
        Map<String, String> bad = Map.of("port", "70000");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new SyslogTcpSourceFactory().create(TestContexts.source("r1", bad, processor, data)));
        assertEquals(true, e.getMessage().contains("'port'"), e.getMessage());
        assertThrows(ConfigurationException.class, () -> new MultiportSyslogTcpSourceFactory().create(
                TestContexts.source("r1", Map.of("ports", "1 x"), processor, data)));
        assertThrows(ConfigurationException.class, () -> new MultiportSyslogTcpSourceFactory().create(
                TestContexts.source("r1", Map.of("ports", "1", "charset.default", "no-such"), processor, data)));
        // Flume's Mina refuses a negative processor count when the source starts.
        assertEquals("numProcessors", assertThrows(ConfigurationException.class, () -> new
                MultiportSyslogTcpSourceFactory().create(TestContexts.source("r1", Map.of("ports", "1",
                "numProcessors", "-1"), processor, data))).key());
    }
}

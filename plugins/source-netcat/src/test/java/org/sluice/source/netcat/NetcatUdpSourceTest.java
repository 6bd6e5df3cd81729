package org.sluice.source.netcat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.source.SourceContext;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

class NetcatUdpSourceTest {
    @TempDir
    Path data;

    private final RecordingChannelProcessor processor = new RecordingChannelProcessor();
    private SourceContext context;
    private NetcatUdpSource source;

    private void start(Map<String, String> extra) throws Exception {
        context = TestContexts.listeningSource(extra, processor, data);
        source = (NetcatUdpSource) new NetcatUdpSourceFactory().create(context);
        source.start();
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    /** Sends datagrams from one socket and returns its port. */
    private int send(String... datagrams) throws Exception {
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            for (String text : datagrams) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                client.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName("127.0.0.1"),
                        source.localPort()));
            }
            return client.getLocalPort();
        }
    }

    private void awaitEvents(int count) {
        await(count + " events accepted").atMost(Duration.ofSeconds(10))
                .until(() -> processor.accepted().size(), accepted -> accepted >= count);
        assertEquals(count, processor.accepted().size());
    }

    private static String body(Event event) {
        return new String(event.getBody(), StandardCharsets.UTF_8);
    }

    @Test
    void eachDatagramIsAnEventUpToItsFirstNewline() throws Exception {
        start(Map.of());
        send("one\n", "two\nignored\n", "three");
        awaitEvents(3);

        assertEquals("one", body(processor.accepted().get(0)));
        assertEquals("two", body(processor.accepted().get(1)));
        assertEquals("three", body(processor.accepted().get(2)));
        assertTrue(processor.accepted().get(0).getHeaders().isEmpty(), "no remoteAddressHeader configured");
        assertEquals(3, TestContexts.countersOf(context).get(SourceCounter.EVENT_ACCEPTED));
    }

    @Test
    void putsTheSendersAddressInTheConfiguredHeader() throws Exception {
        start(Map.of("remoteAddressHeader", "sender"));
        int port = send("hi\n");
        awaitEvents(1);

        assertEquals("/127.0.0.1:" + port, processor.accepted().get(0).getHeaders().get("sender"));
    }

    @Test
    void aRefusedDatagramIsCountedAndTheNextOneStillArrives() throws Exception {
        start(Map.of());
        processor.failNext(1);
        send("lost\n");
        await("the refused datagram counted").atMost(Duration.ofSeconds(10))
                .until(() -> TestContexts.countersOf(context).get(SourceCounter.CHANNEL_WRITE_FAIL) == 1);
        send("kept\n");
        awaitEvents(1);

        assertEquals("kept", body(processor.accepted().get(0)));
        assertEquals(1, TestContexts.countersOf(context).get(SourceCounter.CHANNEL_WRITE_FAIL));
        assertEquals(2, TestContexts.countersOf(context).get(SourceCounter.EVENT_RECEIVED));
    }
}

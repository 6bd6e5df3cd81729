package org.sluice.source.syslog;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flume.Context;
import org.apache.flume.Transaction;
import org.apache.flume.channel.ChannelProcessor;
import org.apache.flume.channel.MemoryChannel;
import org.apache.flume.channel.ReplicatingChannelSelector;
import org.apache.flume.conf.Configurables;
import org.apache.flume.source.MultiportSyslogTCPSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.event.Event;
import org.sluice.api.source.Source;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

/**
 * Flume 1.11.0's real {@code multiport_syslogtcp} source (from Maven Central, on its own port, into its own memory
 * channel) and Sluice's get the same bytes over TCP: line framing, {@code eventSize} cuts, text not in the port's
 * charset, broken messages, {@code keepFields}. Both must make the same events. The one documented difference, RFC 3164 times
 * read as UTC by Flume and in the agent's zone by Sluice, is left out by sending RFC 5424 times with offsets.
 */
class FlumeMultiportPeerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path data;

    private MultiportSyslogTCPSource flume;
    private MemoryChannel flumeChannel;
    private Source sluice;

    @AfterEach
    void stop() {
        if (flume != null) {
            flume.stop();
        }
        if (flumeChannel != null) {
            flumeChannel.stop();
        }
        if (sluice != null) {
            sluice.stop();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void send(int port, byte[] bytes) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        }
    }

    private List<Map<String, String>> takeFromFlume(int count) {
        List<Map<String, String>> events = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            Transaction transaction = flumeChannel.getTransaction();
            transaction.begin();
            for (org.apache.flume.Event event; (event = flumeChannel.take()) != null; ) {
                events.add(withBody(event.getHeaders(), event.getBody()));
            }
            transaction.commit();
            transaction.close();
            return events.size() >= count;
        });
        return events;
    }

    private static Map<String, String> withBody(Map<String, String> headers, byte[] body) {
        return FlumeParityTest.withBody(headers, body, StandardCharsets.ISO_8859_1);
    }

    @Test
    void theSameBytesMakeTheSameEvents() throws Exception {
        Map<String, String> keys = Map.of("host", "127.0.0.1", "eventSize", "80", "keepFields", "hostname");
        int flumePort = freePort();
        flumeChannel = new MemoryChannel();
        Configurables.configure(flumeChannel, new Context(Map.of("capacity", "1000", "transactionCapacity", "1000")));
        flumeChannel.start();
        ReplicatingChannelSelector selector = new ReplicatingChannelSelector();
        selector.setChannels(List.of(flumeChannel));
        flume = new MultiportSyslogTCPSource();
        flume.setName("flume-r1");
        flume.setChannelProcessor(new ChannelProcessor(selector));
        Map<String, String> flumeKeys = new HashMap<>(keys);
        flumeKeys.put("ports", Integer.toString(flumePort));
        Configurables.configure(flume, new Context(flumeKeys));
        flume.start();

        RecordingChannelProcessor processor = new RecordingChannelProcessor();
        Map<String, String> sluiceKeys = new HashMap<>(keys);
        sluiceKeys.put("ports", "0");
        sluice = new MultiportSyslogTcpSourceFactory().create(TestContexts.source("r1", sluiceKeys, processor, data));
        sluice.start();
        int sluicePort = ((SyslogTcpSource) sluice).ports().get(0);

        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (String line : List.of(
                "<156>1 2026-12-06T02:20:01.123456+01:00 web-1 sluice-test 4242 - [timeQuality tzKnown=\"1\"] hi",
                "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 - An application event",
                // No empty line: Flume's multiport parser throws on one (StringIndexOutOfBoundsException) and loses
                // the rest of that read; Sluice skips it, as Flume's syslogtcp does (SyslogFrameDecoderTest).
                "<165>1 2003-08-24T05:14:15-07:00 host app - - - a line longer than the eventSize of eighty bytes, "
                        + "cut there and its rest read as a message of its own",
                "not syslog at all",
                "<13>1 2003-08-24T05:14:15Z host",
                "<13>1 2003-08-24T05:14:15Z host ",
                "<abc>1 2003-08-24T05:14:15Z host text")) {
            stream.write(line.getBytes(StandardCharsets.UTF_8));
            stream.write('\n');
        }
        // Not UTF-8, the port's charset.
        stream.write(new byte[] {'<', '1', '3', '>', '1', ' ', '-', ' ', 'h', ' ', 'c', 'a', 'f', (byte) 0xe9, '\n'});
        byte[] bytes = stream.toByteArray();
        send(flumePort, bytes);
        send(sluicePort, bytes);

        int expected = 11;
        List<Map<String, String>> fromFlume = takeFromFlume(expected);
        await().atMost(WAIT).until(() -> processor.accepted().size() >= expected);
        List<Map<String, String>> fromSluice = new ArrayList<>();
        for (Event event : processor.accepted()) {
            fromSluice.add(withBody(event.getHeaders(), event.getBody()));
        }
        assertEquals(expected, fromFlume.size(), "Flume's events: " + fromFlume);
        assertEquals(fromFlume, fromSluice);
    }
}

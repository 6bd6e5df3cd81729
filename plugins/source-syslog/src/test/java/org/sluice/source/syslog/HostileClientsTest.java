package org.sluice.source.syslog;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.source.SourceContext;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

/**
 * What no client can do to a syslog TCP source: make it hold more than the event size per connection, stop it
 * accepting, or leave threads behind when it stops.
 */
class HostileClientsTest {
    @TempDir
    Path data;

    private final RecordingChannelProcessor processor = new RecordingChannelProcessor();
    private SyslogTcpSource source;
    private SourceContext context;

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    private int start(Map<String, String> keys) throws Exception {
        context = TestContexts.source("hostile", keys, processor, data);
        source = (SyslogTcpSource) new SyslogTcpSourceFactory().create(context);
        source.start();
        return source.ports().get(0);
    }

    private static long bytes(Event event) {
        return event.getBody().length;
    }

    @Test
    void garbageAndEndlessLinesCostTheirConnectionOnlyAndTheSourceGoesOn() throws Exception {
        int port = start(Map.of("host", "127.0.0.1", "port", "0", "eventSize", "1000"));
        Random random = new Random(42);
        // 8 MB without a line end: cut into events of the event size as it arrives, never held whole.
        try (Socket endless = new Socket("127.0.0.1", port)) {
            OutputStream out = endless.getOutputStream();
            byte[] chunk = "<13>".repeat(256).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 8 * 1024; i++) {
                out.write(chunk);
            }
        }
        // Random bytes, an octet count larger than anything, a TLS hello to a plain port.
        for (byte[] junk : new byte[][] {randomBytes(random, 100_000), "999999999 <13>".getBytes(StandardCharsets.US_ASCII),
            {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03}}) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write(junk);
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> processor.accepted().stream().mapToLong(HostileClientsTest::bytes)
                .sum() >= 8L * 1024 * 1024 - 1000);
        assertTrue(processor.accepted().stream().allMatch(e -> e.getBody().length <= 1000));
        // A well-behaved client is served as before.
        try (Socket good = new Socket("127.0.0.1", port)) {
            good.getOutputStream().write("<13>Oct 11 22:14:15 h still here\n".getBytes(StandardCharsets.US_ASCII));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> processor.accepted().stream()
                .anyMatch(e -> new String(e.getBody(), StandardCharsets.UTF_8).equals("still here")));
        assertTrue(TestContexts.countersOf(context).get(SyslogTcpSource.INCOMPLETE_COUNTER) >= 8 * 1024 * 1024 / 1000);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> TestContexts.countersOf(context).get(SourceCounter.OPEN_CONNECTIONS) == 0);
    }

    @Test
    void idleSocketsCannotLockSendersOut() throws Exception {
        int port = start(Map.of("host", "127.0.0.1", "port", "0", "max-connections", "10"));
        java.util.List<Socket> idle = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                idle.add(new Socket("127.0.0.1", port));
            }
            try (Socket sender = new Socket("127.0.0.1", port)) {
                sender.getOutputStream().write("<13>Oct 11 22:14:15 h got in\n".getBytes(StandardCharsets.US_ASCII));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> processor.accepted().size() == 1);
            idle.get(0).setSoTimeout(10_000);
            assertEquals(-1, idle.get(0).getInputStream().read(), "the longest idle was closed to make room");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> TestContexts.countersOf(context).get(SourceCounter.OPEN_CONNECTIONS) <= 10);
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    @Test
    void anIdleConnectionIsClosedWhenAskedTo() throws Exception {
        int port = start(Map.of("host", "127.0.0.1", "port", "0", "idle-timeout", "1"));
        try (Socket quiet = new Socket("127.0.0.1", port)) {
            quiet.setSoTimeout(15_000);
            assertEquals(-1, quiet.getInputStream().read());
        }
    }

    @Test
    void stoppingLeavesNoThreadAndNoListener() throws Exception {
        int port = start(Map.of("host", "127.0.0.1", "port", "0"));
        try (Socket open = new Socket("127.0.0.1", port)) {
            open.getOutputStream().write("<13>Oct 11 22:14:15 h half a li".getBytes(StandardCharsets.US_ASCII));
            source.stop();
            source = null;
            assertTrue(closed(open), "the connection is closed");
        }
        // An event loop's thread ends just after the loop reports it terminated: its end is waited for.
        await("threads of the stopped source are left").atMost(Duration.ofSeconds(10))
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.isAlive() && t.getName().startsWith("Syslog TCP source hostile")));
        assertTrue(!canConnect(port), "the port still listens");
    }

    /** Whether the peer closed the connection: an end of stream, or a reset. */
    private static boolean closed(Socket socket) {
        try {
            return socket.getInputStream().read() == -1;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private static boolean canConnect(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}

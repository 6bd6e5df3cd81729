package org.sluice.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a stand-in netcat source on 127.0.0.1 that answers each line as the replies function says. */
class NetcatLoadGeneratorTest {

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final AtomicLong linesReceived = new AtomicLong();
    private final AtomicLong badLines = new AtomicLong();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    /** A source that acks a line "OK" unless {@code reject} says otherwise, or never acks when {@code ack} is false. */
    private InetSocketAddress source(boolean ack, LongPredicate reject, int lineBytes) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closing.add(server);
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket socket = server.accept();
                    closing.add(socket);
                    Thread handler = new Thread(() -> serve(socket, ack, reject, lineBytes));
                    handler.setDaemon(true);
                    handler.start();
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    private void serve(Socket socket, boolean ack, LongPredicate reject, int lineBytes) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
             OutputStream out = socket.getOutputStream()) {
            String line;
            while ((line = in.readLine()) != null) {
                long n = linesReceived.incrementAndGet();
                if (line.length() != lineBytes) {
                    badLines.incrementAndGet();
                }
                if (ack) {
                    out.write((reject.test(n) ? "FAILED: channel full\n" : "OK\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
        } catch (IOException closed) {
            // the generator closed the connection
        }
    }

    private static void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).until(condition);
    }

    @Test
    void sendsLinesOfTheGivenSizeAndCountsAcksAndRejections() throws Exception {
        InetSocketAddress target = source(true, n -> n % 10 == 0, 100);
        NetcatLoadGenerator load = new NetcatLoadGenerator(new Scenario.NetcatLoad(target, 3, 100, 50));
        closing.add(load);
        load.start(Duration.ofSeconds(5));
        await("5000 replies", () -> load.acked() + load.rejected() >= 5000);
        load.check();
        assertTrue(load.rejected() > 0, "a FAILED reply counts as rejected");
        assertEquals("FAILED: channel full", load.firstRejection());
        assertEquals(0, badLines.get(), "every line is lineBytes long");
        assertTrue(load.acked() > load.rejected() * 5, load.acked() + " acked, " + load.rejected() + " rejected");
    }

    @Test
    void stopsSendingWhenTheWindowIsFull() throws Exception {
        InetSocketAddress target = source(false, n -> false, 20);
        NetcatLoadGenerator load = new NetcatLoadGenerator(new Scenario.NetcatLoad(target, 2, 20, 30));
        closing.add(load);
        load.start(Duration.ofSeconds(5));
        await("both windows sent", () -> linesReceived.get() == 60);
        // And nothing more, for a while: no more than in.flight lines per connection without acks.
        Awaitility.await("no line beyond the windows").during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1))
                .until(load::sent, sent -> sent == 60);
        assertEquals(60, linesReceived.get());
        load.close();
        closing.remove(load);
    }

    @Test
    void reportsAConnectionTheAgentClosed() throws Exception {
        InetSocketAddress target = source(true, n -> false, 10);
        NetcatLoadGenerator load = new NetcatLoadGenerator(new Scenario.NetcatLoad(target, 1, 10, 10));
        closing.add(load);
        load.start(Duration.ofSeconds(5));
        await("some acks", () -> load.acked() > 0);
        for (AutoCloseable c : List.copyOf(closing)) {
            if (c instanceof Socket s) {
                s.close();
            }
        }
        await("the failure", () -> {
            try {
                load.check();
                return false;
            } catch (IOException e) {
                return true;
            }
        });
        IOException e = assertThrows(IOException.class, load::check);
        assertTrue(e.getMessage().startsWith("Netcat load to " + target), e.getMessage());
    }

    @Test
    void failsWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        NetcatLoadGenerator load = new NetcatLoadGenerator(
                new Scenario.NetcatLoad(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1, 10, 10));
        closing.add(load);
        IOException e = assertThrows(IOException.class, () -> load.start(Duration.ofMillis(300)));
        assertTrue(e.getMessage().contains("does not accept connections"), e.getMessage());
    }
}

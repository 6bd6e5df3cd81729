package org.sluice.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The metrics server under slow and hostile clients (issue 15). */
class MetricsHttpServerHardeningTest {
    private final MBeanServer mbeans = MBeanServerFactory.newMBeanServer();
    private final List<Socket> sockets = new ArrayList<>();
    private MetricsHttpServer server;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private MetricsHttpServer start(long requestTimeoutMillis) throws IOException {
        server = new MetricsHttpServer(new InetSocketAddress("127.0.0.1", 0), new MonitoringEndpoints(mbeans,
                new PrometheusExposition(new JmxMetrics(mbeans), () -> null), new Probes(() -> null)),
                requestTimeoutMillis);
        server.start();
        return server;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.address().getPort());
        socket.setSoTimeout(10_000);
        sockets.add(socket);
        return socket;
    }

    private String get(String path) throws IOException {
        Socket socket = connect();
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
                .readLine();
    }

    @Test
    void aHalfSentHeaderDoesNotHangMetricsForEveryoneElse() throws Exception {
        // The finding: one half-sent header hung /metrics for everyone.
        start(MetricsHttpServer.REQUEST_TIMEOUT_MILLIS);
        connect().getOutputStream().write("GET /metr".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("HTTP/1.1 200 OK", get("/metrics"));
    }

    @Test
    void manySlowClientsCannotLockAScraperOut() throws Exception {
        start(MetricsHttpServer.REQUEST_TIMEOUT_MILLIS);
        for (int i = 0; i < 3 * MetricsHttpServer.MAX_CONNECTIONS; i++) {
            connect().getOutputStream().write("GET / HTTP/1.1\r\nHost:".getBytes(StandardCharsets.ISO_8859_1));
        }
        assertEquals("HTTP/1.1 200 OK", get("/metrics"));
    }

    @Test
    void aClientThatNeverFinishesItsRequestIsClosed() throws Exception {
        start(500);
        Socket slow = connect();
        slow.getOutputStream().write("GET /metrics HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
        long started = System.nanoTime();
        assertEquals(-1, slow.getInputStream().read());
        assertTrue(System.nanoTime() - started < 9_000_000_000L);
    }

    @Test
    void anEndlessHeaderIsRefused() throws Exception {
        start(MetricsHttpServer.REQUEST_TIMEOUT_MILLIS);
        Socket endless = connect();
        byte[] filler = ("X-Filler: " + "y".repeat(1000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        endless.getOutputStream().write("GET /metrics HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
        try {
            for (int i = 0; i < 40; i++) {
                endless.getOutputStream().write(filler);
            }
        } catch (IOException closed) {
            // The server answered and closed before the client finished writing.
        }
        assertEquals("HTTP/1.1 431 Request Header Fields Too Large", new BufferedReader(new InputStreamReader(
                endless.getInputStream(), StandardCharsets.ISO_8859_1)).readLine());
    }
}

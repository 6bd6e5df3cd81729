package org.sluice.source.netcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.source.SourceContext;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

/** The netcat source under hostile clients and careless settings (issue 15). */
class NetcatBoundsTest {
    @TempDir
    Path data;

    private final RecordingChannelProcessor processor = new RecordingChannelProcessor();
    private final List<Socket> sockets = new ArrayList<>();
    private SourceContext context;
    private NetcatTcpSource source;

    private NetcatTcpSource start(Map<String, String> extra) throws Exception {
        context = TestContexts.listeningSource(extra, processor, data);
        source = (NetcatTcpSource) new NetcatSourceFactory().create(context);
        source.start();
        return source;
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (source != null) {
            source.stop();
        }
    }

    private Socket connect() throws Exception {
        Socket socket = new Socket("127.0.0.1", source.localPort());
        socket.setSoTimeout(20_000);
        sockets.add(socket);
        return socket;
    }

    private static String sendLine(Socket socket, String line) throws Exception {
        socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    @Test
    void aHugeMaxLineLengthCostsAConnectionOnlyWhatItsClientSent() throws Exception {
        // The finding: max-line-length = 1000000000 allocated two gigabytes for every connection.
        start(Map.of("max-line-length", "1000000000"));
        for (int i = 0; i < 20; i++) {
            assertEquals("OK", sendLine(connect(), "line " + i));
        }
        // A long line grows the buffer as it arrives, and still fits.
        String longLine = "x".repeat(100_000);
        assertEquals("OK", sendLine(connect(), longLine));
        assertEquals(21, processor.accepted().size());
        assertEquals(100_000, processor.accepted().get(20).getBody().length);
    }

    @Test
    void aLineBeyondTheMaximumStillFailsWhenTheBufferGrows() throws Exception {
        start(Map.of("max-line-length", "5000"));
        Socket socket = connect();
        assertEquals("FAILED: Event exceeds the maximum length (5000 chars, including newline)",
                sendLine(socket, "y".repeat(5000)));
        assertEquals(-1, socket.getInputStream().read());
        assertEquals(1, TestContexts.countersOf(context).get(SourceCounter.EVENT_READ_FAIL));
    }

    @Test
    void idleSocketsCannotLockClientsOut() throws Exception {
        // The finding: 128 idle sockets locked every new client out.
        start(Map.of());
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            idle.add(connect());
        }
        assertEquals("OK", sendLine(connect(), "a real client"));
        assertEquals(1, processor.accepted().size());
        assertEquals(-1, idle.get(0).getInputStream().read(), "the longest idle was closed to make room");
        assertTrue(TestContexts.countersOf(context).get(SourceCounter.OPEN_CONNECTIONS) <= 128);
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        start(Map.of("idle-timeout", "1"));
        Socket idle = connect();
        long started = System.nanoTime();
        assertEquals(-1, idle.getInputStream().read());
        assertTrue(System.nanoTime() - started < 15_000_000_000L);
        // A client that keeps talking is not idle.
        Socket busy = connect();
        for (int i = 0; i < 3; i++) {
            assertEquals("OK", sendLine(busy, "still here " + i));
        }
    }
}

package org.sluice.itests.e2e;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client of the netcat source: sends a line and waits for its {@code OK} (the event is committed to the
 * channel); a refused or lost line is sent again, as a Flume client does, so duplicates are possible but no
 * acknowledged line may be lost.
 */
final class NetcatClient {

    private final int port;

    NetcatClient(int port) {
        this.port = port;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    /** Sends each line until the source acknowledges it. */
    void sendAll(Iterable<String> lines) {
        Connection connection = new Connection();
        try {
            for (String line : lines) {
                // A refused line, or a connection refused or lost (the source restarts), is sent again.
                await("the netcat source on port " + port + " to acknowledge '" + line + "'")
                        .atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                        .until(() -> connection.acknowledged(line));
            }
        } finally {
            closeQuietly(connection.socket);
        }
    }

    /** The connection to the source, opened again after it failed. */
    private final class Connection {
        private Socket socket;
        private BufferedReader in;
        private OutputStream out;

        /** Sends the line once: true if the source answered OK. */
        boolean acknowledged(String line) {
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                    socket.setSoTimeout(5_000);
                    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                    out = socket.getOutputStream();
                }
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                String answer = in.readLine();
                if (answer == null) {
                    reset();
                }
                return "OK".equals(answer);
            } catch (IOException e) {
                reset();
                return false;
            }
        }

        private void reset() {
            closeQuietly(socket);
            socket = null;
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing a socket that already failed: nothing to report beyond the failure that got us here.
            }
        }
    }
}

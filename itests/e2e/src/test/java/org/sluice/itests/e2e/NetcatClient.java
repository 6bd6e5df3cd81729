package org.sluice.itests.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

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
    void sendAll(Iterable<String> lines) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Socket socket = null;
        try {
            BufferedReader in = null;
            OutputStream out = null;
            for (String line : lines) {
                while (true) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("The netcat source on port " + port
                                + " did not acknowledge every line within 60 s; stuck at '" + line + "'");
                    }
                    try {
                        if (socket == null) {
                            socket = new Socket();
                            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                            socket.setSoTimeout(5_000);
                            in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                                    StandardCharsets.UTF_8));
                            out = socket.getOutputStream();
                        }
                        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        String answer = in.readLine();
                        if ("OK".equals(answer)) {
                            break;
                        }
                        if (answer == null) {
                            closeQuietly(socket);
                            socket = null;
                        }
                        Thread.sleep(50);
                    } catch (IOException e) {
                        // Connection refused or reset (the source restarts): connect again and resend the line.
                        closeQuietly(socket);
                        socket = null;
                        Thread.sleep(100);
                    }
                }
            }
        } finally {
            closeQuietly(socket);
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

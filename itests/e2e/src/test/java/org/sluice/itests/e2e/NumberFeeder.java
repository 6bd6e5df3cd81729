package org.sluice.itests.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of the netcat source that sends 0, 1, 2, ... one per line, as a Flume client would: a number counts as
 * delivered only when the source answers {@code OK}; a refusal, a broken connection or an agent that is down makes
 * it send the same number again once the agent is back. So every number below {@link #acknowledgedUpTo()} was
 * committed to the channel at least once.
 */
final class NumberFeeder implements AutoCloseable {
    private final int port;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    NumberFeeder(int port) {
        this(port, 0);
    }

    /** Sends {@code first}, {@code first + 1}, ...: feeders of different agents use ranges that do not meet. */
    NumberFeeder(int port, long first) {
        this.port = port;
        this.next.set(first);
        this.thread = new Thread(this::feed, "number-feeder-" + port);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Every number below this one was acknowledged. */
    long acknowledgedUpTo() {
        return next.get();
    }

    /** Sends that were refused or lost with their connection, and repeated. */
    long retries() {
        return retries.get();
    }

    private void feed() {
        while (running) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                while (running) {
                    out.write((next.get() + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    String answer = in.readLine();
                    if (answer == null) {
                        retries.incrementAndGet();
                        break;
                    }
                    if (answer.equals("OK")) {
                        next.incrementAndGet();
                    } else {
                        retries.incrementAndGet();
                        pause(20);
                    }
                }
            } catch (IOException agentDownOrRestarting) {
                // Not acknowledged: the same number goes again once the agent listens.
                retries.incrementAndGet();
                pause(100);
            }
        }
    }

    /** The back-off of a client whose number was refused or whose agent is down, before it sends again. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops sending; what was acknowledged stays acknowledged. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(15_000);
    }
}

package org.sluice.itests.osgi.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of Flume's netcat source that sends the numbers 0, 1, 2, ... one per line and counts a number as
 * delivered only when the source answers {@code OK} (the event is committed to the channel). A refusal
 * (channel full, source stopping) or a broken connection makes it send the same number again, so every number
 * below {@link #acknowledged()} is in the channel at least once: what a Flume client relies on.
 */
public final class NetcatFeeder implements AutoCloseable {

    private final String host = "127.0.0.1";
    private final int port;
    /** The next number to send; every number from {@link #first} below it was acknowledged. */
    private final AtomicLong next = new AtomicLong();
    private final long first;
    private final AtomicLong refusals = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long limit = Long.MAX_VALUE;

    private NetcatFeeder(int port, long first) {
        this.port = port;
        this.next.set(first);
        this.first = first;
        this.thread = new Thread(this::feed, "netcat-feeder-" + port);
        this.thread.setDaemon(true);
    }

    /** Starts feeding the numbers 0, 1, ... to the source on 127.0.0.1:{@code port}. */
    public static NetcatFeeder start(int port) {
        return start(port, 0);
    }

    /** Starts feeding the numbers {@code first}, {@code first + 1}, ... to the source on 127.0.0.1:{@code port}. */
    public static NetcatFeeder start(int port, long first) {
        NetcatFeeder feeder = new NetcatFeeder(port, first);
        feeder.thread.start();
        return feeder;
    }

    /** A port free on 127.0.0.1 right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port on 127.0.0.1", e);
        }
    }

    /** The end of the acknowledged numbers: every number from the first up to this, exclusive, was acknowledged. */
    public long acknowledgedUpTo() {
        return next.get();
    }

    /** How many numbers the source acknowledged. */
    public long acknowledged() {
        return next.get() - first;
    }

    /** How many sends were refused or lost with their connection, and repeated. */
    public long refusals() {
        return refusals.get();
    }

    /** Sends no number from {@code end} on; returns when every number below it is acknowledged. */
    public void finishAt(long end) throws InterruptedException {
        limit = end;
        Await.until("the netcat source on port " + port + " to acknowledge every line below " + end,
                this::acknowledgedUpTo, a -> a >= end);
        close();
    }

    /** Stops sending; the numbers acknowledged so far stay acknowledged. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }

    private void feed() {
        while (running && next.get() < limit) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 2_000);
                socket.setSoTimeout(5_000);
                OutputStream out = socket.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                while (running && next.get() < limit) {
                    out.write((next.get() + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    String answer = in.readLine();
                    if (answer == null) {
                        refusals.incrementAndGet();
                        break;
                    }
                    if (answer.equals("OK")) {
                        next.incrementAndGet();
                    } else {
                        refusals.incrementAndGet();
                        pause(20);
                    }
                }
            } catch (IOException e) {
                // The source is restarting or gone for a while (bundle update): the number is sent again.
                refusals.incrementAndGet();
                pause(100);
            }
        }
    }

    /** The back-off of a client whose line was refused or whose connection was lost, before it sends again. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.sluice.benchmark;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Feeds a netcat source as fast as it takes lines: a few connections, each with a writer thread sending fixed-size
 * lines and a reader thread counting the source's per-event "OK" acks. A window of lines sent and not yet acked
 * per connection keeps the writer from running ahead of the agent without waiting for each ack in turn.
 *
 * <p>It runs inside the harness's JVM, on the same machine as the agent, so its CPU time competes with the agent's;
 * the harness reports it separately.
 */
final class NetcatLoadGenerator implements LoadGenerator {

    private static final String ACK = "OK";

    private final Scenario.NetcatLoad load;
    private final byte[] line;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicReference<String> firstRejection = new AtomicReference<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final LoadThreads threads = new LoadThreads();

    NetcatLoadGenerator(Scenario.NetcatLoad load) {
        this.load = load;
        this.line = new byte[load.lineBytes() + 1];
        // A line of printable text, as a log line would be; the content does not matter to the agents.
        for (int i = 0; i < load.lineBytes(); i++) {
            line[i] = (byte) ('a' + i % 26);
        }
        line[load.lineBytes()] = '\n';
    }

    /**
     * Opens the connections, retrying while the source is not listening yet, and starts sending.
     *
     * @throws IOException when the source does not accept connections within {@code connectTimeout}
     */
    @Override
    public void start(Duration connectTimeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        for (int c = 0; c < load.connections(); c++) {
            Socket socket = connect(load.target(), deadline);
            sockets.add(socket);
            Semaphore window = new Semaphore(load.inFlightPerConnection());
            threads.start("netcat-load-writer-" + c, () -> write(socket, window));
            threads.start("netcat-load-reader-" + c, () -> readAcks(socket, window));
        }
    }

    static Socket connect(InetSocketAddress target, long deadline) throws IOException, InterruptedException {
        while (true) {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(target, 5_000);
                return socket;
            } catch (ConnectException e) {
                socket.close();
                if (System.nanoTime() > deadline) {
                    throw new IOException("The netcat source at " + target + " does not accept connections", e);
                }
                Thread.sleep(100);
            }
        }
    }

    private void write(Socket socket, Semaphore window) throws IOException, InterruptedException {
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        while (threads.running()) {
            if (!window.tryAcquire()) {
                // The window is full: push what is buffered so the agent can ack it, then wait for an ack.
                out.flush();
                window.acquire();
            }
            out.write(line);
            sent.incrementAndGet();
        }
    }

    private void readAcks(Socket socket, Semaphore window) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        String reply;
        while ((reply = in.readLine()) != null) {
            if (reply.equals(ACK)) {
                acked.incrementAndGet();
            } else {
                // Flume's netcat source answers a line it could not take with a "FAILED: ..." line instead of "OK".
                rejected.incrementAndGet();
                firstRejection.compareAndSet(null, reply);
            }
            window.release();
        }
        if (threads.running()) {
            throw new IOException("The agent closed the connection from " + socket.getLocalSocketAddress());
        }
    }

    /** Lines acked with "OK" so far. */
    long acked() {
        return acked.get();
    }

    /** Lines answered with anything but "OK" so far. */
    @Override
    public long rejected() {
        return rejected.get();
    }

    long sent() {
        return sent.get();
    }

    @Override
    public java.util.OptionalLong processId() {
        return java.util.OptionalLong.empty();
    }

    /** The first reply that was not "OK", if any. */
    String firstRejection() {
        return firstRejection.get();
    }

    /**
     * Fails when a connection broke or the agent closed it while the load was running.
     *
     * @throws IOException describing the first such failure
     */
    @Override
    public void check() throws IOException {
        threads.check("Netcat load to " + load.target());
    }

    @Override
    public void close() throws InterruptedException, IOException {
        // A writer may wait for a permit that will never come now the reader has stopped: the threads are interrupted.
        threads.stop(() -> {
            IOException closing = null;
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    if (closing == null) {
                        closing = e;
                    } else {
                        closing.addSuppressed(e);
                    }
                }
            }
            if (closing != null) {
                throw closing;
            }
        });
    }
}

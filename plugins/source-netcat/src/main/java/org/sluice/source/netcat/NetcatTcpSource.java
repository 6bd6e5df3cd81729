package org.sluice.source.netcat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.Charset;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.api.source.EventDrivenSource;
import org.sluice.api.source.SourceContext;
import org.sluice.support.guard.SocketGuard;

/**
 * Listens on a TCP port and serves each client on its own thread ({@link LineSession}), at most
 * {@code maxConnections} at once. Idle sockets cannot lock clients out ({@link SocketGuard}): a connection that
 * sends nothing for the idle timeout is closed, and a connection beyond the bound closes the one idle the longest.
 */
final class NetcatTcpSource implements EventDrivenSource {
    /** Flume's logger name, so existing log configurations keep working. */
    static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.source.NetcatSource");
    private static final long STOP_GRACE_MILLIS = 2000;

    private final String name;
    private final String host;
    private final int port;
    private final LineSession.Settings settings;
    private final int maxConnections;
    private final int idleTimeoutMillis;
    private final SourceCounter counter;

    private SocketGuard clients;
    private ServerSocket server;
    private ThreadPoolExecutor sessions;
    private Thread acceptor;
    private volatile boolean stopping;

    NetcatTcpSource(SourceContext context, String host, int port, int maxLineLength, boolean ackEveryEvent,
            Charset charset, int maxConnections, int idleTimeoutMillis) {
        this.name = context.componentName();
        this.host = host;
        this.port = port;
        this.maxConnections = maxConnections;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.counter = context.counter();
        ChannelProcessor processor = context.channelProcessor();
        this.settings = new LineSession.Settings(name, processor, counter, maxLineLength, ackEveryEvent, charset,
                new org.sluice.support.guard.RateLimitedLog(LOG));
    }

    @Override
    public void start() throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(Ports.address(host, port));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw new IOException("netcat source " + name + " could not listen on " + describe() + ": "
                    + e.getMessage(), e);
        }
        server = socket;
        clients = new SocketGuard("Netcat source " + name, maxConnections, idleTimeoutMillis,
                counter::setOpenConnectionCount, LOG);
        AtomicInteger threads = new AtomicInteger();
        // No bound of its own: the guard keeps at most maxConnections sessions open, and the thread of a session
        // it closed ends as soon as its blocked read fails.
        sessions = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "netcat-" + name + "-session-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        acceptor = new Thread(this::acceptLoop, "netcat-" + name + "-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("Netcat source {} listening on {}", name, server.getLocalSocketAddress());
    }

    private String describe() {
        return (host.isEmpty() ? "*" : host) + ":" + port;
    }

    /** The port actually listened on (the configured one, or the one chosen for port 0). */
    int localPort() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!stopping) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (stopping) {
                    return;
                }
                LOG.warn("Netcat source {} could not accept a connection", name, e);
                continue;
            }
            serve(client);
        }
    }

    private void serve(Socket client) {
        SocketGuard.Connection connection;
        try {
            connection = clients.accepted(client);
        } catch (IOException e) {
            LOG.debug("Netcat source {}: connection {} closed at once: {}", name, client.getRemoteSocketAddress(),
                    e.toString());
            closeQuietly(client);
            return;
        }
        if (stopping) {
            // Accepted just as stop() began: stop() may already have closed the clients it saw, so this one is closed
            // here. A session started now would outlive the source and put into channels that stop with it.
            connection.close();
            return;
        }
        try {
            sessions.execute(() -> {
                try (connection) {
                    new LineSession(connection, settings).run();
                }
            });
        } catch (RejectedExecutionException e) {
            // Only when stopping.
            connection.close();
        }
    }

    @Override
    public void stop() {
        stopping = true;
        closeQuietly(server);
        if (acceptor != null) {
            acceptor.interrupt();
        }
        // Closing a client's socket ends its session's blocking read; a session waiting for a full channel
        // is interrupted below if it does not finish in time.
        if (clients != null) {
            clients.closeAll();
        }
        if (sessions != null) {
            sessions.shutdown();
            try {
                if (!sessions.awaitTermination(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                    sessions.shutdownNow();
                    if (!sessions.awaitTermination(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                        LOG.warn("Netcat source {}: {} sessions did not end on stop", name, sessions.getActiveCount());
                    }
                }
            } catch (InterruptedException e) {
                sessions.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        if (acceptor != null) {
            try {
                acceptor.join(STOP_GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("Netcat source {} stopped", name);
    }

    private void closeQuietly(java.io.Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            // Closing only releases the socket; nothing was in flight that could be lost here.
            LOG.debug("Netcat source {}: closing {} failed", name, closeable, e);
        }
    }

    @Override
    public String toString() {
        return "netcat source " + name + " on " + describe();
    }
}

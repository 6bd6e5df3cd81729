package org.sluice.support.guard;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

import org.slf4j.Logger;

/**
 * The connections of a server that serves each client on a thread of its own, so that idle sockets cannot exhaust
 * it: each connection gets the idle timeout as its read timeout (a blocked read then ends and the connection is
 * closed), and when a new connection would exceed the bound, the connection idle the longest is closed to make
 * room, which ends its thread. A busy client is never the longest idle, so no number of idle sockets can lock a
 * real client out. A server whose sockets never block (a selector serves them) calls {@link #closeIdle()} now and
 * then instead. Thread-safe; one instance per server.
 */
public final class SocketGuard {
    /** One accepted connection; {@link #touch()} it whenever it reads or writes something. */
    public final class Connection implements AutoCloseable {
        private final Socket socket;
        private volatile long lastActive = System.nanoTime();

        private Connection(Socket socket) {
            this.socket = socket;
        }

        public void touch() {
            lastActive = System.nanoTime();
        }

        public Socket socket() {
            return socket;
        }

        /** Closes the socket and forgets the connection. */
        @Override
        public void close() {
            closeQuietly(socket);
            if (open.remove(this)) {
                countChanged();
            }
        }
    }

    private final String server;
    private final int maxConnections;
    private final int idleTimeoutMillis;
    private final IntConsumer openCount;
    private final RateLimitedLog evictions;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    /**
     * @param idleTimeoutMillis read timeout of every connection; 0 for none
     * @param openCount         told the number of open connections whenever it changes
     */
    public SocketGuard(String server, int maxConnections, int idleTimeoutMillis, IntConsumer openCount, Logger log) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
        this.server = server;
        this.maxConnections = maxConnections;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.openCount = openCount;
        this.evictions = new RateLimitedLog(log);
    }

    /**
     * Takes an accepted socket: sets its read timeout, and closes the connection idle the longest if this one is
     * beyond the bound.
     */
    public Connection accepted(Socket socket) throws SocketException {
        socket.setSoTimeout(idleTimeoutMillis);
        Connection connection = new Connection(socket);
        open.add(connection);
        while (open.size() > maxConnections) {
            Connection idlest = null;
            for (Connection candidate : open) {
                if (candidate != connection && (idlest == null || candidate.lastActive - idlest.lastActive < 0)) {
                    idlest = candidate;
                }
            }
            if (idlest == null) {
                break;
            }
            if (open.remove(idlest)) {
                evictions.warn("{}: {} connections are open, the most allowed (max-connections); closing the one "
                        + "idle the longest, from {}, to make room", server, maxConnections,
                        idlest.socket.getRemoteSocketAddress());
                closeQuietly(idlest.socket);
            }
        }
        countChanged();
        return connection;
    }

    /**
     * Closes the connections that neither read nor wrote for the idle timeout: for servers whose sockets do not
     * block, where a read timeout never fires. Returns how many it closed.
     */
    public int closeIdle() {
        if (idleTimeoutMillis <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        long idleNanos = idleTimeoutMillis * 1_000_000L;
        int closed = 0;
        for (Connection connection : open) {
            if (now - connection.lastActive > idleNanos) {
                connection.close();
                closed++;
            }
        }
        return closed;
    }

    /** Connections open now. */
    public int openConnections() {
        return open.size();
    }

    /** Closes every connection (the server is stopping). */
    public void closeAll() {
        for (Connection connection : open) {
            connection.close();
        }
    }

    private synchronized void countChanged() {
        openCount.accept(open.size());
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing only releases the socket; its thread notices and ends.
        }
    }
}

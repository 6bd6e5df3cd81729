package org.sluice.rpc.thrift;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import org.apache.thrift.transport.TNonblockingServerSocket;
import org.apache.thrift.transport.TNonblockingSocket;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.sluice.support.guard.SocketGuard;

/**
 * Thrift's server sockets with every accepted connection handed to a {@link SocketGuard}: reads and writes count as
 * activity, a connection beyond the bound closes the one idle the longest, and idle connections are closed (by their
 * read timeout on the blocking TLS server, by {@link SocketGuard#closeIdle()} on the selector server).
 */
final class GuardedServerSockets {
    private GuardedServerSockets() {
    }

    /** For the selector server (no TLS). */
    static final class Nonblocking extends TNonblockingServerSocket {
        private final SocketGuard guard;

        Nonblocking(InetSocketAddress address, SocketGuard guard) throws TTransportException {
            super(address);
            this.guard = guard;
        }

        @Override
        public TNonblockingSocket accept() throws TTransportException {
            TNonblockingSocket accepted = super.accept();
            if (accepted == null) {
                return null;
            }
            SocketChannel channel = accepted.getSocketChannel();
            try {
                return new Tracked(channel, guard.accepted(channel.socket()));
            } catch (java.io.IOException e) {
                accepted.close();
                throw new TTransportException(e);
            }
        }
    }

    /** A non-blocking connection whose reads and writes count as activity. */
    private static final class Tracked extends TNonblockingSocket {
        private final SocketGuard.Connection connection;

        Tracked(SocketChannel channel, SocketGuard.Connection connection) throws java.io.IOException,
                TTransportException {
            super(channel);
            this.connection = connection;
        }

        @Override
        public int read(ByteBuffer buffer) throws TTransportException {
            int read = super.read(buffer);
            if (read > 0) {
                connection.touch();
            }
            return read;
        }

        @Override
        public int write(ByteBuffer buffer) throws TTransportException {
            int written = super.write(buffer);
            if (written > 0) {
                connection.touch();
            }
            return written;
        }

        @Override
        public void close() {
            connection.close();
            super.close();
        }
    }

    /** For the thread-per-connection TLS server. */
    static final class Blocking extends TServerSocket {
        private final SocketGuard guard;

        Blocking(ServerSocket socket, SocketGuard guard) throws TTransportException {
            super(socket);
            this.guard = guard;
        }

        @Override
        public TSocket accept() throws TTransportException {
            TSocket accepted = super.accept();
            try {
                SocketGuard.Connection connection = guard.accepted(accepted.getSocket());
                return new TrackedBlocking(connection);
            } catch (SocketException e) {
                accepted.close();
                throw new TTransportException(e);
            }
        }
    }

    /** A blocking connection whose reads and writes count as activity; its read timeout is the idle timeout. */
    private static final class TrackedBlocking extends TSocket {
        private final SocketGuard.Connection connection;

        TrackedBlocking(SocketGuard.Connection connection) throws TTransportException {
            super(connection.socket());
            this.connection = connection;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws TTransportException {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                connection.touch();
            }
            return read;
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws TTransportException {
            super.write(buffer, offset, length);
            connection.touch();
        }

        @Override
        public void close() {
            connection.close();
            super.close();
        }
    }
}

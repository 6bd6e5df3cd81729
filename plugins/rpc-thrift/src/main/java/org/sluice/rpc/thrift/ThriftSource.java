package org.sluice.rpc.thrift;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.thrift.TProcessor;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.server.TThreadedSelectorServer;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.TTransportFactory;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.source.EventDrivenSource;
import org.sluice.api.source.SourceContext;
import org.sluice.support.guard.SocketGuard;
import org.sluice.support.tls.Tls;

/**
 * Serves Flume's Thrift protocol on framed transports. Without TLS, a selector server multiplexes any
 * number of connections over a bounded pool of {@code threads} request handlers (Flume's thread per
 * request is unbounded); with TLS or Kerberos (SASL GSSAPI in place of the framed transport, as in Flume), which
 * Thrift's non-blocking server cannot do, a thread-per-connection server. A request larger than Thrift's frame
 * limit (16 MB), or requests adding up to more than {@link #MAX_READ_BUFFER_BYTES} at once, cost their
 * connection only; what one request may decode to is bounded (see {@link SourceRequestHandler}).
 *
 * <p>Idle sockets cannot lock clients out ({@link SocketGuard}): a connection idle for the idle timeout is closed,
 * and one beyond {@code max-connections} closes the one idle the longest. The TLS server has a thread for every
 * connection it serves, and threads to spare, so a connection closed to make room frees its thread in time.
 */
final class ThriftSource implements EventDrivenSource {
    /** Flume's logger name, so existing log configurations keep working. */
    static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.source.ThriftSource");

    static final int DEFAULT_THREADS = 16;
    /** The most request bytes held in memory at once, over all connections of the selector server. */
    static final long MAX_READ_BUFFER_BYTES = 256L * 1024 * 1024;
    private static final int STOP_TIMEOUT_SECONDS = 10;

    private final SourceContext context;
    private final String name;
    private final String bind;
    private final int port;
    private final int threads;
    private final WireProtocol protocol;
    private final Tls tls;
    private final KerberosSettings kerberos;
    private final SourceCounter counter;
    private final int maxEventsPerRequest;
    private final int maxConnections;
    private final int idleTimeoutMillis;
    private SocketGuard guard;
    private java.util.concurrent.ScheduledExecutorService idleCloser;

    private TServer server;
    private ExecutorService handlers;
    private Thread serving;
    private int boundPort;

    ThriftSource(SourceContext context, String bind, int port, int threads, WireProtocol protocol, Tls tls,
            KerberosSettings kerberos, int maxEventsPerRequest, int maxConnections, int idleTimeoutMillis) {
        this.context = context;
        this.name = context.componentName();
        this.bind = bind;
        this.port = port;
        this.threads = threads;
        this.protocol = protocol;
        this.tls = tls;
        this.kerberos = kerberos;
        this.counter = context.counter();
        this.maxEventsPerRequest = maxEventsPerRequest;
        this.maxConnections = maxConnections;
        this.idleTimeoutMillis = idleTimeoutMillis;
    }

    @Override
    public void start() throws Exception {
        InetSocketAddress address = bind.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(bind, port);
        TProcessor processor = new SourceRequestHandler(name, context.channelProcessor(), counter,
                maxEventsPerRequest);
        String threadPrefix = "thrift-" + name + "-";
        guard = new SocketGuard("Thrift source " + name, maxConnections, idleTimeoutMillis,
                counter::setOpenConnectionCount, LOG);
        if (tls == null && kerberos == null) {
            GuardedServerSockets.Nonblocking socket = new GuardedServerSockets.Nonblocking(address, guard);
            boundPort = socket.getPort();
            handlers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    named(threadPrefix + "handler-"));
            TThreadedSelectorServer.Args args = new TThreadedSelectorServer.Args(socket)
                    .processor(processor)
                    .protocolFactory(protocol.factory())
                    .executorService(handlers)
                    .selectorThreads(Math.min(2, threads))
                    .stopTimeoutVal(STOP_TIMEOUT_SECONDS)
                    .stopTimeoutUnit(TimeUnit.SECONDS);
            args.maxReadBufferBytes = MAX_READ_BUFFER_BYTES;
            server = new TThreadedSelectorServer(args);
        } else {
            // Kerberos: the SASL handshake is a blocking exchange of its own, which the selector server cannot do.
            TTransportFactory transports = kerberos == null ? new TFramedTransport.Factory()
                    : KerberosTransports.server(kerberos.login("agent '" + context.agentName() + "', thrift source '"
                            + name + "'"));
            GuardedServerSockets.Blocking socket;
            try {
                socket = new GuardedServerSockets.Blocking(tls != null ? tls.bind(address) : plainSocket(address),
                        guard);
            } catch (IOException e) {
                throw new TTransportException("cannot listen" + (tls != null ? " with TLS" : "") + " on " + address,
                        e);
            }
            boundPort = socket.getServerSocket().getLocalPort();
            // A thread per connection: the guard keeps at most maxConnections open, and the threads beyond them are
            // for connections it closed to make room, whose threads end as soon as their blocked read fails.
            handlers = new ThreadPoolExecutor(1, maxConnections + threads, 60, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), named(threadPrefix + "connection-"));
            TThreadPoolServer.Args args = new TThreadPoolServer.Args(socket)
                    .processor(processor)
                    .protocolFactory(protocol.factory())
                    .transportFactory(transports)
                    .executorService(handlers)
                    .stopTimeoutVal(STOP_TIMEOUT_SECONDS)
                    .stopTimeoutUnit(TimeUnit.SECONDS);
            server = new TThreadPoolServer(args);
        }
        if (tls == null && kerberos == null && idleTimeoutMillis > 0) {
            // The selector server's sockets never block, so no read timeout fires: idle ones are closed from here.
            idleCloser = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(named(threadPrefix + "idle-"));
            long every = Math.max(100, Math.min(idleTimeoutMillis / 4, 5_000));
            idleCloser.scheduleWithFixedDelay(guard::closeIdle, every, every, TimeUnit.MILLISECONDS);
        }
        serving = new Thread(server::serve, threadPrefix + "server");
        serving.setDaemon(true);
        serving.start();
        LOG.info("Thrift source {} listening on {}:{} ({} protocol{}, {} handler threads)", name, address.getHostString(),
                boundPort, protocol.name().toLowerCase(java.util.Locale.ROOT), (tls == null ? "" : ", TLS")
                + (kerberos == null ? "" : ", Kerberos as " + kerberos.principal()), threads);
    }

    private static java.net.ServerSocket plainSocket(InetSocketAddress address) throws IOException {
        java.net.ServerSocket socket = new java.net.ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(address);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    /** The port it listens on (the configured one, or the one chosen for port 0). */
    int port() {
        return boundPort;
    }

    @Override
    public void stop() {
        if (server == null) {
            return;
        }
        server.stop();
        if (idleCloser != null) {
            idleCloser.shutdownNow();
            idleCloser = null;
        }
        guard.closeAll();
        try {
            serving.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS + 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handlers.shutdown();
        try {
            if (!handlers.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                // A handler still inside a channel put: interrupting it makes the put fail and the client is
                // told FAILED, so it sends the batch again.
                handlers.shutdownNow();
            }
        } catch (InterruptedException e) {
            handlers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        counter.setOpenConnectionCount(0);
        server = null;
        LOG.info("Thrift source {} stopped", name);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public String toString() {
        return "thrift source " + name + " on " + bind + ":" + port;
    }
}

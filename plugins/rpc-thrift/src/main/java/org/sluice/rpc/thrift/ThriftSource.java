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
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.server.ServerContext;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TServerEventHandler;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.server.TThreadedSelectorServer;
import org.apache.thrift.transport.TNonblockingServerSocket;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.source.EventDrivenSource;
import org.sluice.api.source.SourceContext;
import org.sluice.support.tls.Tls;

/**
 * Serves Flume's Thrift protocol on framed transports. Without TLS, a selector server multiplexes any
 * number of connections over a bounded pool of {@code threads} request handlers (Flume's thread per
 * request is unbounded); with TLS, which Thrift's non-blocking server cannot do, a thread-per-connection
 * server with at most {@code threads} connections served at once. A request larger than Thrift's frame
 * limit (16 MB), or requests adding up to more than {@link #MAX_READ_BUFFER_BYTES} at once, cost their
 * connection only.
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
    private final SourceCounter counter;
    private final AtomicInteger openConnections = new AtomicInteger();

    private TServer server;
    private ExecutorService handlers;
    private Thread serving;
    private int boundPort;

    ThriftSource(SourceContext context, String bind, int port, int threads, WireProtocol protocol, Tls tls) {
        this.context = context;
        this.name = context.componentName();
        this.bind = bind;
        this.port = port;
        this.threads = threads;
        this.protocol = protocol;
        this.tls = tls;
        this.counter = context.counter();
    }

    @Override
    public void start() throws Exception {
        InetSocketAddress address = bind.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(bind, port);
        TProcessor processor = new SourceRequestHandler(name, context.channelProcessor(), counter);
        String threadPrefix = "thrift-" + name + "-";
        if (tls == null) {
            TNonblockingServerSocket socket = new TNonblockingServerSocket(address);
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
            TServerSocket socket;
            try {
                socket = new TServerSocket(tls.bind(address));
            } catch (IOException e) {
                throw new TTransportException("cannot listen with TLS on " + address, e);
            }
            boundPort = socket.getServerSocket().getLocalPort();
            handlers = new ThreadPoolExecutor(1, threads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                    named(threadPrefix + "connection-"));
            TThreadPoolServer.Args args = new TThreadPoolServer.Args(socket)
                    .processor(processor)
                    .protocolFactory(protocol.factory())
                    .transportFactory(new TFramedTransport.Factory())
                    .executorService(handlers)
                    .stopTimeoutVal(STOP_TIMEOUT_SECONDS)
                    .stopTimeoutUnit(TimeUnit.SECONDS);
            server = new TThreadPoolServer(args);
        }
        server.setServerEventHandler(new ConnectionCounter());
        serving = new Thread(server::serve, threadPrefix + "server");
        serving.setDaemon(true);
        serving.start();
        LOG.info("Thrift source {} listening on {}:{} ({} protocol{}, {} handler threads)", name, address.getHostString(),
                boundPort, protocol.name().toLowerCase(java.util.Locale.ROOT), tls == null ? "" : ", TLS", threads);
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

    /** Keeps Flume's OpenConnectionCount. */
    private final class ConnectionCounter implements TServerEventHandler {
        @Override
        public void preServe() {
        }

        @Override
        public ServerContext createContext(TProtocol input, TProtocol output) {
            counter.setOpenConnectionCount(openConnections.incrementAndGet());
            return null;
        }

        @Override
        public void deleteContext(ServerContext serverContext, TProtocol input, TProtocol output) {
            counter.setOpenConnectionCount(openConnections.decrementAndGet());
        }

        @Override
        public void processContext(ServerContext serverContext, TTransport input, TTransport output) {
        }
    }

    @Override
    public String toString() {
        return "thrift source " + name + " on " + bind + ":" + port;
    }
}

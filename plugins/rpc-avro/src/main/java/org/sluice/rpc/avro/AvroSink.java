package org.sluice.rpc.avro;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.compression.JdkZlibDecoder;
import io.netty.handler.codec.compression.JdkZlibEncoder;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.ssl.SslHandler;
import org.apache.avro.ipc.CallFuture;
import org.apache.avro.ipc.generic.GenericRequestor;
import org.apache.avro.ipc.netty.NettyTransceiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.event.Event;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.support.tls.Tls;

/**
 * Flume's avro sink: takes up to {@code batch-size} events in one channel transaction, sends them in one
 * appendBatch, and commits the take only when the peer answered OK. On any failure the take is rolled back
 * (the events stay in the channel), the connection is dropped, and the next {@code process()} connects again.
 * All of it runs on the sink runner's thread; the sink holds at most one connection.
 */
final class AvroSink implements Sink {
    /** Flume's logger name, so existing log configurations keep working. */
    static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.sink.AvroSink");

    /** The validated settings of one sink. */
    record Settings(String hostname, int port, int batchSize, long connectTimeoutMillis, long requestTimeoutMillis,
            long resetConnectionIntervalMillis, boolean deflate, int compressionLevel, Tls tls) {
    }

    private final String name;
    private final Settings settings;
    private final Channel channel;
    private final SinkCounter counter;

    private ExecutorService calls;
    private NettyTransceiver transceiver;
    private GenericRequestor requestor;
    private long connectedAt;

    AvroSink(SinkContext context, Settings settings) {
        this.name = context.componentName();
        this.settings = settings;
        this.channel = context.channel();
        this.counter = context.counter();
    }

    @Override
    public void start() {
        ClassLoader loader = AvroSink.class.getClassLoader();
        calls = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "avro-" + name + "-call");
            thread.setDaemon(true);
            // Avro's requestor reads its handshake records through the context loader: keep it this bundle's.
            thread.setContextClassLoader(loader);
            return thread;
        });
        // As Flume: a peer that is not up yet does not fail the start; process() connects when it is.
        try {
            connect();
        } catch (IOException e) {
            LOG.warn("Avro sink {}: cannot connect to {} yet, will retry when there are events: {}", name,
                    describe(), e.toString());
        }
        LOG.info("Avro sink {} started for {}", name, describe());
    }

    @Override
    public Status process() throws EventDeliveryException {
        Transaction transaction = channel.getTransaction();
        transaction.begin();
        try {
            List<Event> batch = new ArrayList<>(Math.min(settings.batchSize(), 1024));
            for (Event event; batch.size() < settings.batchSize() && (event = channel.take()) != null; ) {
                batch.add(event);
            }
            if (batch.isEmpty()) {
                transaction.commit();
                counter.incrementBatchEmptyCount();
                return Status.BACKOFF;
            }
            counter.addToEventDrainAttemptCount(batch.size());
            send(batch);
            transaction.commit();
            counter.countBatch(batch.size(), settings.batchSize());
            counter.addToEventDrainSuccessCount(batch.size());
            return Status.READY;
        } catch (Throwable t) {
            try {
                transaction.rollback();
            } catch (RuntimeException rollbackFailure) {
                t.addSuppressed(rollbackFailure);
            }
            if (t instanceof Error error) {
                throw error;
            }
            if (t instanceof ChannelException) {
                counter.incrementChannelReadFail();
                // As Flume: a failing channel is not the peer's fault; keep the connection and back off.
                LOG.error("Avro sink {}: cannot take events from the channel; rolled back, backing off", name, t);
                return Status.BACKOFF;
            }
            counter.incrementEventWriteFail();
            disconnect();
            throw new EventDeliveryException("Avro sink " + name + ": cannot deliver the batch to " + describe()
                    + "; rolled back into the channel", t);
        } finally {
            transaction.close();
        }
    }

    /** Sends one appendBatch and returns when the peer answered OK; throws otherwise. */
    private void send(List<Event> batch) throws Exception {
        if (transceiver != null && settings.resetConnectionIntervalMillis() > 0
                && System.nanoTime() - connectedAt >= TimeUnit.MILLISECONDS.toNanos(
                        settings.resetConnectionIntervalMillis())) {
            LOG.debug("Avro sink {}: reset-connection-interval elapsed, reconnecting", name);
            disconnect();
        }
        if (transceiver == null) {
            connect();
        }
        GenericRequestor connection = requestor;
        Object request = new FlumeRequestor.AppendBatch(batch);
        Object status = transceiver.isConnected() ? call(connection, request) : firstCall(connection, request);
        if (!"OK".equals(String.valueOf(status))) {
            throw new IOException("the peer answered " + status + " to appendBatch of " + batch.size() + " events");
        }
    }

    /**
     * A call on a connection whose handshake is done: Avro's requestor then only writes the request and returns, so
     * the answer is awaited here, on the sink's thread, for at most request-timeout.
     */
    private Object call(GenericRequestor connection, Object request) throws Exception {
        CallFuture<Object> answer = new CallFuture<>();
        connection.request(FlumeProtocol.APPEND_BATCH, request, answer);
        try {
            return answer.get(settings.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("no answer within request-timeout " + settings.requestTimeoutMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new IOException("the call failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the answer", e);
        }
    }

    /** The connection's first call, which carries the handshake. */
    private Object firstCall(GenericRequestor connection, Object request) throws Exception {
        // The call runs on the sink's call thread, and this thread waits for it at most request-timeout: Avro's
        // requestor waits without any bound for the answer to a connection's first call (the one carrying the
        // handshake), so a peer that accepts and never answers would otherwise hold the sink for ever. On a
        // timeout the connection is closed (process() disconnects), which fails the waiting call and frees
        // the call thread.
        Future<Object> call = calls.submit(() -> {
            CallFuture<Object> answer = new CallFuture<>();
            connection.request(FlumeProtocol.APPEND_BATCH, request, answer);
            return answer.get();
        });
        Object status;
        try {
            status = call.get(settings.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new IOException("no answer within request-timeout " + settings.requestTimeoutMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof ExecutionException && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            throw new IOException("the call failed: " + cause, cause);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the answer", e);
        }
        return status;
    }

    private void connect() throws IOException {
        disconnect();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Netty's threads are created from here and inherit the context loader; Avro's handshake reader runs on
        // them and looks classes up through it.
        thread.setContextClassLoader(AvroSink.class.getClassLoader());
        try {
            NettyTransceiver connected = new NettyTransceiver(
                    new InetSocketAddress(settings.hostname(), settings.port()),
                    (int) Math.min(Integer.MAX_VALUE, settings.connectTimeoutMillis()), pipeline());
            try {
                requestor = new FlumeRequestor(connected);
            } catch (IOException | RuntimeException e) {
                connected.close();
                throw e;
            }
            transceiver = connected;
            connectedAt = System.nanoTime();
            counter.incrementConnectionCreatedCount();
            LOG.info("Avro sink {}: connected to {}", name, describe());
        } catch (IOException | RuntimeException e) {
            counter.incrementConnectionFailedCount();
            throw new IOException("cannot connect to " + describe() + ": " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** TLS outermost, then deflate, in front of Avro's framing: the same order as Flume's client. */
    private Consumer<SocketChannel> pipeline() {
        return channel -> {
            ChannelPipeline pipeline = channel.pipeline();
            if (settings.tls() != null) {
                pipeline.addLast("ssl", new SslHandler(settings.tls().newEngine(settings.hostname(),
                        settings.port())));
            }
            if (settings.deflate()) {
                pipeline.addLast("inflater", new JdkZlibDecoder(ZlibWrapper.ZLIB));
                pipeline.addLast("deflater", new JdkZlibEncoder(ZlibWrapper.ZLIB, settings.compressionLevel()));
            }
        };
    }

    private void disconnect() {
        if (transceiver == null) {
            return;
        }
        NettyTransceiver closing = transceiver;
        transceiver = null;
        requestor = null;
        // close() waits for Netty's threads; nothing in flight is lost: an unanswered batch was rolled back.
        closing.close(true);
        counter.incrementConnectionClosedCount();
    }

    private String describe() {
        return settings.hostname() + ":" + settings.port();
    }

    @Override
    public void stop() {
        disconnect();
        if (calls != null) {
            // The connection is closed, which fails a call still waiting; nothing is left to wait for.
            calls.shutdownNow();
            try {
                if (!calls.awaitTermination(2, TimeUnit.SECONDS)) {
                    LOG.warn("Avro sink {}: its call thread did not end on stop", name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("Avro sink {} stopped", name);
    }

    @Override
    public String toString() {
        return "avro sink " + name + " to " + describe();
    }
}

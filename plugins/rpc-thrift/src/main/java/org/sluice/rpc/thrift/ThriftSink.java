package org.sluice.rpc.thrift;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.Transaction;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.event.Event;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;

/**
 * Takes up to batch-size events in one transaction, sends them in one appendBatch call and commits the take
 * only when the source answered OK. Anything else (no connection, a time-out, FAILED) rolls the take back,
 * so the events stay in the channel, drops the connection and reports the failure; the next call connects
 * again. Only the sink's runner thread calls {@link #process()}.
 */
final class ThriftSink implements Sink {
    /** Flume's logger name, so existing log configurations keep working. */
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.sink.ThriftSink");

    private final String name;
    private final Channel channel;
    private final SinkCounter counter;
    private final ThriftConnection.Settings settings;
    private final int batchSize;
    private final long resetIntervalNanos;
    private final List<Event> batch;

    private final String who;
    private KerberosLogin login;
    private ThriftConnection connection;
    private long connectedAtNanos;

    ThriftSink(SinkContext context, ThriftConnection.Settings settings, int batchSize, int resetIntervalSeconds) {
        this.name = context.componentName();
        this.who = "agent '" + context.agentName() + "', thrift sink '" + name + "'";
        this.channel = context.channel();
        this.counter = context.counter();
        this.settings = settings;
        this.batchSize = batchSize;
        this.resetIntervalNanos = TimeUnit.SECONDS.toNanos(resetIntervalSeconds);
        this.batch = new ArrayList<>(batchSize);
    }

    @Override
    public void start() {
        if (settings.kerberos() != null) {
            login = settings.kerberos().login(who);
        }
        LOG.info("Thrift sink {} sends batches of up to {} events to {} ({} protocol{})", name, batchSize,
                settings.address(), settings.protocol().name().toLowerCase(java.util.Locale.ROOT),
                (settings.tls() == null ? "" : ", TLS") + (login == null ? "" : ", Kerberos as " + login.principal()
                        + " to " + settings.serverPrincipal()));
    }

    @Override
    public Status process() throws EventDeliveryException {
        Transaction transaction = channel.getTransaction();
        transaction.begin();
        try {
            batch.clear();
            for (Event event; batch.size() < batchSize && (event = channel.take()) != null; ) {
                batch.add(event);
            }
            int taken = batch.size();
            counter.countBatch(taken, batchSize);
            if (taken == 0) {
                transaction.commit();
                return Status.BACKOFF;
            }
            counter.addToEventDrainAttemptCount(taken);
            FlumeThriftProtocol.Status answer = connection().appendBatch(batch);
            if (answer != FlumeThriftProtocol.Status.OK) {
                throw new EventDeliveryException("thrift sink " + name + ": " + settings.address() + " answered "
                        + answer + " to a batch of " + taken + " events; they stay in the channel");
            }
            transaction.commit();
            counter.addToEventDrainSuccessCount(taken);
            return Status.READY;
        } catch (Throwable t) {
            rollBack(transaction, t);
            disconnect();
            counter.incrementEventWriteFail();
            if (t instanceof Error) {
                throw (Error) t;
            }
            if (t instanceof EventDeliveryException) {
                throw (EventDeliveryException) t;
            }
            throw new EventDeliveryException("thrift sink " + name + ": could not deliver a batch to "
                    + settings.address() + "; the events stay in the channel", t);
        } finally {
            batch.clear();
            transaction.close();
        }
    }

    private ThriftConnection connection() throws Exception {
        if (connection != null && resetIntervalNanos > 0 && System.nanoTime() - connectedAtNanos > resetIntervalNanos) {
            // connection-reset-interval: spread load again behind a load balancer.
            LOG.debug("Thrift sink {}: reconnecting to {} after the reset interval", name, settings.address());
            disconnect();
        }
        if (connection == null) {
            try {
                connection = ThriftConnection.open(settings, login);
            } catch (Exception e) {
                counter.incrementConnectionFailedCount();
                throw e;
            }
            connectedAtNanos = System.nanoTime();
            counter.incrementConnectionCreatedCount();
        }
        return connection;
    }

    private void disconnect() {
        if (connection != null) {
            connection.close();
            connection = null;
            counter.incrementConnectionClosedCount();
        }
    }

    private static void rollBack(Transaction transaction, Throwable cause) {
        try {
            transaction.rollback();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void stop() {
        disconnect();
    }

    @Override
    public String toString() {
        return "thrift sink " + name + " to " + settings.address();
    }
}

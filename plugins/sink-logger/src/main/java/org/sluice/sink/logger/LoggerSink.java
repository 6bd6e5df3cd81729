package org.sluice.sink.logger;

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
 * Logs every event it takes at INFO as {@code Event: { headers:{...} body: <hex dump> }}. Like Flume's, it
 * takes the events even when INFO is off for its logger: it is a debugging sink, and a sink that stopped
 * draining its channel would stall the flow.
 */
final class LoggerSink implements Sink {
    /** Flume's logger name, so log configurations written for Flume still route and filter these lines. */
    static final String LOGGER_NAME = "org.apache.flume.sink.LoggerSink";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

    private final String name;
    private final Channel channel;
    private final SinkCounter counter;
    private final EventDump dump;
    private final int batchSize;

    LoggerSink(SinkContext context, EventDump dump, int batchSize) {
        this.name = context.componentName();
        this.channel = context.channel();
        this.counter = context.counter();
        this.dump = dump;
        this.batchSize = batchSize;
    }

    @Override
    public Status process() throws EventDeliveryException {
        Transaction transaction = channel.getTransaction();
        transaction.begin();
        int taken = 0;
        try {
            for (Event event; taken < batchSize && (event = channel.take()) != null; taken++) {
                if (LOG.isInfoEnabled()) {
                    LOG.info("Event: {}", dump.render(event));
                }
            }
            transaction.commit();
        } catch (Throwable t) {
            rollBack(transaction, t);
            counter.incrementChannelReadFail();
            if (t instanceof Error) {
                throw (Error) t;
            }
            throw new EventDeliveryException("logger sink " + name + " could not take events from its channel", t);
        } finally {
            counter.addToEventDrainAttemptCount(taken);
            transaction.close();
        }
        counter.countBatch(taken, batchSize);
        counter.addToEventDrainSuccessCount(taken);
        return taken == 0 ? Status.BACKOFF : Status.READY;
    }

    private static void rollBack(Transaction transaction, Throwable cause) {
        try {
            transaction.rollback();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return "logger sink " + name;
    }
}

package org.sluice.sink.nullsink;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.Transaction;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;

/**
 * Takes up to {@code batchSize} events per transaction and commits without doing anything with them, as
 * Flume's NullSink does: a sink for measuring a pipeline, or for draining a channel on purpose.
 */
final class NullSink implements Sink {
    /** Flume's logger name, so existing log configurations that tune it keep working. */
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.sink.NullSink");

    private final String name;
    private final Channel channel;
    private final SinkCounter counter;
    private final int batchSize;
    private final int logEveryNEvents;
    /** Events discarded since this instance started; only the runner thread touches it. */
    private long discarded;

    NullSink(SinkContext context, int batchSize, int logEveryNEvents) {
        this.name = context.componentName();
        this.channel = context.channel();
        this.counter = context.counter();
        this.batchSize = batchSize;
        this.logEveryNEvents = logEveryNEvents;
    }

    @Override
    public Status process() throws EventDeliveryException {
        Transaction transaction = channel.getTransaction();
        transaction.begin();
        int taken = 0;
        try {
            while (taken < batchSize && channel.take() != null) {
                taken++;
            }
            transaction.commit();
        } catch (Throwable t) {
            rollBack(transaction, t);
            counter.incrementChannelReadFail();
            if (t instanceof Error) {
                throw (Error) t;
            }
            throw new EventDeliveryException("null sink " + name + " could not take events from its channel", t);
        } finally {
            counter.addToEventDrainAttemptCount(taken);
            transaction.close();
        }
        counter.countBatch(taken, batchSize);
        counter.addToEventDrainSuccessCount(taken);
        logProgress(taken);
        return taken == 0 ? Status.BACKOFF : Status.READY;
    }

    private void logProgress(int taken) {
        long before = discarded;
        discarded += taken;
        if (discarded / logEveryNEvents > before / logEveryNEvents) {
            LOG.info("Null sink {} successful processed {} events.", name, discarded);
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
    public String toString() {
        return "null sink " + name;
    }
}

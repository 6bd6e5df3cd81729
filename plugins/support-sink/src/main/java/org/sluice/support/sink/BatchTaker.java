package org.sluice.support.sink;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.Transaction;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.event.Event;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink.Status;
import org.sluice.api.sink.SinkContext;

/**
 * Flume's take template for a sink, written once: one transaction per call, up to the batch size of events
 * taken and handed to a {@link BatchWriter}, flushed, and only then committed; on any failure the writer
 * abandons the batch, the transaction rolls back (the events stay in the channel) and the call throws
 * {@link EventDeliveryException} (the writer's own, if it threw one); the transaction is always closed.
 * Flume's sink counters are kept on the way: drain attempts for every event taken, successes and the batch-size
 * counters after the commit, a channel read failure when the channel failed (a take or the commit), an event
 * write failure when the writer did.
 *
 * <p>Call it from the sink's {@code process()}, on the runner thread; the sink returns what it returns:
 * {@code BACKOFF} for an empty channel, {@code READY} otherwise.
 */
public final class BatchTaker {
    private final Channel channel;
    private final SinkCounter counter;
    private final int batchSize;
    private final String sink;

    /**
     * @param context the sink's context: its channel and counters
     * @param batchSize events per transaction at most; the channel's transactionCapacity must allow it
     * @param sink how failures name the sink, as {@code "file_roll sink k1"}
     */
    public BatchTaker(SinkContext context, int batchSize, String sink) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        this.channel = context.channel();
        this.counter = context.counter();
        this.batchSize = batchSize;
        this.sink = sink;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Takes, writes, flushes and commits one batch; see the class comment. */
    public Status takeBatch(BatchWriter writer) throws EventDeliveryException {
        Transaction transaction = channel.getTransaction();
        transaction.begin();
        int taken = 0;
        // Whose failure it is, for the counters: the writer's while it has the batch, else the channel's.
        boolean writing = false;
        try {
            for (Event event; taken < batchSize && (event = channel.take()) != null; ) {
                taken++;
                writing = true;
                writer.write(event);
                writing = false;
            }
            writing = true;
            writer.flush(taken);
            writing = false;
            transaction.commit();
        } catch (Throwable t) {
            String destination = writer.destination();
            abandon(writer, t);
            rollBack(transaction, t);
            if (writing) {
                counter.incrementEventWriteFail();
            } else {
                counter.incrementChannelReadFail();
            }
            if (t instanceof Error error) {
                throw error;
            }
            if (t instanceof EventDeliveryException delivery) {
                // The writer's own account of what failed (a peer's refusal): passed on as it is.
                throw delivery;
            }
            throw new EventDeliveryException(sink + " could not deliver a batch of " + taken + " events"
                    + (destination == null ? "" : " to " + destination) + "; they stay in the channel", t);
        } finally {
            counter.addToEventDrainAttemptCount(taken);
            transaction.close();
        }
        counter.countBatch(taken, batchSize);
        counter.addToEventDrainSuccessCount(taken);
        writer.committed(taken);
        return taken == 0 ? Status.BACKOFF : Status.READY;
    }

    /** Even a writer that breaks its promise not to throw must not keep the transaction from rolling back. */
    private static void abandon(BatchWriter writer, Throwable cause) {
        try {
            writer.abandon(cause);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** A rollback that fails must not hide why the batch failed. */
    private static void rollBack(Transaction transaction, Throwable cause) {
        try {
            transaction.rollback();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return sink + ", batches of up to " + batchSize;
    }
}

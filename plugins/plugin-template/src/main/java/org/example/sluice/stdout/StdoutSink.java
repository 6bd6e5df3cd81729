package org.example.sluice.stdout;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.event.Event;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;

/**
 * Prints each event's body as a line, for agents whose output is collected from standard output (a
 * container's log). The shape every sink follows: take a batch in one transaction, deliver it, make sure it
 * arrived (here: flush, then check the stream's error flag), and only then commit.
 */
final class StdoutSink implements Sink {
    private final Channel channel;
    private final SinkCounter counter;
    private final PrintStream out;
    private final int batchSize;
    private final boolean printHeaders;

    StdoutSink(Channel channel, SinkCounter counter, PrintStream out, int batchSize, boolean printHeaders) {
        this.channel = channel;
        this.counter = counter;
        this.out = out;
        this.batchSize = batchSize;
        this.printHeaders = printHeaders;
    }

    @Override
    public Status process() throws EventDeliveryException {
        Transaction transaction = channel.getTransaction();
        transaction.begin();
        int taken = 0;
        try {
            for (Event event; taken < batchSize && (event = channel.take()) != null; taken++) {
                print(event);
            }
            out.flush();
            // PrintStream never throws: it remembers a failed write, and checkError() tells.
            if (out.checkError()) {
                throw new IOException("standard output refused the batch");
            }
            transaction.commit();
        } catch (Throwable t) {
            // Roll back on any failure: the events return to the channel and are delivered again later.
            rollBack(transaction, t);
            if (t instanceof ChannelException) {
                counter.incrementChannelReadFail();
            } else {
                counter.incrementEventWriteFail();
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            throw new EventDeliveryException("stdout sink could not print a batch of " + taken + " events", t);
        } finally {
            counter.addToEventDrainAttemptCount(taken);
            transaction.close();
        }
        counter.countBatch(taken, batchSize);
        counter.addToEventDrainSuccessCount(taken);
        // BACKOFF tells the runner the channel was empty: it waits a little before calling again.
        return taken == 0 ? Status.BACKOFF : Status.READY;
    }

    /** A rollback that fails must not hide why the batch failed. */
    private static void rollBack(Transaction transaction, Throwable cause) {
        try {
            transaction.rollback();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private void print(Event event) {
        if (printHeaders) {
            byte[] headers = (event.getHeaders() + " ").getBytes(StandardCharsets.UTF_8);
            out.write(headers, 0, headers.length);
        }
        byte[] body = event.getBody();
        out.write(body, 0, body.length);
        out.write('\n');
    }
}

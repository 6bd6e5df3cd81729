package org.sluice.source.taildir;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiPredicate;

import org.sluice.api.event.Event;

/**
 * Hands the source's batches to the channels on a thread of its own, one batch at a time, so that the source's
 * thread reads and splits the next batch meanwhile: under a backlog both halves of the work, the lines' copying and
 * the channel put, get a core each. The source waits for a batch's outcome before it saves the batch's end as the
 * file's position or hands over the next one, so the channels take the batches in order and a position is never
 * ahead of what they committed.
 */
final class BatchDelivery implements AutoCloseable {

    /** A batch handed over: its outcome, and the file offset after its last line. */
    static final class Pending {
        private final Future<Boolean> outcome;
        final long end;

        private Pending(Future<Boolean> outcome, long end) {
            this.outcome = outcome;
            this.end = end;
        }

        /**
         * Waits for the batch: true when the channels committed it. An interrupt cancels the put (its transaction
         * rolls back, or has committed: either way the batch counts as refused and is read again, at least once),
         * and is kept for the caller.
         */
        boolean committed() {
            try {
                return outcome.get();
            } catch (InterruptedException e) {
                outcome.cancel(true);
                Thread.currentThread().interrupt();
                return false;
            } catch (CancellationException e) {
                return false;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("the delivery of a batch failed", cause);
            }
        }
    }

    private final ExecutorService thread;
    private final BiPredicate<TailedFile, List<Event>> deliver;

    /**
     * @param threadName the delivery thread's name
     * @param deliver    puts a batch of a file to the channels; true when they committed it (never throws for a
     *                   refusal)
     */
    BatchDelivery(String threadName, BiPredicate<TailedFile, List<Event>> deliver) {
        this.deliver = deliver;
        this.thread = Executors.newSingleThreadExecutor(task -> {
            Thread delivery = new Thread(task, threadName);
            delivery.setDaemon(true);
            return delivery;
        });
    }

    /** Hands {@code events}, the lines of {@code file} up to offset {@code end}, to the delivery thread. */
    Pending submit(TailedFile file, List<Event> events, long end) {
        return new Pending(thread.submit(() -> deliver.test(file, events)), end);
    }

    /** Ends the thread once the batch in flight, if any, is done; the source waited for it before anyway. */
    @Override
    public void close() {
        thread.shutdown();
    }
}

package org.sluice.api.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.channel.AbstractTransaction.State;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;

/**
 * The transaction state machine every channel inherits: begin once, put and take while open, then commit or
 * rollback, then close, all on the thread that began it; illegal steps throw IllegalStateException and never
 * reach the channel's code; a failure the channel's code throws, at any step, leaves the transaction where the
 * caller's try / catch (rollback) / finally (close) can still finish it, and the thread able to begin again.
 * The channel here records which of its steps ran and throws on the step a test chooses.
 */
class AbstractTransactionTest {

    /** The steps of the channel's own code, in {@link ScriptedTransaction}. */
    enum Step { BEGIN, PUT, TAKE, COMMIT, ROLLBACK, CLOSE }

    /** A channel whose transactions log their steps and throw what {@link #failAt} says, once. */
    static final class ScriptedChannel extends AbstractChannel {
        final List<String> log = new ArrayList<>();
        Step failAt;
        Supplier<? extends Throwable> failure;

        void failOnce(Step step, Supplier<? extends Throwable> failure) {
            this.failAt = step;
            this.failure = failure;
        }

        @Override
        protected AbstractTransaction createTransaction() {
            return new ScriptedTransaction(this);
        }
    }

    static final class ScriptedTransaction extends AbstractTransaction {
        private final ScriptedChannel channel;

        ScriptedTransaction(ScriptedChannel channel) {
            this.channel = channel;
        }

        private void step(Step step) {
            channel.log.add(step.name().toLowerCase());
            if (channel.failAt == step) {
                channel.failAt = null;
                Throwable failure = channel.failure.get();
                if (failure instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) failure;
            }
        }

        @Override
        protected void doBegin() {
            step(Step.BEGIN);
        }

        @Override
        protected void doPut(Event event) {
            step(Step.PUT);
        }

        @Override
        protected Event doTake() {
            step(Step.TAKE);
            return EventBuilder.withBody("taken", StandardCharsets.UTF_8);
        }

        @Override
        protected void doCommit() {
            step(Step.COMMIT);
        }

        @Override
        protected void doRollback() {
            step(Step.ROLLBACK);
        }

        @Override
        protected void doClose() {
            step(Step.CLOSE);
        }
    }

    /** Failures a channel's code may throw: an Error, a runtime exception, a ChannelException. */
    private static final List<Supplier<? extends Throwable>> FAILURES = List.of(
            () -> new AssertionError("test: an Error in the channel"),
            () -> new IllegalStateException("test: a bug in the channel"),
            () -> new ChannelException("test: the channel cannot"));

    private final ScriptedChannel channel = new ScriptedChannel();
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopOtherThread() {
        other.shutdownNow();
    }

    private static Event event() {
        return EventBuilder.withBody("e", StandardCharsets.UTF_8);
    }

    private AbstractTransaction transaction() {
        return (AbstractTransaction) channel.getTransaction();
    }

    private <T> T onOtherThread(Callable<T> work) throws Exception {
        try {
            return other.submit(work).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    // ------------------------------------------------------------------------------------- the state machine

    @Test
    void goesFromNewThroughOpenAndCompletedToClosed() {
        AbstractTransaction tx = transaction();
        assertEquals(State.NEW, tx.state());
        tx.begin();
        assertEquals(State.OPEN, tx.state());
        channel.put(event());
        channel.take();
        tx.commit();
        assertEquals(State.COMPLETED, tx.state());
        tx.close();
        assertEquals(State.CLOSED, tx.state());

        assertEquals(List.of("begin", "put", "take", "commit", "close"), channel.log);
    }

    @Test
    void aRollbackCompletesTheTransactionToo() {
        AbstractTransaction tx = transaction();
        tx.begin();
        channel.take();
        tx.rollback();
        assertEquals(State.COMPLETED, tx.state());
        tx.close();

        assertEquals(List.of("begin", "take", "rollback", "close"), channel.log);
    }

    @Test
    void illegalStepsThrowAndNeverReachTheChannel() {
        AbstractTransaction tx = transaction();
        assertThrows(IllegalStateException.class, tx::commit, "commit before begin");
        assertThrows(IllegalStateException.class, tx::rollback, "rollback before begin");
        assertThrows(IllegalStateException.class, () -> channel.put(event()), "put before begin");
        assertThrows(IllegalStateException.class, channel::take, "take before begin");
        tx.begin();
        assertThrows(IllegalStateException.class, tx::begin, "begin twice");
        tx.commit();
        assertThrows(IllegalStateException.class, tx::commit, "commit twice");
        assertThrows(IllegalStateException.class, tx::rollback, "rollback after commit");
        assertThrows(IllegalStateException.class, tx::begin, "begin after commit");
        assertThrows(IllegalStateException.class, () -> channel.put(event()), "put after commit");
        assertThrows(IllegalStateException.class, channel::take, "take after commit");
        tx.close();
        assertThrows(IllegalStateException.class, tx::begin, "begin after close");
        assertThrows(IllegalStateException.class, tx::commit, "commit after close");
        assertThrows(IllegalStateException.class, tx::rollback, "rollback after close");

        assertEquals(List.of("begin", "commit", "close"), channel.log);
    }

    @Test
    void aRolledBackTransactionTakesNoMoreSteps() {
        AbstractTransaction tx = transaction();
        tx.begin();
        tx.rollback();
        assertThrows(IllegalStateException.class, tx::commit);
        assertThrows(IllegalStateException.class, tx::rollback);
        assertThrows(IllegalStateException.class, () -> channel.put(event()));
        tx.close();

        assertEquals(List.of("begin", "rollback", "close"), channel.log);
    }

    @Test
    void closingAnOpenTransactionThrowsAndLeavesItOpenForTheRollback() {
        AbstractTransaction tx = transaction();
        tx.begin();
        channel.take();

        assertThrows(IllegalStateException.class, tx::close, "neither committed nor rolled back");

        assertEquals(State.OPEN, tx.state());
        assertSame(tx, channel.getTransaction(), "still the thread's transaction");
        tx.rollback();
        tx.close();
        assertEquals(List.of("begin", "take", "rollback", "close"), channel.log, "the take was given back");
    }

    @Test
    void aNewTransactionClosesWithoutBeginAndCloseIsIdempotent() {
        AbstractTransaction tx = transaction();
        tx.close();
        tx.close();

        assertEquals(State.CLOSED, tx.state());
        assertEquals(List.of("close"), channel.log, "the channel's close ran once");
    }

    @Test
    void aNullEventIsRefusedBeforeTheChannelSeesIt() {
        AbstractTransaction tx = transaction();
        tx.begin();
        assertThrows(IllegalArgumentException.class, () -> channel.put(null));
        channel.put(event());
        tx.commit();
        tx.close();

        assertEquals(List.of("begin", "put", "commit", "close"), channel.log);
    }

    @Test
    void aThreadGetsTheSameTransactionUntilItIsClosed() throws Exception {
        AbstractTransaction tx = transaction();
        assertSame(tx, transaction());
        tx.begin();
        assertSame(tx, transaction());
        assertNotSame(tx, onOtherThread(channel::getTransaction), "another thread has its own");
        tx.commit();
        assertSame(tx, transaction(), "completed, not closed yet");
        tx.close();
        assertNotSame(tx, transaction());
    }

    // ------------------------------------------------------------------------------------- one thread

    @Test
    void onlyTheThreadThatCreatedATransactionMayUseIt() throws Exception {
        AbstractTransaction tx = transaction();
        assertThrows(IllegalStateException.class, () -> onOtherThread(() -> {
            tx.begin();
            return null;
        }), "begin on another thread");
        tx.begin();
        for (Runnable step : List.<Runnable>of(tx::begin, tx::commit, tx::rollback, tx::close)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> onOtherThread(() -> {
                step.run();
                return null;
            }));
            assertEquals(true, refused.getMessage().contains("owned by"), refused.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> onOtherThread(() -> {
            channel.put(event());
            return null;
        }), "another thread's put finds no open transaction of its own");
        assertEquals(State.OPEN, tx.state());
        tx.commit();
        tx.close();

        assertEquals(List.of("begin", "commit", "close"), channel.log, "no step of another thread ran");
    }

    // ------------------------------------------------------------------------------------- injected failures

    @Test
    void aFailedBeginLeavesTheThreadFreeToBeginAgain() {
        for (Supplier<? extends Throwable> failure : FAILURES) {
            channel.failOnce(Step.BEGIN, failure);
            Transaction tx = channel.getTransaction();
            // Flume's idiom: begin() stands before the try, so nothing rolls back or closes a failed begin.
            assertThrows(Throwable.class, tx::begin);

            Transaction next = channel.getTransaction();
            next.begin();
            channel.put(event());
            next.commit();
            next.close();
        }
    }

    @Test
    void aFailedPutOrTakeLeavesTheTransactionOpenForRollback() {
        for (Step step : List.of(Step.PUT, Step.TAKE)) {
            for (Supplier<? extends Throwable> failure : FAILURES) {
                channel.log.clear();
                channel.failOnce(step, failure);
                AbstractTransaction tx = transaction();
                tx.begin();
                Throwable thrown = assertThrows(Throwable.class,
                        () -> { if (step == Step.PUT) channel.put(event()); else channel.take(); });
                assertEquals(failure.get().getClass(), thrown.getClass(), "thrown as the channel threw it");
                assertEquals(State.OPEN, tx.state());
                tx.rollback();
                tx.close();
                assertEquals(List.of("begin", step.name().toLowerCase(), "rollback", "close"), channel.log);
            }
        }
    }

    @Test
    void aFailedCommitLeavesTheTransactionOpenSoItCanBeRolledBack() {
        for (Supplier<? extends Throwable> failure : FAILURES) {
            channel.log.clear();
            channel.failOnce(Step.COMMIT, failure);
            AbstractTransaction tx = transaction();
            tx.begin();
            channel.put(event());
            assertThrows(Throwable.class, tx::commit);

            assertEquals(State.OPEN, tx.state());
            assertThrows(IllegalStateException.class, tx::close, "the caller must roll back first");
            tx.rollback();
            tx.close();
            assertEquals(List.of("begin", "put", "commit", "rollback", "close"), channel.log);
        }
    }

    @Test
    void aFailedRollbackStillCompletesTheTransactionSoItCanBeClosed() {
        for (Supplier<? extends Throwable> failure : FAILURES) {
            channel.log.clear();
            channel.failOnce(Step.ROLLBACK, failure);
            AbstractTransaction tx = transaction();
            tx.begin();
            channel.take();
            assertThrows(Throwable.class, tx::rollback);

            assertEquals(State.COMPLETED, tx.state());
            assertThrows(IllegalStateException.class, tx::rollback, "a rollback is not tried twice");
            tx.close();
            assertEquals(List.of("begin", "take", "rollback", "close"), channel.log);
        }
    }

    @Test
    void aFailedCloseStillClosesSoTheThreadGetsAFreshTransaction() {
        for (Supplier<? extends Throwable> failure : FAILURES) {
            channel.failOnce(Step.CLOSE, failure);
            AbstractTransaction tx = transaction();
            tx.begin();
            tx.commit();
            assertThrows(Throwable.class, tx::close);

            assertEquals(State.CLOSED, tx.state());
            assertNotSame(tx, transaction());
        }
    }
}

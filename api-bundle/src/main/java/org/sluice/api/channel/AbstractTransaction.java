package org.sluice.api.channel;

import org.sluice.api.event.Event;

/**
 * Enforces the {@link Transaction} state machine (begin, put/take, commit or rollback, close) and the one
 * thread rule, so a channel implements only {@link #doPut}, {@link #doTake}, {@link #doCommit} and
 * {@link #doRollback}. The channel's {@link AbstractChannel} routes put and take to the thread's transaction.
 */
public abstract class AbstractTransaction implements Transaction {

    /** Where a transaction is in its life. */
    public enum State { NEW, OPEN, COMPLETED, CLOSED }

    private final Thread owner = Thread.currentThread();
    private State state = State.NEW;

    @Override
    public final void begin() {
        checkOwner();
        expect(State.NEW, "begin");
        // Open only once the channel's begin worked: a failed begin stands before the caller's try, so nothing
        // rolls it back or closes it, and the thread must be able to begin this transaction again.
        doBegin();
        state = State.OPEN;
    }

    /**
     * What the channel's {@code put} does on the owner thread while this transaction is open. A wrapper that
     * holds the thread's transaction (the platform's counters around every channel) calls it directly, so the
     * channel need not find the thread's transaction again for every event.
     */
    public final void put(Event event) {
        checkOwner();
        expect(State.OPEN, "put");
        if (event == null) {
            throw new IllegalArgumentException("put of a null event");
        }
        doPut(event);
    }

    /** What the channel's {@code take} does on the owner thread while this transaction is open; see {@link #put}. */
    public final Event take() {
        checkOwner();
        expect(State.OPEN, "take");
        return doTake();
    }

    @Override
    public final void commit() {
        checkOwner();
        expect(State.OPEN, "commit");
        doCommit();
        state = State.COMPLETED;
    }

    @Override
    public final void rollback() {
        checkOwner();
        // A failed commit leaves the transaction OPEN, so rollback is legal after it.
        expect(State.OPEN, "rollback");
        state = State.COMPLETED;
        doRollback();
    }

    @Override
    public final void close() {
        checkOwner();
        if (state == State.OPEN) {
            throw new IllegalStateException("close() of a transaction that was neither committed nor rolled back");
        }
        if (state != State.CLOSED) {
            state = State.CLOSED;
            doClose();
        }
    }

    public final State state() {
        return state;
    }

    protected void doBegin() {
    }

    protected abstract void doPut(Event event);

    protected abstract Event doTake();

    protected abstract void doCommit();

    protected abstract void doRollback();

    protected void doClose() {
    }

    private void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("transaction used by " + Thread.currentThread().getName()
                    + " but owned by " + owner.getName());
        }
    }

    private void expect(State expected, String operation) {
        if (state != expected) {
            throw new IllegalStateException(operation + "() in state " + state + ", expected " + expected);
        }
    }
}

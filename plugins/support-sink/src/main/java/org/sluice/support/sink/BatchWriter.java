package org.sluice.support.sink;

import org.sluice.api.event.Event;

/**
 * A sink's part of one transaction: what it does with each event taken, how it makes sure the batch arrived
 * before the commit, what it does after the commit and what it undoes when the batch fails. {@link BatchTaker}
 * calls these in order on the sink's runner thread; a lambda serves a sink that only writes.
 */
@FunctionalInterface
public interface BatchWriter {

    /** Delivers one event of the transaction (into a buffer, a file, a request). */
    void write(Event event) throws Exception;

    /**
     * After the last take and before the commit, also for an empty batch: when this returns, the events written
     * must be where they go (flushed, forced, acknowledged). A commit before that would lose them on a crash.
     */
    default void flush(int written) throws Exception {
    }

    /** After the commit: the events left the channel for good. Must not throw; nothing can be undone now. */
    default void committed(int written) {
    }

    /** Where the batch goes (a file, a peer), for the message of a failure; null when nothing is open yet. */
    default String destination() {
        return null;
    }

    /**
     * The batch failed, before its rollback: undo what can be undone (cut a partial batch off a file, drop a
     * connection), so that the retry starts clean. Must not throw; a failure of its own goes to
     * {@code cause.addSuppressed}.
     */
    default void abandon(Throwable cause) {
    }
}

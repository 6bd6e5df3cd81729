package org.sluice.support.source;

import org.slf4j.Logger;

/**
 * The one thread of a source that polls (a spooling directory, tailed files): a daemon thread named
 * {@code sluice-<agent>-source-<name>}, as thread dumps show every source's, that runs the source's loop.
 *
 * <p>Stopping is two steps, because only the source knows how to wake its loop: the source clears its running flag
 * and wakes the loop, then calls {@link #stop}, which waits for the batch in flight to finish (its channel put may
 * wait the channel's keep-alive) and interrupts it only after the grace period. An interrupted batch rolls its
 * transaction back, and as its position was not saved, the next start reads it again: nothing is lost.
 */
public final class SourceThread {
    /** How long an interrupted thread has to end before it is given up on (and reported). */
    static final long INTERRUPTED_WAIT_MILLIS = 2000;

    private final Thread thread;
    private final String description;

    private SourceThread(Thread thread, String description) {
        this.thread = thread;
        this.description = description;
    }

    /**
     * Starts {@code loop} on the source's thread.
     *
     * @param description how log lines name the source, {@code "Taildir source r1"}
     */
    public static SourceThread start(String agentName, String componentName, String description, Runnable loop) {
        Thread thread = new Thread(loop, "sluice-" + agentName + "-source-" + componentName);
        thread.setDaemon(true);
        thread.start();
        return new SourceThread(thread, description);
    }

    /**
     * Waits up to {@code graceMillis} for the loop to end, then interrupts it and waits a little more. A thread
     * that still runs is reported; an interrupt of the caller ends the wait and is kept.
     *
     * @return true when the thread ended
     */
    public boolean stop(long graceMillis, Logger log) {
        try {
            thread.join(graceMillis);
            if (thread.isAlive()) {
                log.warn("{}: the batch in flight did not finish in {} ms; interrupting it", description,
                        graceMillis);
                thread.interrupt();
                thread.join(INTERRUPTED_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("{}: its thread did not stop", description);
            return false;
        }
        return true;
    }
}

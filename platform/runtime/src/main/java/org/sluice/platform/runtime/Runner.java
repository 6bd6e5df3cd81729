package org.sluice.platform.runtime;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that drives a pollable component (a sink or sink group, a pollable source) with Flume's backoff:
 * after a BACKOFF the runner sleeps {@code increment * consecutiveBackoffs}, at most {@code max}; after an
 * exception it sleeps {@code max}. Stopping lets the call in progress finish (so a sink completes or rolls back
 * its transaction itself) and interrupts it only if it does not finish within the grace period.
 */
final class Runner {
    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);

    /** How long a stopping runner's current step may take before it is interrupted. */
    static final long STOP_GRACE_MILLIS = 10_000L;

    /** One step of work; returns true for "ready, call again", false for "back off". */
    interface Step {
        boolean process() throws Exception;
    }

    private final String name;
    private final Step step;
    private final long backoffIncrementMillis;
    private final long maxBackoffMillis;
    private final Object sleeper = new Object();
    private volatile boolean running;
    private Thread thread;

    Runner(String name, Step step, long backoffIncrementMillis, long maxBackoffMillis) {
        this.name = name;
        this.step = step;
        this.backoffIncrementMillis = backoffIncrementMillis;
        this.maxBackoffMillis = maxBackoffMillis;
    }

    synchronized void start() {
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(false);
        thread.start();
    }

    /** Stops the loop: waits up to {@code graceMillis} for the current step, then interrupts and waits again. */
    synchronized void stop(long graceMillis) {
        running = false;
        if (thread == null) {
            return;
        }
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        try {
            thread.join(graceMillis);
            if (thread.isAlive()) {
                LOG.warn("{} did not finish its current step within {} ms; interrupting it", name, graceMillis);
                thread.interrupt();
                thread.join(graceMillis);
                if (thread.isAlive()) {
                    LOG.error("{} is still running after interrupt; leaving it behind", name);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    boolean isRunning() {
        return running;
    }

    private void loop() {
        long consecutiveBackoffs = 0;
        while (running) {
            long sleep;
            try {
                if (step.process()) {
                    consecutiveBackoffs = 0;
                    continue;
                }
                consecutiveBackoffs++;
                sleep = Math.min(consecutiveBackoffs * backoffIncrementMillis, maxBackoffMillis);
            } catch (InterruptedException e) {
                if (running) {
                    LOG.warn("{} was interrupted while running; continuing", name);
                }
                continue;
            } catch (Exception | LinkageError e) {
                // A sink or source that throws has rolled back its transaction: nothing is lost, it is retried.
                if (!running) {
                    break;
                }
                LOG.error("{} failed; retrying in {} ms", name, maxBackoffMillis, e);
                sleep = maxBackoffMillis;
            }
            pause(sleep);
        }
    }

    private void pause(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (sleeper) {
            while (running) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                try {
                    sleeper.wait(left);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}

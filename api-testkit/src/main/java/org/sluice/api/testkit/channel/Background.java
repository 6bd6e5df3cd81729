package org.sluice.api.testkit.channel;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Work of a test on a thread of its own, whose state the test can watch: the contract starts a take or a
 * commit here, waits until the thread blocks inside the channel, then acts (commits a put, stops the
 * channel, interrupts the thread) and looks at how the work ended.
 */
final class Background<T> {
    private final FutureTask<T> task;
    private final Thread thread;
    private volatile long endedNanos;

    private Background(String name, Callable<T> work) {
        this.task = new FutureTask<>(() -> {
            try {
                return work.call();
            } finally {
                endedNanos = System.nanoTime();
            }
        });
        this.thread = new Thread(task, name);
        thread.setDaemon(true);
    }

    static <T> Background<T> start(String name, Callable<T> work) {
        Background<T> background = new Background<>(name, work);
        background.thread.start();
        return background;
    }

    /** Until the thread waits (on a condition, a lock or a timed wait), or has ended. */
    Background<T> awaitBlocked() {
        await("thread " + thread.getName() + " blocks").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(2))
                .until(() -> task.isDone() || thread.getState() == Thread.State.WAITING
                        || thread.getState() == Thread.State.TIMED_WAITING);
        return this;
    }

    void interrupt() {
        thread.interrupt();
    }

    boolean isDone() {
        return task.isDone();
    }

    /** When the work ended, by System.nanoTime(); valid once {@link #isDone()}. */
    long endedNanos() {
        return endedNanos;
    }

    /** The work's result; what it threw is thrown as it was (an Error or Exception), not wrapped. */
    T result(Duration within) throws Exception {
        try {
            return task.get(within.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new AssertionError("thread " + thread.getName() + " did not end within " + within, e);
        }
    }
}

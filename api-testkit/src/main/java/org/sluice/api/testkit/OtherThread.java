package org.sluice.api.testkit;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs a piece of a test on a thread of its own and waits for it: a channel's transactions belong to the
 * thread that began them, so "what does another thread see" needs another thread.
 */
public final class OtherThread {
    private OtherThread() {
    }

    /** The work's result, or the exception it threw (unwrapped); fails after 30 seconds. */
    public static <T> T call(Callable<T> work) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "other-thread"));
        try {
            return thread.submit(work).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        } finally {
            thread.shutdownNow();
        }
    }
}

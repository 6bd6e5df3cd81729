package org.sluice.itests.osgi.support;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls until something the runtime does asynchronously has happened. The timeout only bounds a hang: it is
 * generous, and no test asserts how fast anything is.
 */
public final class Await {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Await() {
    }

    /** Returns the first value of {@code probe} that satisfies {@code done}; fails naming the last value seen. */
    public static <T> T until(String what, Supplier<T> probe, Predicate<? super T> done) {
        return until(what, probe, done, DEFAULT_TIMEOUT);
    }

    public static <T> T until(String what, Supplier<T> probe, Predicate<? super T> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; last seen: " + last);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
            last = probe.get();
        }
        return last;
    }
}

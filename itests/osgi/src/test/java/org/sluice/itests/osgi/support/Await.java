package org.sluice.itests.osgi.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.awaitility.core.ConditionFactory;

/**
 * Waits, with Awaitility, until something the runtime does asynchronously has happened. The timeout only bounds a
 * hang: it is generous (the machines running the tests are shared), and no test asserts how fast anything is.
 *
 * <p>Awaitility's catching of uncaught exceptions in all threads is off: every test class gets a framework of its
 * own in one JVM, and a thread an earlier framework left behind (a Netty event loop of the Avro client) failing
 * on its stopped bundle's class loader says nothing about the test that waits now.
 */
public final class Await {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private Await() {
    }

    /**
     * Returns the first value of {@code probe} that satisfies {@code done}; fails naming {@code what} and the last
     * value seen.
     */
    public static <T> T until(String what, Supplier<T> probe, Predicate<? super T> done) {
        return until(what, probe, done, DEFAULT_TIMEOUT);
    }

    public static <T> T until(String what, Supplier<T> probe, Predicate<? super T> done, Duration timeout) {
        return settings(await(what)).atMost(timeout).until(probe::get, done);
    }

    /** Awaitility as the tests inside the framework use it: polled often, from now, and see the class comment. */
    public static ConditionFactory settings(ConditionFactory await) {
        return await.pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL).dontCatchUncaughtExceptions();
    }
}

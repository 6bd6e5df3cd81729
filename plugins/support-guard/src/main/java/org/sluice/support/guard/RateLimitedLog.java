package org.sluice.support.guard;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * One kind of warning that a client can cause as often as it likes (a bad request, an oversized line), logged at
 * most once per interval: the first occurrence at once, then one line per interval saying how many were not
 * logged. A client sending a thousand bad requests a second then costs the log one line every few seconds instead
 * of filling the disk and burying everything else. Thread-safe; one instance per kind of warning and component.
 */
public final class RateLimitedLog {
    /** The interval unless told otherwise. */
    public static final long DEFAULT_INTERVAL_SECONDS = 10;

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();
    private final LongSupplier nanoTime;

    public RateLimitedLog(Logger log) {
        this(log, DEFAULT_INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    public RateLimitedLog(Logger log, long interval, TimeUnit unit) {
        this(log, interval, unit, System::nanoTime);
    }

    RateLimitedLog(Logger log, long interval, TimeUnit unit, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = unit.toNanos(interval);
        this.nanoTime = nanoTime;
        this.nextAllowed = new AtomicLong(nanoTime.getAsLong() - 1);
    }

    /**
     * Logs a warning unless one was logged less than an interval ago; the arguments are slf4j's. Untrusted values
     * among them should pass through {@link UntrustedText#forLog} first.
     *
     * @return whether the line was logged
     */
    public boolean warn(String format, Object... arguments) {
        long now = nanoTime.getAsLong();
        long next = nextAllowed.get();
        if (now - next < 0 || !nextAllowed.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return false;
        }
        long skipped = suppressed.getAndSet(0);
        if (skipped == 0) {
            log.warn(format, arguments);
        } else {
            Object[] withCount = Arrays.copyOf(arguments, arguments.length + 2);
            // A Throwable must stay last for slf4j to print it; warnings here carry none.
            withCount[arguments.length] = skipped;
            withCount[arguments.length + 1] = TimeUnit.NANOSECONDS.toSeconds(intervalNanos);
            log.warn(format + " ({} more like it were not logged in the last {} s)", withCount);
        }
        return true;
    }

    /** How many warnings were not logged since the last one that was. */
    public long suppressed() {
        return suppressed.get();
    }
}

package org.sluice.kafka;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;

/**
 * At most one WARN line per interval for one kind of trouble that can repeat for every record (a topic full of
 * records that are not Flume events): the first occurrence is logged in full, later ones within the interval are
 * counted and the count is logged with the next line.
 */
public final class ThrottledLog {
    private final Logger log;
    private final long intervalNanos;
    private long lastNanos;
    private long suppressed;
    private boolean logged;

    public ThrottledLog(Logger log, long interval, TimeUnit unit) {
        this.log = log;
        this.intervalNanos = unit.toNanos(interval);
    }

    /** Logs {@code message} at WARN unless a line went out within the interval. */
    public synchronized void warn(String message) {
        long now = System.nanoTime();
        if (logged && now - lastNanos < intervalNanos) {
            suppressed++;
            return;
        }
        log.warn(suppressed == 0 ? message : message + " (and " + suppressed + " more like it since the last report)");
        suppressed = 0;
        lastNanos = now;
        logged = true;
    }
}

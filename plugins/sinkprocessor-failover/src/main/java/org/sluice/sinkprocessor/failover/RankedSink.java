package org.sluice.sinkprocessor.failover;

import org.sluice.api.sink.Sink;

/**
 * A sink of the group with its rank and its failure record. Which sink is tried first is decided by
 * {@link #compareTo}: higher priority first, then the one the group lists first (Flume drops a sink whose
 * priority another already has; Sluice keeps it behind that one).
 */
final class RankedSink implements Comparable<RankedSink> {
    /** The first penalty; each further consecutive failure doubles it, up to maxpenalty. */
    static final long FIRST_PENALTY_MILLIS = 1_000L;

    final String name;
    final Sink sink;
    final int priority;
    private final int position;
    /** Failures since the sink last delivered; 0 while it is live. */
    private int consecutiveFailures;
    /** When a failed sink may be tried again (System.nanoTime() scale). */
    private long retryAtNanos;

    RankedSink(String name, Sink sink, int priority, int position) {
        this.name = name;
        this.sink = sink;
        this.priority = priority;
        this.position = position;
    }

    boolean failed() {
        return consecutiveFailures > 0;
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** Records a failure at {@code nowNanos} and returns the penalty it earned, in milliseconds. */
    long penalise(long nowNanos, long maxPenaltyMillis) {
        consecutiveFailures++;
        int doublings = Math.min(consecutiveFailures - 1, 30);
        long penalty = Math.min(maxPenaltyMillis, FIRST_PENALTY_MILLIS << doublings);
        retryAtNanos = nowNanos + penalty * 1_000_000L;
        return penalty;
    }

    boolean dueForRetry(long nowNanos) {
        return nowNanos - retryAtNanos >= 0;
    }

    void recovered() {
        consecutiveFailures = 0;
    }

    @Override
    public int compareTo(RankedSink other) {
        if (priority != other.priority) {
            return Integer.compare(other.priority, priority);
        }
        return Integer.compare(position, other.position);
    }

    @Override
    public String toString() {
        return "sink " + name + " (priority " + priority + ")";
    }
}

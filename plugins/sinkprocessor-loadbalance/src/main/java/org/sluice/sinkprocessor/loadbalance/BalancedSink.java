package org.sluice.sinkprocessor.loadbalance;

import org.sluice.api.sink.Sink;

/** A sink of the group with its failure record, for backoff. */
final class BalancedSink {
    /** The first time out; each further consecutive failure doubles it, up to selector.maxTimeOut. */
    static final long FIRST_TIMEOUT_MILLIS = 1_000L;

    final String name;
    final Sink sink;
    private int consecutiveFailures;
    /** Until when (System.nanoTime() scale) the sink is left out. */
    private long outUntilNanos;

    BalancedSink(String name, Sink sink) {
        this.name = name;
        this.sink = sink;
    }

    boolean leftOut(long nowNanos) {
        return consecutiveFailures > 0 && nowNanos - outUntilNanos < 0;
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** Records a failure and returns how long the sink is left out, in milliseconds. */
    long failed(long nowNanos, long maxTimeOutMillis) {
        consecutiveFailures++;
        long timeout = Math.min(maxTimeOutMillis, FIRST_TIMEOUT_MILLIS << Math.min(consecutiveFailures - 1, 30));
        outUntilNanos = nowNanos + timeout * 1_000_000L;
        return timeout;
    }

    void delivered() {
        consecutiveFailures = 0;
    }

    @Override
    public String toString() {
        return "sink " + name;
    }
}

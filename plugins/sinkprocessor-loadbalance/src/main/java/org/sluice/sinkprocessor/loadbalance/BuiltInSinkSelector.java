package org.sluice.sinkprocessor.loadbalance;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkSelector;

/**
 * Flume's {@code round_robin} and {@code random} selectors: the order comes from a {@link SinkOrder}; with
 * backoff on, a sink that failed is left out for 1 s, doubling with each consecutive failure up to
 * {@code selector.maxTimeOut}, and a delivery ends its record. Called from the group's runner thread only.
 */
final class BuiltInSinkSelector implements SinkSelector {
    private final List<BalancedSink> sinks;
    private final Map<Sink, BalancedSink> bySink = new IdentityHashMap<>();
    private final SinkOrder order;
    private final boolean backoff;
    private final long maxTimeOutMillis;
    private final LongSupplier nanoClock;
    /** Reused from call to call. */
    private final int[] indexes;

    BuiltInSinkSelector(List<BalancedSink> sinks, SinkOrder order, boolean backoff, long maxTimeOutMillis,
            LongSupplier nanoClock) {
        this.sinks = List.copyOf(sinks);
        this.order = order;
        this.backoff = backoff;
        this.maxTimeOutMillis = maxTimeOutMillis;
        this.nanoClock = nanoClock;
        this.indexes = new int[sinks.size()];
        for (BalancedSink sink : this.sinks) {
            bySink.put(sink.sink, sink);
        }
    }

    @Override
    public Iterator<Sink> createSinkIterator() {
        long now = nanoClock.getAsLong();
        order.next(indexes);
        List<Sink> due = new ArrayList<>(indexes.length);
        for (int index : indexes) {
            BalancedSink candidate = sinks.get(index);
            if (!backoff || !candidate.leftOut(now)) {
                due.add(candidate.sink);
            }
        }
        return due.iterator();
    }

    @Override
    public void informSinkFailed(Sink failedSink) {
        failed(failedSink);
    }

    /** Records a failure; returns what happens to the sink now, for the processor's log. */
    String failed(Sink failedSink) {
        if (!backoff) {
            return "offered batches again as before (backoff is off)";
        }
        return "left out for " + bySink.get(failedSink).failed(nanoClock.getAsLong(), maxTimeOutMillis) + " ms";
    }

    /** The sink took a batch: its next failure counts as a first one again. */
    void delivered(Sink sink) {
        bySink.get(sink).delivered();
    }

    /** Why an iterator came out empty. */
    String whyNoSink() {
        return "every sink is left out after failing (" + sinks + ")";
    }

    @Override
    public String toString() {
        return (backoff ? "with backoff up to " + maxTimeOutMillis + " ms" : "without backoff");
    }
}

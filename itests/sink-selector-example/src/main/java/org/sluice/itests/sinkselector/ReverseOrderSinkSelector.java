package org.sluice.itests.sinkselector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkSelector;

/**
 * Offers the group's sinks last to first, so the last sink of {@code sinks} takes every batch while it works. A
 * sink that failed is left out for {@code pauseAfterFailure} milliseconds: with a custom selector the backoff is
 * the selector's, not the processor's. Called from the group's runner thread only.
 */
final class ReverseOrderSinkSelector implements SinkSelector {
    private final List<Sink> lastToFirst;
    private final long pauseAfterFailureMillis;
    /** Until when (System.nanoTime() scale) a failed sink is left out. */
    private final Map<Sink, Long> leftOutUntil = new IdentityHashMap<>();

    ReverseOrderSinkSelector(List<Sink> sinks, long pauseAfterFailureMillis) {
        this.lastToFirst = new ArrayList<>(sinks);
        Collections.reverse(lastToFirst);
        this.pauseAfterFailureMillis = pauseAfterFailureMillis;
    }

    @Override
    public Iterator<Sink> createSinkIterator() {
        long now = System.nanoTime();
        List<Sink> due = new ArrayList<>(lastToFirst.size());
        for (Sink sink : lastToFirst) {
            Long until = leftOutUntil.get(sink);
            if (until == null || now - until >= 0) {
                due.add(sink);
            }
        }
        return due.iterator();
    }

    @Override
    public void informSinkFailed(Sink failedSink) {
        if (pauseAfterFailureMillis > 0) {
            leftOutUntil.put(failedSink, System.nanoTime() + pauseAfterFailureMillis * 1_000_000L);
        }
    }
}

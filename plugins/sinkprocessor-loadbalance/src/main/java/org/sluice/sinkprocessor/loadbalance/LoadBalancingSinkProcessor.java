package org.sluice.sinkprocessor.loadbalance;

import java.util.List;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkProcessor;

/**
 * Offers each batch to the group's sinks in the order the selector gives, until one takes it: a sink that
 * throws has rolled its take back, so the next sink gets the same events in the same call. A BACKOFF (an
 * empty channel) ends the call, as in Flume. With backoff on, a failed sink is left out for 1 s, doubling
 * with each consecutive failure up to selector.maxTimeOut; a delivery ends its record.
 */
final class LoadBalancingSinkProcessor implements SinkProcessor {
    /** Flume's logger name, so existing log configurations keep working. */
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.sink.LoadBalancingSinkProcessor");

    private final String group;
    private final List<BalancedSink> sinks;
    private final SinkOrder order;
    private final boolean backoff;
    private final long maxTimeOutMillis;
    private final LongSupplier nanoClock;
    /** Reused from call to call: only the runner thread calls process(). */
    private final int[] indexes;

    LoadBalancingSinkProcessor(String group, List<BalancedSink> sinks, SinkOrder order, boolean backoff,
            long maxTimeOutMillis, LongSupplier nanoClock) {
        this.group = group;
        this.sinks = List.copyOf(sinks);
        this.order = order;
        this.backoff = backoff;
        this.maxTimeOutMillis = maxTimeOutMillis;
        this.nanoClock = nanoClock;
        this.indexes = new int[sinks.size()];
    }

    @Override
    public Sink.Status process() throws EventDeliveryException {
        long now = nanoClock.getAsLong();
        order.next(indexes);
        EventDeliveryException failures = null;
        for (int index : indexes) {
            BalancedSink candidate = sinks.get(index);
            if (backoff && candidate.leftOut(now)) {
                continue;
            }
            try {
                Sink.Status status = candidate.sink.process();
                if (status == Sink.Status.READY) {
                    candidate.delivered();
                }
                return status;
            } catch (EventDeliveryException | RuntimeException e) {
                String outcome;
                if (backoff) {
                    outcome = "left out for " + candidate.failed(now, maxTimeOutMillis) + " ms";
                } else {
                    outcome = "offered batches again as before (backoff is off)";
                }
                LOG.warn("Load-balancing sink processor {}: {} failed; its batch stays in the channel for the next "
                        + "sink, and it is {}", group, candidate, outcome, e);
                if (failures == null) {
                    failures = new EventDeliveryException("load-balancing sink processor " + group + ": no sink "
                            + "could deliver; the events stay in the channel", e);
                } else {
                    failures.addSuppressed(e);
                }
            }
        }
        if (failures != null) {
            throw failures;
        }
        throw new EventDeliveryException("load-balancing sink processor " + group + ": every sink is left out "
                + "after failing (" + sinks + "); the events stay in the channel until one is due again");
    }

    @Override
    public String toString() {
        return "load-balancing sink processor " + group + " over " + sinks;
    }
}

package org.sluice.sinkprocessor.failover;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkProcessor;

/**
 * Gives each batch to the highest-ranked sink that is live. A sink that throws is penalised (1 s, doubling
 * with each consecutive failure, at most maxpenalty) and the next one takes over at once, in the same call,
 * so the batch is not delayed. When a penalised sink ranked above the current one is due, it is tried first
 * again: the group's traffic moves back to it within maxpenalty of its recovery. Only a READY answer ends a
 * penalty: a BACKOFF (an empty channel) proves nothing about the sink's destination.
 *
 * <p>Each sink takes from the channel in its own transaction and rolls it back when it fails, so a batch a
 * failed sink could not deliver stays in the channel for the next one. Only the group's runner thread
 * calls {@link #process()}.
 */
final class FailoverSinkProcessor implements SinkProcessor {
    /** Flume's logger name, so existing log configurations keep working. */
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.sink.FailoverSinkProcessor");

    private final String group;
    /** In the order they are tried: highest priority first. */
    private final List<RankedSink> sinks;
    private final long maxPenaltyMillis;
    private final LongSupplier nanoClock;

    FailoverSinkProcessor(String group, List<RankedSink> sinks, long maxPenaltyMillis, LongSupplier nanoClock) {
        List<RankedSink> ordered = new ArrayList<>(sinks);
        Collections.sort(ordered);
        this.group = group;
        this.sinks = List.copyOf(ordered);
        this.maxPenaltyMillis = maxPenaltyMillis;
        this.nanoClock = nanoClock;
        warnAboutSharedPriorities();
    }

    @Override
    public void start() {
        LOG.info("Failover sink processor {}: sinks in the order they take over: {}", group, sinks);
    }

    @Override
    public Sink.Status process() throws EventDeliveryException {
        long now = nanoClock.getAsLong();
        EventDeliveryException failures = null;
        for (RankedSink candidate : sinks) {
            if (candidate.failed() && !candidate.dueForRetry(now)) {
                continue;
            }
            try {
                Sink.Status status = candidate.sink.process();
                if (status == Sink.Status.READY && candidate.failed()) {
                    LOG.info("Failover sink processor {}: {} delivers again after {} failures; it takes the group's "
                            + "events from now on", group, candidate, candidate.consecutiveFailures());
                    candidate.recovered();
                }
                return status;
            } catch (EventDeliveryException | RuntimeException e) {
                long penalty = candidate.penalise(now, maxPenaltyMillis);
                LOG.warn("Failover sink processor {}: {} failed ({} in a row); its batch stays in the channel for "
                        + "the next sink, and it is tried again in {} ms", group, candidate,
                        candidate.consecutiveFailures(), penalty, e);
                if (failures == null) {
                    failures = new EventDeliveryException("failover sink processor " + group + ": no sink could "
                            + "deliver; the events stay in the channel", e);
                } else {
                    failures.addSuppressed(e);
                }
            }
        }
        if (failures != null) {
            throw failures;
        }
        throw new EventDeliveryException("failover sink processor " + group + ": every sink is penalised after "
                + "failing (" + sinks + "); the events stay in the channel until one is due again");
    }

    private void warnAboutSharedPriorities() {
        for (int i = 1; i < sinks.size(); i++) {
            if (sinks.get(i).priority == sinks.get(i - 1).priority) {
                LOG.warn("Failover sink processor {}: {} and {} share priority {}; the one the group lists first "
                        + "goes first (Flume would leave the second unused)", group, sinks.get(i - 1).name,
                        sinks.get(i).name, sinks.get(i).priority);
            }
        }
    }

    @Override
    public String toString() {
        return "failover sink processor " + group + " over " + sinks;
    }
}

package org.sluice.api.sink;

import java.util.Iterator;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.Lifecycle;

/**
 * The strategy of a {@code load_balance} sink group: in which order the group's sinks are offered the next
 * batch. The counterpart of Flume's {@code LoadBalancingSinkProcessor.SinkSelector}: what Flume passes through
 * {@code setSinks} and {@code configure} comes in the {@link SinkSelectorContext} the factory creates it with.
 *
 * <p>The platform creates one instance per sink group, starts it before the group's processor and stops it
 * after. Both methods are called from the group's runner thread only, one call at a time.
 */
@ConsumerType
public interface SinkSelector extends Lifecycle {

    /**
     * The sinks to offer the next batch to, in the order to try them: the processor calls the first and goes
     * on to the next only when one throws (its take was rolled back, so the next sink gets the same events).
     * Only sinks of the group ({@link SinkSelectorContext#sinks()}) may be returned; a sink may be left out,
     * for instance while it is backing off after a failure. An empty iterator fails the call, and the events
     * stay in the channels.
     */
    Iterator<Sink> createSinkIterator();

    /**
     * {@code failedSink}, returned by the last iterator, threw from {@code process()}. A selector that wants
     * Flume's backoff leaves the sink out of its next iterators for a while; Sluice's processor leaves that to
     * the selector, as Flume does for custom selectors.
     */
    void informSinkFailed(Sink failedSink);
}

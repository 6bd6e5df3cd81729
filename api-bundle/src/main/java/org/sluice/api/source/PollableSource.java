package org.sluice.api.source;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.sink.EventDeliveryException;

/**
 * A source the platform polls from a runner thread: {@link #process()} is called in a loop; after
 * {@link Status#BACKOFF} the runner sleeps, by {@link #backoffSleepIncrement()} more each time, up to
 * {@link #maxBackoffSleep()} (Flume's PollableSourceRunner).
 */
@ConsumerType
public interface PollableSource extends Source {

    enum Status { READY, BACKOFF }

    /** Reads some events and hands them to the channel processor. */
    Status process() throws EventDeliveryException;

    /** Flume's {@code backoffSleepIncrement}, 1000 ms. */
    default long backoffSleepIncrement() {
        return 1000L;
    }

    /** Flume's {@code maxBackoffSleep}, 5000 ms. */
    default long maxBackoffSleep() {
        return 5000L;
    }
}

package org.sluice.api.sink;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.Lifecycle;

/**
 * Takes events from its channel ({@link SinkContext#channel()}) and delivers them. The platform's runner
 * calls {@link #process()} in a loop. A sink commits its take transaction only after what it took is
 * flushed to where it goes; on any failure it rolls back, so the events stay in the channel.
 */
@ConsumerType
public interface Sink extends Lifecycle {

    enum Status {
        /** Did work; call again at once. */
        READY,
        /** Nothing to do or the destination is failing; the runner backs off before the next call. */
        BACKOFF
    }

    Status process() throws EventDeliveryException;
}

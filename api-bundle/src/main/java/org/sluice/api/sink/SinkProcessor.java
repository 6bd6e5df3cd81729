package org.sluice.api.sink;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.Lifecycle;

/**
 * Runs a group of sinks from one runner thread: each {@link #process()} picks a sink (the only one, the
 * highest-priority live one, the next in a rotation) and returns what it returned. The platform starts and
 * stops the sinks themselves; the processor only chooses.
 */
@ConsumerType
public interface SinkProcessor extends Lifecycle {

    Sink.Status process() throws EventDeliveryException;
}

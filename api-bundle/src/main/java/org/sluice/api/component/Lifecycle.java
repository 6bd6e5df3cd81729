package org.sluice.api.component;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Start and stop, called by the platform: channels first, then sinks, then sources on start, the reverse
 * on stop. A component is created, started at most once and stopped at most once; a restart creates a new
 * instance, so components need no re-start logic.
 */
@ConsumerType
public interface Lifecycle {

    /** Acquire resources and begin work; an exception leaves the component failed and is reported. */
    default void start() throws Exception {
    }

    /** Release everything; must not throw past what it cannot release, and must return in bounded time. */
    default void stop() {
    }
}

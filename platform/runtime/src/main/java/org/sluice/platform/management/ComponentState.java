package org.sluice.platform.management;

/** Where a configured component is in its life, as the shell shows it. */
public enum ComponentState {
    /** Configured, but something it needs is missing: a provider bundle, a channel, a valid configuration. */
    WAITING,
    STARTING,
    RUNNING,
    STOPPING,
    /** Its start or configuration failed; the reason says why. */
    FAILED,
    /** Stopped by an operator ({@code sluice:stop}); it stays stopped until started again ({@code sluice:start}). */
    STOPPED
}

package org.sluice.launcher;

import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the framework once, whoever asks (SIGTERM, SIGINT, the JVM shutting down, the shell), and bounds
 * how long the stop may take: stopping the framework is when the platform drains channels and stops
 * every component, which must finish but must not hang a service manager for ever.
 *
 * <p>SIGTERM and SIGINT are handled so that a clean stop exits with 0 (a JVM ended by a signal exits with
 * 128 + signal, which service managers count as a failure of Java services). A shutdown hook covers the
 * other ways the JVM ends (System.exit, SIGHUP, a JVM without signal support).
 */
final class GracefulStop {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

    private final Framework framework;
    private final long timeoutNanos;
    private long deadline;
    /** Read without the lock: the start's wait looks at it while a stop may be under way. */
    private volatile boolean requested;

    GracefulStop(Framework framework, long timeout, TimeUnit unit) {
        this.framework = framework;
        this.timeoutNanos = unit.toNanos(timeout);
    }

    /** Routes SIGTERM and SIGINT to {@link #request}, and adds the shutdown hook. */
    void install() {
        for (String signal : new String[] {"TERM", "INT"}) {
            if (!Signals.handle(signal, () -> request("SIG" + signal))) {
                LOG.debug("SIG{} cannot be handled in this JVM: the shutdown hook stops the framework", signal);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::onJvmShutdown, "sluice-shutdown"));
    }

    /** Asks the framework to stop (asynchronously); the first call starts the clock. */
    synchronized void request(String reason) {
        if (requested) {
            LOG.info("Already stopping ({}): at most {} s left", reason,
                    Math.max(0, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())));
            return;
        }
        requested = true;
        deadline = System.nanoTime() + timeoutNanos;
        LOG.info("Stopping ({}): waiting up to {} s for the agents to drain and stop", reason,
                TimeUnit.NANOSECONDS.toSeconds(timeoutNanos));
        try {
            framework.stop();
        } catch (BundleException e) {
            LOG.error("The framework refused to stop", e);
        }
    }

    /** Whether a stop was asked for. */
    boolean requested() {
        return requested;
    }

    /**
     * Waits until the framework has stopped, for whatever reason.
     *
     * @return the exit code: 0 for a clean stop, 1 if the framework stopped on an error or did not stop in time
     */
    int awaitStop() throws InterruptedException {
        while (true) {
            FrameworkEvent event = framework.waitForStop(TimeUnit.SECONDS.toMillis(1));
            switch (event.getType()) {
                case FrameworkEvent.WAIT_TIMEDOUT:
                    if (overdue()) {
                        LOG.error("The framework did not stop within {} s (sluice.stop.timeout): exiting anyway",
                                TimeUnit.NANOSECONDS.toSeconds(timeoutNanos));
                        return 1;
                    }
                    break;
                case FrameworkEvent.ERROR:
                    LOG.error("The framework stopped on an error", event.getThrowable());
                    return 1;
                case FrameworkEvent.STOPPED_UPDATE:
                case FrameworkEvent.STOPPED_SYSTEM_REFRESHED:
                    LOG.warn("The framework was stopped to be restarted: Sluice exits instead, start it again");
                    return 0;
                default:
                    LOG.info("Stopped");
                    return 0;
            }
        }
    }

    /** True once a stop was asked for longer ago than the timeout; a stop begun by the shell starts the clock. */
    private synchronized boolean overdue() {
        if (!requested && framework.getState() == Bundle.STOPPING) {
            requested = true;
            deadline = System.nanoTime() + timeoutNanos;
        }
        return requested && System.nanoTime() - deadline > 0;
    }

    private void onJvmShutdown() {
        try {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) != 0) {
                request("JVM shutdown");
                long remaining;
                synchronized (this) {
                    remaining = deadline - System.nanoTime();
                }
                if (remaining > 0 && framework.waitForStop(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)))
                        .getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                    LOG.error("The framework did not stop within {} s (sluice.stop.timeout)",
                            TimeUnit.NANOSECONDS.toSeconds(timeoutNanos));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            org.apache.logging.log4j.LogManager.shutdown();
        }
    }
}

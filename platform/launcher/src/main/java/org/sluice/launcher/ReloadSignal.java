package org.sluice.launcher;

import java.lang.reflect.Method;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP reads the agent's configuration again now, whatever it is read from (files, URIs, ZooKeeper), as the
 * shell's {@code sluice:reload} does, and applies what changed: {@code kill -HUP <pid>} after editing a file,
 * without waiting for the next poll. The platform's configuration bridge does the work and logs what changed;
 * its classes live inside the framework, so the launcher calls it through its interface by reflection.
 *
 * <p>Flume's agent has no handler: SIGHUP ends it, as any signal a JVM does not handle. A process started with
 * SIGHUP ignored ({@code nohup}) cannot handle it either; {@code bin/sluice start} does not use nohup for that
 * reason, and the log says so when it happens.
 */
final class ReloadSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);
    static final String BRIDGE = "org.sluice.platform.config.ConfigFileBridge";

    private ReloadSignal() {
    }

    /** Routes SIGHUP to {@link #reload}; from now on SIGHUP no longer ends the JVM. */
    static void install(BundleContext context) {
        if (!Signals.handle("HUP", () -> reload(context))) {
            LOG.warn("SIGHUP cannot be handled in this process (started with SIGHUP ignored, for instance by nohup): "
                    + "kill -HUP does not reload the configuration; the shell's sluice:reload does");
        }
    }

    /**
     * Asks the configuration bridge to read the configuration again and apply what changed.
     *
     * @return whether a bridge was there to ask
     */
    static boolean reload(BundleContext context) {
        ServiceReference<?> reference;
        try {
            reference = context.getServiceReference(BRIDGE);
        } catch (IllegalStateException stopped) {
            // The framework is stopping: there is nothing to reload into.
            return false;
        }
        if (reference == null) {
            LOG.warn("SIGHUP: no configuration to read again (the platform has not started, or no configuration was "
                    + "given)");
            return false;
        }
        Object bridge = context.getService(reference);
        if (bridge == null) {
            return false;
        }
        try {
            LOG.info("SIGHUP: reading the configuration again");
            Method reload = ServiceInterfaces.named(bridge, BRIDGE).getMethod("reload");
            reload.invoke(bridge);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.error("SIGHUP: reading the configuration again failed; what runs is unchanged", e);
            return false;
        } finally {
            context.ungetService(reference);
        }
    }
}

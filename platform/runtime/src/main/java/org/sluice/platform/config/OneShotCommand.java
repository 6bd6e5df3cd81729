package org.sluice.platform.config;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.Callable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The service through which the launcher runs a one-off command of the platform ({@code sluice.mode=validate}, {@code test},
 * {@code avro-client}) on a kernel of its own: a {@code Callable<Integer>} with the property
 * {@value #PROPERTY}{@code =<mode>}, registered only when the framework was started for that mode. The launcher
 * calls it once and exits with its result.
 */
public final class OneShotCommand {
    /** The service property naming the command; the launcher's filter looks for it. */
    public static final String PROPERTY = "sluice.command";

    private ServiceRegistration<?> registration;

    /** Registers {@code command} if this framework was started in {@code mode}; whether it was. */
    public synchronized boolean registerIfStartedFor(BundleContext context, String mode, Callable<Integer> command) {
        if (!mode.equals(LaunchSettings.read(context::getProperty).mode())) {
            return false;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(PROPERTY, mode);
        registration = context.registerService(Callable.class.getName(), command, properties);
        return true;
    }

    public synchronized void unregister() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }
}

package org.sluice.kafka;

import java.security.Provider;
import java.security.Security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Kafka client leaves in the JVM beyond its clients, removed when this bundle stops so that an updated or
 * uninstalled revision can be collected: the client registers its SASL mechanisms (SCRAM, PLAIN, OAUTHBEARER) as JCA
 * security providers, process-wide, the first time a client uses one, and never removes them. Closing every client
 * (each component does at stop) ends its threads; this ends the rest.
 */
public final class BundleLeftovers {
    private static final Logger LOG = LoggerFactory.getLogger(BundleLeftovers.class);
    private static final ClassLoader BUNDLE = BundleLeftovers.class.getClassLoader();

    /** DS's ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED, so the bundle needs no import for one number. */
    public static final int BUNDLE_STOPPED = 6;

    private BundleLeftovers() {
    }

    /** Removes the security providers whose classes this bundle loaded. */
    public static synchronized void remove() {
        for (Provider provider : Security.getProviders()) {
            if (provider.getClass().getClassLoader() == BUNDLE) {
                Security.removeProvider(provider.getName());
                LOG.debug("removed the security provider '{}' the Kafka client registered", provider.getName());
            }
        }
    }
}

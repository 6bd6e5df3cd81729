package org.sluice.itests.osgi.support;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.sluice.itests.osgi.support.PluginCatalog.PluginBundle;

/** Installs, finds and removes plugin bundles the way deploy/ does, but directly through the framework. */
public final class Bundles {

    private Bundles() {
    }

    /** The installed bundle with this symbolic name; fails if there is none. */
    public static Bundle installed(BundleContext context, String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("No bundle " + symbolicName + " is installed"));
    }

    /** Installs and starts a plugin bundle from its jar. */
    public static Bundle deploy(BundleContext context, PluginBundle plugin) throws BundleException {
        Bundle bundle = context.installBundle(plugin.location());
        bundle.start();
        return bundle;
    }

    /** The class loader of the bundle's current revision; null if it is not resolved. */
    public static ClassLoader classLoader(Bundle bundle) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        return wiring == null ? null : wiring.getClassLoader();
    }

    /**
     * Refreshes the bundles pending removal (old revisions of updated bundles, uninstalled bundles), as an
     * operator's {@code refresh} does, and waits until the framework has done it.
     */
    public static void refreshPending(BundleContext context) throws InterruptedException {
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(null, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        if (!refreshed.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("The framework did not finish a refresh within 30 s");
        }
    }
}

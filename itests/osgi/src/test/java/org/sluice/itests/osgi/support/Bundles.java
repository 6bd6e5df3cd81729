package org.sluice.itests.osgi.support;

import java.util.Arrays;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
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
}

package org.sluice.launcher;

import java.util.List;

/**
 * The order in which the kernel comes up (and, reversed, goes down). The kernel's own start levels are not written
 * here: bundle/ holds one directory per start level, generated from the one list of kernel bundles
 * (platform/kernel/pom.xml, which says why each bundle is where it is), and a jar of bundle/N/ starts at level N
 * ({@link KernelBundle}). The launcher adds only what is not a kernel bundle.
 */
final class StartLevels {
    /** A jar put directly in bundle/, in no start-level directory: with the Sluice platform (bundle/3/). */
    static final int LOOSE_KERNEL_BUNDLE = 3;
    /**
     * Plugin bundles from deploy/, and bundles installed at run time (felix.startlevel.bundle): after FileInstall
     * (bundle/4/), before the Gogo shell (bundle/6/).
     */
    static final int PLUGINS = 5;

    static final String FILE_INSTALL_BSN = "org.apache.felix.fileinstall";

    private StartLevels() {
    }

    /** The framework's start level once started: the highest of the kernel and the plugins, so everything runs. */
    static int beginning(List<KernelBundle> kernel) {
        return kernel.stream().mapToInt(KernelBundle::startLevel).reduce(PLUGINS, Math::max);
    }

    /**
     * The plugins of deploy/ the agent's configuration does not name ({@link DeferredPlugins}): above the beginning
     * level, which the framework reaches without them; the launcher raises it there once the agent runs.
     */
    static int deferredPlugins(List<KernelBundle> kernel) {
        return beginning(kernel) + 1;
    }
}

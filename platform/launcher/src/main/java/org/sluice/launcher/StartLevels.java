package org.sluice.launcher;

import java.util.Map;

/**
 * The order in which the kernel comes up (and, reversed, goes down). Services only need each other
 * dynamically, but this order gives the least churn, and Gogo needs it: SCR registers its {@code scr:}
 * commands only if the Gogo runtime is there when SCR starts, and the shell must come last so that
 * nothing it runs finds half a kernel.
 */
final class StartLevels {
    /** OSGi utility libraries, and the Gogo runtime that SCR looks for when it starts. */
    static final int LIBRARIES = 1;
    /** Config Admin and Declarative Services (SCR): what the platform and every plugin are built on. */
    static final int SERVICES = 2;
    /** The Sluice API and platform, and any other jar in bundle/. */
    static final int PLATFORM = 3;
    /** FileInstall: etc/ and deploy/ go live once the platform waits for them. */
    static final int FILE_INSTALL = 4;
    /** Plugin bundles from deploy/, and bundles installed at run time (felix.startlevel.bundle). */
    static final int PLUGINS = 5;
    /** The Gogo commands and shell. */
    static final int SHELL = 6;
    /** The framework's start level once started: everything above runs. */
    static final int BEGINNING = SHELL;

    static final String FILE_INSTALL_BSN = "org.apache.felix.fileinstall";

    private static final Map<String, Integer> KERNEL = Map.ofEntries(
            Map.entry("org.osgi.util.function", LIBRARIES),
            Map.entry("org.osgi.util.promise", LIBRARIES),
            Map.entry("org.osgi.service.component", LIBRARIES),
            Map.entry("org.apache.felix.gogo.runtime", LIBRARIES),
            Map.entry("org.apache.felix.configadmin", SERVICES),
            Map.entry("org.apache.felix.scr", SERVICES),
            Map.entry("org.sluice.api", PLATFORM),
            Map.entry("org.sluice.platform", PLATFORM),
            Map.entry(FILE_INSTALL_BSN, FILE_INSTALL),
            Map.entry("org.apache.felix.gogo.command", SHELL),
            Map.entry("org.apache.felix.gogo.shell", SHELL));

    private StartLevels() {
    }

    /** The start level of a jar found in bundle/. */
    static int ofKernelBundle(String symbolicName) {
        return KERNEL.getOrDefault(symbolicName, PLATFORM);
    }
}

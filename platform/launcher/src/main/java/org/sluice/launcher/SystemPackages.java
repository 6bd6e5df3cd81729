package org.sluice.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * The packages the system bundle exports besides the JDK's and OSGi's own
 * ({@code org.osgi.framework.system.packages.extra}). Felix 7 on Java 9+ already exports every package the
 * JDK's modules export, com.sun.net.httpserver (the platform's HTTP metrics reporter) and sun.misc
 * included: listing them again would export them twice.
 */
final class SystemPackages {
    private static final String SLF4J_SYMBOLIC_NAME = "slf4j.api";

    private SystemPackages() {
    }

    /**
     * slf4j exported exactly as its own jar declares (versions 2.0.x and, for bundles built against 1.7,
     * the 1.7 compatible ones), so that every bundle logs through the launcher's slf4j and its log4j backend.
     */
    static String slf4jExports(ClassLoader classLoader) {
        try {
            Enumeration<URL> manifests = classLoader.getResources("META-INF/MANIFEST.MF");
            while (manifests.hasMoreElements()) {
                URL url = manifests.nextElement();
                try (InputStream in = url.openStream()) {
                    Attributes main = new Manifest(in).getMainAttributes();
                    String symbolicName = main.getValue("Bundle-SymbolicName");
                    if (symbolicName != null && symbolicName.split(";")[0].trim().equals(SLF4J_SYMBOLIC_NAME)) {
                        String exports = main.getValue("Export-Package");
                        if (exports == null) {
                            throw new IllegalStateException(url + " exports no package");
                        }
                        return exports;
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the class path's manifests to find slf4j-api", e);
        }
        throw new IllegalStateException("slf4j-api is not on the launcher's class path (lib/)");
    }

    /** Everything the system bundle adds to the JDK's packages. */
    static String extras(ClassLoader classLoader, String userExtras) {
        String extras = slf4jExports(classLoader);
        return userExtras == null || userExtras.isBlank() ? extras : extras + "," + userExtras;
    }
}

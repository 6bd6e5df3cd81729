package org.sluice.itests.osgi.support;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.CompositeOption;
import org.sluice.api.component.ComponentKind;

/**
 * The one place the test framework is put together, so every test runs on the kernel the distribution ships:
 * Felix with SCR, Config Admin and Gogo, slf4j as a system package, the Sluice API and platform bundles, and
 * the plugin bundles a test asks for by type.
 *
 * <p>Bundles are installed from the files Maven resolved (system properties {@code sluice.itests.bundle.*} set
 * by failsafe), so a plain {@code mvn verify} tests the bundles just built.
 */
public final class SluiceOptions {

    /**
     * The slf4j packages the framework exports from the launcher's class path, as the distribution does. Added
     * with {@code systemPackages}, which Pax Exam merges with its own: setting the framework property
     * {@code org.osgi.framework.system.packages.extra} directly would drop the packages the probe needs.
     */
    private static final String[] SLF4J_SYSTEM_PACKAGES = {"org.slf4j;version=2.0.17",
        "org.slf4j.event;version=2.0.17", "org.slf4j.helpers;version=2.0.17", "org.slf4j.spi;version=2.0.17"};

    private SluiceOptions() {
    }

    /** The kernel and the Sluice platform, without any plugin. */
    public static CompositeOption kernel() {
        return composite(
                // Felix lets bundles see the launcher's class path through implicit boot delegation: the test
                // class path would leak in and hide missing imports.
                frameworkProperty("felix.bootdelegation.implicit").value("false"),
                systemPackages(SLF4J_SYSTEM_PACKAGES),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                // Each framework gets its own storage: bundles updated by one test never leak into the next.
                workingDirectory(workDirectory().resolve("exam-" + UUID.randomUUID()).toString()),
                propagate(PluginCatalog.PLUGINS_PROPERTY),
                propagate(WorkDirs.WORK_PROPERTY),
                junitBundles(),
                kernelBundle("function"),
                kernelBundle("promise"),
                kernelBundle("component"),
                kernelBundle("configadmin"),
                kernelBundle("gogo.runtime"),
                kernelBundle("gogo.command"),
                kernelBundle("scr"),
                kernelBundle("api"),
                kernelBundle("platform"));
    }

    /** FileInstall, for tests of etc/ and deploy/. */
    public static Option fileInstall() {
        return kernelBundle("fileinstall");
    }

    /**
     * The plugin bundles providing these types, each once, with the library bundles they import; a type is
     * {@code kind:type}, e.g. "sink:file_roll".
     */
    public static CompositeOption plugins(String... kindAndTypes) {
        PluginCatalog catalog = PluginCatalog.load();
        Set<String> locations = new LinkedHashSet<>();
        for (String kindAndType : kindAndTypes) {
            int colon = kindAndType.indexOf(':');
            ComponentKind kind = ComponentKind.valueOf(kindAndType.substring(0, colon).toUpperCase(java.util.Locale.ROOT));
            PluginCatalog.PluginBundle plugin = catalog.bundleFor(kind, kindAndType.substring(colon + 1));
            locations.addAll(PluginLibraries.of(plugin)); // the libraries it imports, as deploy/ has them
            locations.add(plugin.location());
        }
        List<Option> options = new ArrayList<>();
        for (String location : locations) {
            options.add(bundle(location));
        }
        return composite(options.toArray(new Option[0]));
    }

    private static Option kernelBundle(String name) {
        return bundle(bundleLocation(name));
    }

    /**
     * Where the bundle Maven resolved for system property {@code sluice.itests.bundle.<name>} is, as a location
     * to install it from; for tests that install a bundle themselves while the framework runs.
     */
    public static String bundleLocation(String name) {
        String property = "sluice.itests.bundle." + name;
        String file = System.getProperty(property);
        if (file == null || file.isBlank() || file.startsWith("${")) {
            throw new IllegalStateException("System property " + property + " does not name the bundle's file: "
                    + "run the tests through Maven (the pom sets it from the resolved dependency)");
        }
        return Paths.get(file).toUri().toString();
    }

    /** Hands a system property of the test JVM to the framework, where the probe reads it. */
    private static Option propagate(String property) {
        return systemProperty(property).value(System.getProperty(property, ""));
    }

    private static Path workDirectory() {
        return Paths.get(System.getProperty(WorkDirs.WORK_PROPERTY, "target/work"));
    }
}

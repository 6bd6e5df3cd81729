package org.sluice.itests.osgi.support;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
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

import org.ops4j.pax.exam.Constants;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.CompositeOption;
import org.sluice.api.component.ComponentKind;

/**
 * The one place the test framework is put together, so every test runs on the kernel the distribution ships:
 * Felix with the kernel bundles (SCR, Config Admin, Gogo, the Sluice API and platform) at their start levels,
 * slf4j as a system package, and the plugin bundles a test asks for by type.
 *
 * <p>The kernel is not listed here: it is the distribution's bundle/, unpacked by the build from org.sluice.kernel
 * (whose pom is the list) to {@code sluice.itests.kernel}, one directory per start level. So a plain
 * {@code mvn verify} tests the bundles just built, at the levels the launcher starts them at.
 */
public final class SluiceOptions {

    /**
     * The slf4j packages the framework exports from the launcher's class path, as the distribution does. Added
     * with {@code systemPackages}, which Pax Exam merges with its own: setting the framework property
     * {@code org.osgi.framework.system.packages.extra} directly would drop the packages the probe needs.
     */
    private static final String[] SLF4J_SYSTEM_PACKAGES = {"org.slf4j;version=2.0.17",
        "org.slf4j.event;version=2.0.17", "org.slf4j.helpers;version=2.0.17", "org.slf4j.spi;version=2.0.17"};

    /**
     * The start level of plugin bundles, as the launcher installs deploy/ (its StartLevels.PLUGINS): after
     * FileInstall, before the Gogo shell. Pax Exam's probe starts at this level too.
     */
    private static final int PLUGINS_START_LEVEL = 5;

    private SluiceOptions() {
    }

    /** The kernel and the Sluice platform, without any plugin, and without FileInstall (see {@link #fileInstall}). */
    public static CompositeOption kernel() {
        List<Option> options = new ArrayList<>(List.of(
                // Felix lets bundles see the launcher's class path through implicit boot delegation: the test
                // class path would leak in and hide missing imports.
                frameworkProperty("felix.bootdelegation.implicit").value("false"),
                // The Gogo shell runs as in an agent without a terminal: it reads nothing.
                frameworkProperty("gosh.args").value("--nointeractive"),
                systemPackages(SLF4J_SYSTEM_PACKAGES),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                // Each framework gets its own storage: bundles updated by one test never leak into the next.
                workingDirectory(workDirectory().resolve("exam-" + UUID.randomUUID()).toString()),
                propagate(PluginCatalog.PLUGINS_PROPERTY),
                propagate(WorkDirs.WORK_PROPERTY),
                junitBundles(),
                // Await's Awaitility, for the probe.
                bundlesListedIn("sluice.itests.awaitility")));
        List<KernelJar> kernel = KernelJar.all();
        for (KernelJar jar : kernel) {
            if (!jar.isFileInstall()) {
                options.add(jar.option());
            }
        }
        // Up to the highest level, as the launcher does (Pax Exam would stop at its probe's level).
        options.add(frameworkStartLevel(kernel.stream().mapToInt(KernelJar::startLevel)
                .reduce(Math.max(PLUGINS_START_LEVEL, Constants.START_LEVEL_TEST_BUNDLE), Math::max)));
        return composite(options.toArray(new Option[0]));
    }

    /**
     * The platform runs agent {@code agent} of the Flume properties file {@code file} with {@code data} as its data
     * directory, as {@code bin/sluice agent -f file -n agent} does.
     */
    public static CompositeOption agentFromFile(Path file, String agent, Path data) {
        return composite(frameworkProperty("sluice.conf.file").value(file.toString()),
                frameworkProperty("sluice.agent.name").value(agent),
                frameworkProperty("sluice.data").value(data.toString()));
    }

    /** FileInstall, for tests of etc/ and deploy/. */
    public static Option fileInstall() {
        return KernelJar.all().stream().filter(KernelJar::isFileInstall).findFirst()
                .orElseThrow(() -> new IllegalStateException("No FileInstall among the kernel bundles in "
                        + KernelJar.directory()))
                .option();
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
            options.add(bundle(location).startLevel(PLUGINS_START_LEVEL));
        }
        return composite(options.toArray(new Option[0]));
    }

    /** The bundle files a system property lists (comma-separated; set by failsafe from resolved dependencies). */
    public static CompositeOption bundlesListedIn(String property) {
        List<Option> options = new ArrayList<>();
        for (String location : locationsListedIn(property)) {
            options.add(bundle(location));
        }
        return composite(options.toArray(new Option[0]));
    }

    /** The files a system property lists (comma-separated), as locations to install bundles from. */
    static List<String> locationsListedIn(String property) {
        String files = System.getProperty(property, "");
        if (files.isBlank() || files.contains("${")) {
            throw new IllegalStateException("System property " + property + " does not list bundle files: run the "
                    + "tests through Maven (the pom sets it from the resolved dependencies)");
        }
        List<String> locations = new ArrayList<>();
        for (String file : files.split(",")) {
            locations.add(Paths.get(file.trim()).toUri().toString());
        }
        return locations;
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

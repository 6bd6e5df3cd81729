package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.ToIntFunction;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;

/**
 * The bundle cache kept across starts on the real Felix and the real kernel bundles: what is kept, and that a jar
 * changed, removed or installed from elsewhere while the agent was stopped never survives in the cache.
 */
class BundleCacheTest {
    @TempDir
    Path home;

    private Properties system;
    private Layout layout;

    @BeforeEach
    void installation() throws IOException {
        system = LayoutTest.properties("sluice.home", home.toString());
        layout = KernelTest.installKernel(home, system);
    }

    @Test
    void keepsUnchangedPluginsAndDropsChangedRemovedAndForeignOnes() throws Exception {
        Path kept = plugin("org.example.kept", "1.0.0", "a");
        Path replaced = plugin("org.example.replaced", "1.0.0", "b");
        Path removed = plugin("org.example.removed", "1.0.0", "c");
        Path foreign = home.resolve("elsewhere.jar");
        writeBundle(foreign, "org.example.foreign", "1.0.0", "d");

        // First start: nothing recorded, so Felix empties the cache; FileInstall's part is played by the test.
        try (Run first = new Run()) {
            assertFalse(first.cache.reusable());
            first.context().installBundle(kept.toUri().toString());
            first.context().installBundle(replaced.toUri().toString());
            first.context().installBundle(removed.toUri().toString());
            first.context().installBundle(foreign.toUri().toString());
        }

        // While stopped: one jar replaced by another of the same size with its old time set back, one removed.
        FileTime before = Files.getLastModifiedTime(replaced);
        Files.delete(replaced);
        writeBundle(replaced, "org.example.replaced", "1.0.1", "e");
        Files.setLastModifiedTime(replaced, before);
        Files.delete(removed);

        try (Run second = new Run()) {
            assertTrue(second.cache.reusable());
            assertEquals(List.of(kept.toUri().toString()), second.keptPlugins.stream()
                    .map(location -> BundleCache.jarOf(location).orElseThrow().toUri().toString()).toList());
            Bundle keptBundle = bundle(second.context(), "org.example.kept");
            assertNotNull(keptBundle, "the unchanged plugin stays in the cache");
            assertEquals(StartLevels.PLUGINS, keptBundle.adapt(org.osgi.framework.startlevel.BundleStartLevel.class)
                    .getStartLevel());
            assertTrue(keptBundle.adapt(org.osgi.framework.startlevel.BundleStartLevel.class).isPersistentlyStarted());
            assertNull(bundle(second.context(), "org.example.replaced"), "a replaced jar is installed afresh");
            assertNull(bundle(second.context(), "org.example.removed"), "a removed jar is gone");
            assertNull(bundle(second.context(), "org.example.foreign"), "only bundle/ and deploy/ are kept");
            for (KernelBundle kernelBundle : KernelBundle.in(layout.bundles())) {
                assertNotNull(second.context().getBundle(kernelBundle.jar().toUri().toString()),
                        "kernel bundle " + kernelBundle.jar() + " stays in the cache");
            }
        }
    }

    @Test
    void aKeptPluginStartsAtTheStartLevelItIsGiven() throws Exception {
        Path named = plugin("org.example.named", "1.0.0", "a");
        Path unnamed = plugin("org.example.unnamed", "1.0.0", "b");
        try (Run first = new Run()) {
            first.context().installBundle(named.toUri().toString());
            first.context().installBundle(unnamed.toUri().toString());
        }
        Path later = unnamed.toAbsolutePath().normalize();
        try (Run second = new Run(jar -> jar.equals(later) ? StartLevels.PLUGINS + 2 : StartLevels.PLUGINS)) {
            assertEquals(StartLevels.PLUGINS, bundle(second.context(), "org.example.named")
                    .adapt(org.osgi.framework.startlevel.BundleStartLevel.class).getStartLevel());
            Bundle waiting = bundle(second.context(), "org.example.unnamed");
            assertEquals(StartLevels.PLUGINS + 2, waiting.adapt(org.osgi.framework.startlevel.BundleStartLevel.class)
                    .getStartLevel());
            assertTrue(waiting.adapt(org.osgi.framework.startlevel.BundleStartLevel.class).isPersistentlyStarted());
        }
    }

    @Test
    void aChangedLibEmptiesTheWholeCache() throws Exception {
        Path plugin = plugin("org.example.kept", "1.0.0", "a");
        Files.createDirectories(home.resolve("lib"));
        Files.writeString(home.resolve("lib/launcher.jar"), "one");
        try (Run first = new Run()) {
            first.context().installBundle(plugin.toUri().toString());
        }
        Files.writeString(home.resolve("lib/launcher.jar"), "two, longer");
        try (Run second = new Run()) {
            assertFalse(second.cache.reusable());
            assertNull(bundle(second.context(), "org.example.kept"));
        }
    }

    @Test
    void aKernelBundleLeftOutIsUninstalled() throws Exception {
        String leftOut;
        try (Run first = new Run()) {
            leftOut = first.kernel.get(0).getSymbolicName();
        }
        try (Run second = new Run(leftOut)) {
            assertTrue(second.cache.reusable());
            assertNull(bundle(second.context(), leftOut));
        }
    }

    /** One start of the kernel as the agent does it, up to the framework's init; closing stops it. */
    private final class Run implements AutoCloseable {
        final BundleCache cache;
        final Kernel frameworkKernel;
        final List<String> keptPlugins;
        final List<Bundle> kernel;

        Run(String... leftOut) throws Exception {
            this(jar -> StartLevels.PLUGINS, leftOut);
        }

        Run(ToIntFunction<Path> pluginStartLevel, String... leftOut) throws Exception {
            List<String> skipped = List.of(leftOut);
            Map<String, Object> properties = FrameworkProperties.forAgent(layout, CommandLine.parse("agent"),
                    List.of(home.resolve("data/default-agent.properties").toString()), system, false);
            cache = BundleCache.open(layout);
            cache.configure(properties);
            frameworkKernel = new Kernel(properties);
            keptPlugins = cache.prune(frameworkKernel.context(), skipped::contains, pluginStartLevel);
            kernel = frameworkKernel.installKernel(layout.bundles(), skipped::contains);
        }

        BundleContext context() {
            return frameworkKernel.context();
        }

        @Override
        public void close() throws Exception {
            frameworkKernel.framework().stop();
            FrameworkEvent event = frameworkKernel.framework().waitForStop(60_000);
            assertEquals(FrameworkEvent.STOPPED, event.getType());
        }
    }

    private static Bundle bundle(BundleContext context, String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }

    private Path plugin(String symbolicName, String version, String content) throws IOException {
        Path jar = layout.deploy().resolve(symbolicName + ".jar");
        writeBundle(jar, symbolicName, version, content);
        return jar;
    }

    private static void writeBundle(Path jar, String symbolicName, String version, String content) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        main.putValue(Constants.BUNDLE_VERSION, version);
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("content.txt"));
            out.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}

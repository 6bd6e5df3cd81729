package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.awaitility.Awaitility;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Boots the real Felix with the real kernel bundles, laid out as the distribution's bundle/ (unpacked from
 * org.sluice.kernel to target/test-kernel by the build, without the Sluice platform).
 */
class KernelTest {
    @TempDir
    Path home;

    private Properties system;
    private Layout layout;

    @BeforeEach
    void installation() throws IOException {
        system = LayoutTest.properties("sluice.home", home.toString());
        layout = installKernel(home, system);
    }

    /** An installation in {@code home} whose bundle/ holds the real kernel bundles; its directories made. */
    static Layout installKernel(Path home, Properties system) throws IOException {
        TestKernel.installInto(home);
        Layout layout = Layout.resolve(system, Map.of(), Optional.empty());
        layout.createWritableDirectories();
        return layout;
    }

    @Test
    void startsTheKernelBundlesInStartLevelOrderAndStopsCleanly() throws Exception {
        Kernel kernel = new Kernel(FrameworkProperties.forAgent(layout, CommandLine.parse("agent"),
                List.of(home.resolve("data/default-agent.properties").toString()), system, false));
        List<KernelBundle> layoutBundles = KernelBundle.in(layout.bundles());
        List<Bundle> bundles = kernel.installKernel(layout.bundles(), name -> false);
        try {
            assertEquals(Kernel.Start.STARTED, kernel.start(1, TimeUnit.MINUTES));
            assertEquals(layoutBundles.size(), bundles.size());
            for (int i = 0; i < bundles.size(); i++) {
                Bundle bundle = bundles.get(i);
                assertEquals(Bundle.ACTIVE, bundle.getState(), bundle.getSymbolicName());
                assertEquals(layoutBundles.get(i).startLevel(), bundle.adapt(BundleStartLevel.class).getStartLevel(),
                        bundle.getSymbolicName() + " starts at the level of its directory");
            }
            // The order the kernel relies on (platform/kernel/pom.xml says why).
            assertTrue(levelOf(bundles, "org.apache.felix.gogo.runtime") < levelOf(bundles, "org.apache.felix.scr"));
            assertTrue(levelOf(bundles, "org.apache.felix.configadmin") <= levelOf(bundles, "org.apache.felix.scr"));
            assertTrue(levelOf(bundles, "org.apache.felix.scr") < levelOf(bundles, StartLevels.FILE_INSTALL_BSN));
            assertTrue(levelOf(bundles, StartLevels.FILE_INSTALL_BSN) < StartLevels.PLUGINS);
            assertTrue(StartLevels.PLUGINS < levelOf(bundles, "org.apache.felix.gogo.shell"));
        } finally {
            GracefulStop stop = new GracefulStop(kernel.framework(), 30, TimeUnit.SECONDS);
            stop.request("test");
            assertEquals(Main.EXIT_OK, stop.awaitStop());
        }
        assertEquals(Bundle.RESOLVED, kernel.framework().getState());
    }

    @Test
    void leavesOutWhatARunDoesWithout() throws Exception {
        Map<String, Object> properties = FrameworkProperties.forCommand(layout,
                CommandLine.parse("validate", "-n", "a1", "-f", "f"), List.of(Path.of("f").toAbsolutePath().toString()),
                system, FrameworkProperties.MODE_VALIDATE);
        properties.put(Constants.FRAMEWORK_STORAGE, home.resolve("cache").toString());
        Kernel kernel = new Kernel(properties);
        try {
            List<Bundle> bundles = kernel.installKernel(layout.bundles(), StartLevels.FILE_INSTALL_BSN::equals);
            assertEquals(KernelBundle.in(layout.bundles()).size() - 1, bundles.size());
            assertFalse(bundles.stream().anyMatch(b -> b.getSymbolicName().equals(StartLevels.FILE_INSTALL_BSN)));
        } finally {
            kernel.framework().stop();
            kernel.framework().waitForStop(30_000);
        }
    }

    @Test
    void anEmptyBundleDirectoryIsAnInstallationMistake() throws Exception {
        Path empty = Files.createDirectories(home.resolve("empty"));
        Kernel kernel = new Kernel(FrameworkProperties.forAgent(layout, CommandLine.parse("agent"),
                List.of(home.resolve("f").toString()), system, false));
        try {
            IOException e = assertThrows(IOException.class, () -> kernel.installKernel(empty, name -> false));
            assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
        } finally {
            kernel.framework().stop();
            kernel.framework().waitForStop(30_000);
        }
    }

    @Test
    void validateGivesUpWithExitCode3WhenThePlatformDoesNotAnswer() throws Exception {
        Path config = Files.writeString(home.resolve("agent.properties"), "a1.sources = r1\n");
        system.setProperty(ValidateCommand.TIMEOUT_PROPERTY, "1");
        int exit = ValidateCommand.run(CommandLine.parse("validate", "-n", "a1", "-f", config.toString()), layout,
                system);
        assertEquals(Main.EXIT_UNAVAILABLE, exit);
    }

    @Test
    void aStopAskedForWhileABundleStartsEndsTheWaitForTheStartLevel() throws Exception {
        Path deploy = Files.createDirectories(home.resolve("slow-deploy"));
        writeSlowBundle(deploy.resolve("slow.jar"));
        Kernel kernel = new Kernel(FrameworkProperties.forAgent(layout, CommandLine.parse("agent"),
                List.of(home.resolve("data/default-agent.properties").toString()), system, false));
        Bundle slow = kernel.installPlugins(deploy).get(0);
        GracefulStop stop = new GracefulStop(kernel.framework(), 30, TimeUnit.SECONDS);
        try {
            CompletableFuture<Kernel.Start> start = CompletableFuture.supplyAsync(() -> {
                try {
                    return kernel.start(1, TimeUnit.MINUTES, stop::requested);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> slow.getState() == Bundle.STARTING);
            stop.request("SIGTERM"); // what a SIGTERM does
            assertEquals(Kernel.Start.STOPPING, start.get(30, TimeUnit.SECONDS),
                    "the wait ends with the stop, not with the start timeout");
        } finally {
            System.setProperty(SlowActivator.RELEASE, "true");
            kernel.framework().stop();
            kernel.framework().waitForStop(30_000);
            System.clearProperty(SlowActivator.RELEASE);
        }
    }

    /** A bundle whose start takes until the test releases it (at most a minute): a plugin that starts slowly. */
    public static final class SlowActivator implements BundleActivator {
        static final String RELEASE = "sluice.test.slow-bundle.release";

        @Override
        public void start(BundleContext context) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (System.getProperty(RELEASE) == null && System.nanoTime() < end) {
                Thread.sleep(20); // a bundle activator that blocks, as a slow plugin does
            }
        }

        @Override
        public void stop(BundleContext context) {
        }
    }

    private static void writeSlowBundle(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, "test.slow");
        main.putValue(Constants.BUNDLE_VERSION, "1.0.0");
        main.putValue(Constants.BUNDLE_ACTIVATOR, SlowActivator.class.getName());
        main.putValue(Constants.IMPORT_PACKAGE, "org.osgi.framework");
        String entry = SlowActivator.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
                InputStream bytes = KernelTest.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            bytes.transferTo(out);
            out.closeEntry();
        }
    }

    private static int levelOf(List<Bundle> bundles, String symbolicName) {
        return bundles.stream().filter(b -> b.getSymbolicName().equals(symbolicName)).findFirst().orElseThrow()
                .adapt(BundleStartLevel.class).getStartLevel();
    }
}

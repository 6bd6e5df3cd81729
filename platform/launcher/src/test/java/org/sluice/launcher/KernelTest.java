package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.startlevel.BundleStartLevel;

/** Boots the real Felix with real kernel bundles (copied to target/test-kernel by the build). */
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
        Path kernel = Path.of(System.getProperty("sluice.test.kernel", "target/test-kernel"));
        Files.createDirectories(home.resolve("bundle"));
        try (Stream<Path> jars = Files.list(kernel)) {
            for (Path jar : jars.collect(Collectors.toList())) {
                Files.copy(jar, home.resolve("bundle").resolve(jar.getFileName()));
            }
        }
        Layout layout = Layout.resolve(system, Map.of(), Optional.empty());
        layout.createWritableDirectories();
        return layout;
    }

    @Test
    void startsTheKernelBundlesInStartLevelOrderAndStopsCleanly() throws Exception {
        Kernel kernel = new Kernel(FrameworkProperties.forAgent(layout, CommandLine.parse("agent"),
                List.of(home.resolve("data/default-agent.properties").toString()), system, false));
        List<Bundle> bundles = kernel.installKernel(layout.bundles(), name -> false);
        try {
            assertTrue(kernel.start(1, TimeUnit.MINUTES));
            assertEquals(9, bundles.size());
            for (Bundle bundle : bundles) {
                assertEquals(Bundle.ACTIVE, bundle.getState(), bundle.getSymbolicName());
                assertEquals(StartLevels.ofKernelBundle(bundle.getSymbolicName()),
                        bundle.adapt(BundleStartLevel.class).getStartLevel(), bundle.getSymbolicName());
            }
            assertEquals(StartLevels.SERVICES, levelOf(bundles, "org.apache.felix.scr"));
            assertEquals(StartLevels.FILE_INSTALL, levelOf(bundles, "org.apache.felix.fileinstall"));
            assertEquals(StartLevels.SHELL, levelOf(bundles, "org.apache.felix.gogo.shell"));
        } finally {
            GracefulStop stop = new GracefulStop(kernel.framework(), 30, TimeUnit.SECONDS);
            stop.request("test");
            assertEquals(Main.EXIT_OK, stop.awaitStop());
        }
        assertEquals(Bundle.RESOLVED, kernel.framework().getState());
    }

    @Test
    void leavesOutWhatARunDoesWithout() throws Exception {
        Kernel kernel = new Kernel(FrameworkProperties.forValidate(layout,
                CommandLine.parse("validate", "-n", "a1", "-f", "f"), List.of(Path.of("f").toAbsolutePath().toString()),
                system, home.resolve("cache")));
        try {
            List<Bundle> bundles = kernel.installKernel(layout.bundles(), StartLevels.FILE_INSTALL_BSN::equals);
            assertEquals(8, bundles.size());
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

    private static int levelOf(List<Bundle> bundles, String symbolicName) {
        return bundles.stream().filter(b -> b.getSymbolicName().equals(symbolicName)).findFirst().orElseThrow()
                .adapt(BundleStartLevel.class).getStartLevel();
    }
}

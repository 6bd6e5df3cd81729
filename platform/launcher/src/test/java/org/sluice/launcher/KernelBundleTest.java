package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelBundleTest {
    @TempDir
    Path bundleDir;

    @Test
    void aJarStartsAtTheLevelItsDirectoryIsNamedAfterALooseJarWithThePlatform() throws IOException {
        jar("6/shell.jar");
        jar("2/scr.jar");
        jar("extra.jar");
        jar("1/function.jar");
        jar("1/component.jar");
        Files.writeString(bundleDir.resolve("README.txt"), "not a bundle");

        List<KernelBundle> kernel = KernelBundle.in(bundleDir);

        assertEquals(List.of("1 component.jar", "1 function.jar", "2 scr.jar",
                StartLevels.LOOSE_KERNEL_BUNDLE + " extra.jar", "6 shell.jar"),
                kernel.stream().map(b -> b.startLevel() + " " + b.jar().getFileName()).collect(Collectors.toList()));
        assertEquals(6, StartLevels.beginning(kernel));
    }

    @Test
    void aDirectoryNotNamedByAStartLevelIsAnInstallationMistake() throws IOException {
        jar("libs/x.jar");

        IOException e = assertThrows(IOException.class, () -> KernelBundle.in(bundleDir));

        assertTrue(e.getMessage().contains(bundleDir.resolve("libs").toString()), e.getMessage());
    }

    @Test
    void noBundleDirectoryMeansNoKernelBundles() throws IOException {
        assertEquals(List.of(), KernelBundle.in(bundleDir.resolve("missing")));
        assertEquals(StartLevels.PLUGINS, StartLevels.beginning(List.of()));
    }

    private void jar(String relative) throws IOException {
        Path jar = bundleDir.resolve(relative);
        Files.createDirectories(jar.getParent());
        Files.createFile(jar);
    }
}

package org.sluice.itests.osgi.support;

import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Option;

/**
 * A bundle of the kernel as the build unpacked it from org.sluice.kernel: {@code <kernel>/<start level>/<jar>}, the
 * layout of the distribution's bundle/, installed here at the same start level as the launcher installs it.
 */
record KernelJar(Path file, int startLevel) {

    static final String KERNEL_PROPERTY = "sluice.itests.kernel";
    private static final String FILE_INSTALL_BSN = "org.apache.felix.fileinstall";

    /** The kernel's bundles, in start-level order. */
    static List<KernelJar> all() {
        Path kernel = directory();
        try (Stream<Path> files = Files.walk(kernel, 2)) {
            List<KernelJar> jars = files
                    .filter(file -> file.getFileName().toString().endsWith(".jar") && !file.getParent().equals(kernel))
                    .map(file -> new KernelJar(file, Integer.parseInt(file.getParent().getFileName().toString())))
                    .sorted(Comparator.comparingInt(KernelJar::startLevel).thenComparing(KernelJar::file))
                    .collect(Collectors.toList());
            if (jars.isEmpty()) {
                throw new IllegalStateException("No kernel bundles in " + kernel);
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the kernel bundles in " + kernel, e);
        }
    }

    static Path directory() {
        String directory = System.getProperty(KERNEL_PROPERTY);
        if (directory == null || directory.isBlank() || directory.startsWith("${")) {
            throw new IllegalStateException("System property " + KERNEL_PROPERTY + " does not name the kernel's "
                    + "directory: run the tests through Maven (the pom unpacks org.sluice.kernel there)");
        }
        return Paths.get(directory);
    }

    boolean isFileInstall() {
        try (JarFile jar = new JarFile(file.toFile())) {
            String symbolicName = jar.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
            return symbolicName != null && symbolicName.split(";")[0].trim().equals(FILE_INSTALL_BSN);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the manifest of " + file, e);
        }
    }

    Option option() {
        return bundle(file.toUri().toString()).startLevel(startLevel);
    }
}

package org.sluice.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A jar of bundle/ and the start level it is installed at: N for a jar in bundle/N/ (the layout the distribution
 * unpacks from org.sluice.kernel), {@link StartLevels#LOOSE_KERNEL_BUNDLE} for a jar directly in bundle/.
 */
record KernelBundle(Path jar, int startLevel) {

    /** The kernel bundles of {@code bundleDir} in start-level order (then by file name); none if it does not exist. */
    static List<KernelBundle> in(Path bundleDir) throws IOException {
        List<KernelBundle> bundles = new ArrayList<>();
        if (!Files.isDirectory(bundleDir)) {
            return bundles;
        }
        for (Path jar : jarsIn(bundleDir)) {
            bundles.add(new KernelBundle(jar, StartLevels.LOOSE_KERNEL_BUNDLE));
        }
        try (Stream<Path> entries = Files.list(bundleDir)) {
            for (Path directory : entries.filter(Files::isDirectory).collect(Collectors.toList())) {
                int level = startLevelOf(directory);
                for (Path jar : jarsIn(directory)) {
                    bundles.add(new KernelBundle(jar, level));
                }
            }
        }
        bundles.sort(Comparator.comparingInt(KernelBundle::startLevel)
                .thenComparing(bundle -> bundle.jar().getFileName()));
        return bundles;
    }

    /** A directory of bundle/ is named by its start level; anything else is an installation mistake, not skipped. */
    private static int startLevelOf(Path directory) throws IOException {
        String name = directory.getFileName().toString();
        try {
            int level = Integer.parseInt(name);
            if (level >= 1) {
                return level;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException("The directory " + directory + " is not a start level: bundle/ holds the kernel's jars "
                + "in directories named by start level (1, 2, ...), or loose jars");
    }

    static List<Path> jarsIn(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar") && Files.isRegularFile(file))
                    .sorted(Comparator.comparing(Path::getFileName))
                    .collect(Collectors.toList());
        }
    }
}

package org.sluice.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The real kernel bundles the build unpacked to target/test-kernel (start-level directories, as bundle/). */
final class TestKernel {

    private TestKernel() {
    }

    /** Copies the kernel to {@code home}/bundle/, as the distribution lays it out. */
    static void installInto(Path home) throws IOException {
        Path kernel = Path.of(System.getProperty("sluice.test.kernel", "target/test-kernel"));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(kernel)) {
            files = walk.filter(Files::isRegularFile).collect(Collectors.toList());
        }
        if (files.isEmpty()) {
            throw new IOException("No kernel bundles in " + kernel.toAbsolutePath() + ": run the tests through Maven");
        }
        for (Path file : files) {
            Path copy = home.resolve("bundle").resolve(kernel.relativize(file).toString());
            Files.createDirectories(copy.getParent());
            Files.copy(file, copy);
        }
    }
}

package org.sluice.itests.osgi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Fresh directories under the module's target/work for sink output and properties files. */
public final class WorkDirs {

    public static final String WORK_PROPERTY = "sluice.itests.work";

    private WorkDirs() {
    }

    public static Path create(String prefix) {
        try {
            Path root = Paths.get(System.getProperty(WORK_PROPERTY, "target/work")).toAbsolutePath();
            Files.createDirectories(root);
            return Files.createTempDirectory(root, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a work directory", e);
        }
    }
}

package org.sluice.itests.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A private copy of the unpacked distribution, as a user has after {@code tar xzf}: tests start agents in it,
 * take jars out of its deploy/ and read its logs/ without disturbing each other or the build's output.
 */
final class Installation {

    static final String HOME_PROPERTY = "sluice.home";

    private final Path home;

    private Installation(Path home) {
        this.home = home;
    }

    /** A fresh copy of the distribution under target/work. */
    static Installation fresh() throws IOException {
        String source = System.getProperty(HOME_PROPERTY);
        if (source == null || !Files.isRegularFile(Paths.get(source, "bin", "sluice"))) {
            throw new IllegalStateException("No Sluice distribution at " + source + " (system property "
                    + HOME_PROPERTY + "): build the distribution module first (mvn install in distribution/), "
                    + "then run these tests through Maven, which unpacks its archive");
        }
        Path work = Paths.get(System.getProperty("sluice.itests.work", "target/work")).toAbsolutePath();
        Files.createDirectories(work);
        Path home = Files.createTempDirectory(work, "sluice-");
        copyTree(Paths.get(source), home);
        return new Installation(home);
    }

    /** An installation already unpacked at {@code home} (a distribution a test built and unpacked itself). */
    static Installation at(Path home) {
        if (!Files.isRegularFile(home.resolve("bin/sluice"))) {
            throw new IllegalStateException("No bin/sluice in " + home);
        }
        return new Installation(home);
    }

    /** A fresh directory under target/work for a test's own files. */
    static Path workDirectory(String prefix) throws IOException {
        Path work = Paths.get(System.getProperty("sluice.itests.work", "target/work")).toAbsolutePath();
        Files.createDirectories(work);
        return Files.createTempDirectory(work, prefix);
    }

    Path home() {
        return home;
    }

    Path resolve(String relative) {
        return home.resolve(relative);
    }

    Path deploy() {
        return home.resolve("deploy");
    }

    Path logs() {
        return home.resolve("logs");
    }

    /** The one jar in deploy/ whose file name starts with {@code prefix} (a bundle symbolic name). */
    Path deployedJar(String prefix) throws IOException {
        try (Stream<Path> jars = Files.list(deploy())) {
            return jars.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("The distribution has no " + prefix + "*.jar in deploy/"));
        }
    }

    /**
     * Copies a Flume plugin directory ({@code lib/}, {@code libext/}, {@code native/}) into the installation's own
     * {@code plugins.d}, where the Flume plugin bridge looks when no {@code --plugins-path} is given.
     */
    Path installFlumePlugin(Path pluginDirectory) throws IOException {
        Path target = home.resolve("plugins.d").resolve(pluginDirectory.getFileName().toString());
        copyTree(pluginDirectory, target);
        return target;
    }

    /** Everything the installation logged: logs/ files (sluice.log and any other). */
    String logText() throws IOException {
        StringBuilder text = new StringBuilder();
        if (Files.isDirectory(logs())) {
            try (Stream<Path> files = Files.walk(logs())) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    if (!file.toString().endsWith(".gz")) {
                        text.append(Files.readString(file, java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return text.toString();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path relative = from.relativize(path);
                // A distribution run in place keeps its framework cache in data/cache: not part of what users get.
                if (relative.startsWith(Paths.get("data", "cache"))) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}

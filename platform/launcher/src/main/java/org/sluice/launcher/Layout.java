package org.sluice.launcher;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The directories of an installation, all absolute:
 * <pre>
 * $SLUICE_HOME/
 *   bin/      sluice, flume-ng
 *   lib/      the launcher's class path: launcher, Felix framework, slf4j, log4j
 *   bundle/   kernel bundles, installed and started at every start
 *   deploy/   plugin bundles, watched by FileInstall: add, replace or remove a jar while running
 *   etc/      Config Admin configurations (*.cfg, *.config), watched by FileInstall
 *   conf/     log4j2.xml, sluice-env.sh, example agent configurations
 *   data/     state: Felix's bundle cache, the default agent's configuration, the daemon's pid file
 *   logs/     sluice.log
 * </pre>
 * The home is {@code -Dsluice.home}, else {@code $SLUICE_HOME}, else the parent of the {@code lib/} directory
 * holding the launcher jar. {@code -Dsluice.data} and {@code -Dsluice.log.dir} move data/ and logs/ (for
 * packages that keep state under /var).
 */
record Layout(Path home, Path conf, Path data, Path logs, Path bundles, Path deploy, Path etc) {

    static Layout resolve(Properties system, Map<String, String> environment, Optional<Path> confDir) {
        Path home = Optional.ofNullable(system.getProperty("sluice.home"))
                .or(() -> Optional.ofNullable(environment.get("SLUICE_HOME")))
                .filter(value -> !value.isBlank())
                .map(Path::of)
                .or(Layout::homeOfLauncherJar)
                .orElse(Path.of(""))
                .toAbsolutePath().normalize();
        Path data = Optional.ofNullable(system.getProperty("sluice.data")).map(Path::of).orElse(home.resolve("data"));
        Path logs = Optional.ofNullable(system.getProperty("sluice.log.dir"))
                .or(() -> Optional.ofNullable(system.getProperty("flume.log.dir")))
                .map(Path::of).orElse(home.resolve("logs"));
        Path conf = confDir.orElse(home.resolve("conf"));
        return new Layout(home, absolute(conf), absolute(data), absolute(logs), home.resolve("bundle"),
                home.resolve("deploy"), home.resolve("etc"));
    }

    /** Felix's bundle cache; kept from start to start only for what still matches bundle/ and deploy/ ({@link BundleCache}). */
    Path felixCache() {
        return data.resolve("cache");
    }

    /**
     * Creates the directories a run writes to, so that a fresh unpacked tree or a new -Dsluice.data works, and makes
     * data/ and logs/ private to the agent's user (0700, on file systems with POSIX permissions): they hold the
     * framework's storage, the pid file and the logs, none of which other users have any business reading.
     *
     * @return the directories whose permissions were narrowed, to say so in the log
     */
    List<Path> createWritableDirectories() throws IOException {
        for (Path directory : new Path[] {data, logs, deploy, etc}) {
            Files.createDirectories(directory);
        }
        List<Path> narrowed = new ArrayList<>();
        for (Path directory : new Path[] {data, logs}) {
            if (PrivateFiles.makePrivate(directory)) {
                narrowed.add(directory);
            }
        }
        return narrowed;
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }

    /** $SLUICE_HOME/lib/org.sluice.launcher.jar -> $SLUICE_HOME; nothing when run from a build's target/classes. */
    private static Optional<Path> homeOfLauncherJar() {
        CodeSource source = Layout.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return Optional.empty();
        }
        try {
            Path jar = Path.of(source.getLocation().toURI());
            Path lib = jar.getParent();
            if (Files.isRegularFile(jar) && lib != null && lib.getFileName() != null
                    && lib.getFileName().toString().equals("lib") && lib.getParent() != null) {
                return Optional.of(lib.getParent());
            }
            return Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            // The launcher was not loaded from a file (a custom class loader): the home must be given.
            return Optional.empty();
        }
    }
}

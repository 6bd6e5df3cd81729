package org.sluice.source.jms;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.sluice.api.component.ConfigurationException;
import org.sluice.api.source.SourceContext;

/**
 * Where a jms source finds its JMS provider: the places a Flume user already put it. Flume puts every jar of
 * {@code plugins.d/<name>/lib} and {@code plugins.d/<name>/libext} and its conf directory on its class path, and the
 * User Guide tells users to drop their provider's jars there; Sluice reads the same places under SLUICE_HOME, so a
 * Flume installation's {@code plugins.d} copied over works as it is. The conf directory is there for resources, such
 * as the {@code jndi.properties} that JNDI merges into the source's environment. {@code providerClasspath} names
 * other places instead. The jars are listed when a source starts, so jars added later count from the next start.
 */
final class ProviderClasspath {

    /** SLUICE_HOME and the conf directory, either absent outside an agent. */
    record Defaults(Path home, Path conf) {
        static final Defaults NONE = new Defaults(null, null);

        static Defaults of(Path home, Path conf) {
            return new Defaults(home, conf);
        }
    }

    private final String key;
    private final List<Path> configured;
    private final Defaults defaults;

    private ProviderClasspath(String key, List<Path> configured, Defaults defaults) {
        this.key = key;
        this.configured = configured;
        this.defaults = defaults;
    }

    static ProviderClasspath of(SourceContext context, String key, String[] entries, Defaults defaults)
            throws ConfigurationException {
        List<Path> paths = new ArrayList<>();
        for (String entry : entries) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry.trim());
            if (!path.isAbsolute()) {
                if (defaults.home() == null) {
                    throw context.configurationError(key, "'" + entry + "' is relative, and SLUICE_HOME is not known");
                }
                path = defaults.home().resolve(path);
            }
            paths.add(path.normalize());
        }
        return new ProviderClasspath(key, List.copyOf(paths), defaults);
    }

    /** The URLs to load the provider from, listed now. */
    List<URL> urls() throws IOException {
        List<Path> places = new ArrayList<>();
        if (configured.isEmpty()) {
            if (defaults.home() != null) {
                Path pluginsDir = defaults.home().resolve("plugins.d");
                for (Path plugin : list(pluginsDir)) {
                    places.addAll(jars(plugin.resolve("lib")));
                    places.addAll(jars(plugin.resolve("libext")));
                }
            }
            if (defaults.conf() != null && Files.isDirectory(defaults.conf())) {
                places.add(defaults.conf());
            }
        } else {
            for (Path entry : configured) {
                if (Files.isDirectory(entry)) {
                    places.add(entry);
                    places.addAll(jars(entry));
                } else if (Files.isRegularFile(entry)) {
                    places.add(entry);
                } else {
                    throw new IOException(key + ": " + entry + " does not exist");
                }
            }
        }
        List<URL> urls = new ArrayList<>();
        for (Path place : places) {
            urls.add(url(place));
        }
        return urls;
    }

    /** What the source says in its log and errors. */
    String describe() {
        if (!configured.isEmpty()) {
            return key + " " + configured;
        }
        return (defaults.home() == null ? "no SLUICE_HOME/plugins.d" : defaults.home().resolve("plugins.d")
                + "/*/lib and libext") + (defaults.conf() == null ? "" : " and " + defaults.conf());
    }

    private static List<Path> jars(Path directory) throws IOException {
        return list(directory).stream().filter(path -> path.getFileName().toString().endsWith(".jar")
                && Files.isRegularFile(path)).toList();
    }

    private static List<Path> list(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(directory)) {
            return children.sorted().toList();
        }
    }

    private static URL url(Path path) throws MalformedURLException {
        return path.toAbsolutePath().toUri().toURL();
    }
}

package org.sluice.itests.osgi.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;

/**
 * A plain Flume plugin jar made for a test, on the host before the framework starts: the Flume-API sources of
 * {@code src/test/flume-plugin}, compiled against Flume 1.11.0's API jars (system property {@value #FLUME_API}), as a
 * third party compiles its plugin, and packed without any OSGi header.
 */
public final class TinyFlumePlugin {
    /** The class path of Flume's API jars. */
    public static final String FLUME_API = "sluice.itests.flume.api";

    private TinyFlumePlugin() {
    }

    /** The plugin, built in a new directory under target/, its path given to the framework as {@code property}. */
    public static Option pathAs(String property) throws IOException {
        Path jar = build(Files.createTempDirectory(Paths.get("target"), "flume-plugin"));
        return CoreOptions.systemProperty(property).value(jar.toAbsolutePath().toString());
    }

    public static Path build(Path directory) {
        Path sources = Paths.get(System.getProperty("basedir", ".")).resolve("src/test/flume-plugin");
        try {
            Path classes = Files.createDirectories(directory.resolve("classes"));
            List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
                    System.getProperty(FLUME_API), "--release", "8"));
            try (Stream<Path> files = Files.walk(sources)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> arguments.add(f.toString()));
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac.run(null, null, null, arguments.toArray(new String[0])) != 0) {
                throw new IllegalStateException("the test plugin in " + sources + " does not compile");
            }
            Path jar = directory.resolve("example-flume-plugin-1.0.jar");
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
            try (OutputStream file = Files.newOutputStream(jar);
                    JarOutputStream out = new JarOutputStream(file, manifest);
                    Stream<Path> files = Files.walk(classes)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(f));
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the test plugin of " + sources, e);
        }
    }
}

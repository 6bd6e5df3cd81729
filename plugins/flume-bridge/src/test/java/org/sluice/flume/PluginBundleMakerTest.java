package org.sluice.flume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundles made of Flume plugins: what the manifest must say for the plugin to resolve, load and be offered. */
class PluginBundleMakerTest {
    @TempDir
    Path work;

    private final PluginBundleMaker maker = new PluginBundleMaker(getClass().getClassLoader());

    static Path jarOf(String className) throws ClassNotFoundException, URISyntaxException {
        return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void aPlainPluginJarBecomesABundleThatOffersItsSink() throws Exception {
        Path httpSink = jarOf("org.apache.flume.sink.http.HttpSink");
        assertEquals("flume.jar.flume-http-sink", PluginNames.jarSymbolicName(httpSink.getFileName().toString()));
        assertEquals("1.11.0", PluginNames.version(httpSink));
        File bundle = work.resolve("bundle.jar").toFile();
        PluginComponents components = maker.make(new PluginSource("flume.jar.flume-http-sink", "1.11.0",
                "flume-http-sink-1.11.0.jar", List.of(httpSink), List.of(), true), bundle);
        assertEquals(FlumeKind.SINK, components.classes().get("org.apache.flume.sink.http.HttpSink"));
        assertEquals(1, components.classes().size(), "only the sink: the other classes are no Flume components");
        Attributes manifest = manifest(bundle);
        assertEquals("flume.jar.flume-http-sink", manifest.getValue("Bundle-SymbolicName"));
        assertEquals("1.11.0", manifest.getValue("Bundle-Version"));
        assertEquals("org.sluice.flume", manifest.getValue("Require-Bundle"));
        assertEquals("org.apache.flume.sink.http.HttpSink;kind=sink", manifest.getValue(PluginComponents.HEADER));
        assertFalse(manifest.getValue("Import-Package").contains("org.apache.flume"),
                "Flume's packages come with the required bridge: " + manifest.getValue("Import-Package"));
        assertEquals("*", manifest.getValue("DynamicImport-Package"));
        assertTrue(manifest.getValue("Bundle-ClassPath").endsWith("flume-http-sink-1.11.0.jar"),
                "the jar goes in whole: " + manifest.getValue("Bundle-ClassPath"));
    }

    @Test
    void aPluginDirectoryKeepsItsLibrariesToItselfAndNamesItsNativeCode() throws Exception {
        Path plugin = work.resolve("plugins.d/http");
        Files.createDirectories(plugin.resolve("lib"));
        Files.createDirectories(plugin.resolve("libext"));
        Files.createDirectories(plugin.resolve("native"));
        Files.copy(jarOf("org.apache.flume.sink.http.HttpSink"), plugin.resolve("lib/flume-http-sink-1.11.0.jar"));
        Files.copy(jarOf("org.awaitility.Awaitility"), plugin.resolve("libext/awaitility.jar"));
        Files.writeString(plugin.resolve("native/libexample.so"), "not really a library");
        assertTrue(PluginLayout.isPlugin(plugin));
        PluginSource source = PluginLayout.read(plugin, "http");
        assertEquals("flume.plugin.http", source.symbolicName());
        assertEquals("1.11.0", source.version(), "the version of its first jar");
        File bundle = work.resolve("bundle.jar").toFile();
        maker.make(source, bundle);
        Attributes manifest = manifest(bundle);
        assertEquals("lib/1-flume-http-sink-1.11.0.jar,lib/2-awaitility.jar", manifest.getValue("Bundle-ClassPath"));
        assertNull(manifest.getValue("Export-Package"), "a plugin directory's libraries are its own");
        assertFalse(manifest.getValue("Import-Package").contains("org.awaitility"),
                "a library inside the bundle is not imported: " + manifest.getValue("Import-Package"));
        assertEquals("native/libexample.so,*", manifest.getValue("Bundle-NativeCode"));
        try (JarFile jar = new JarFile(bundle)) {
            assertTrue(jar.getEntry("native/libexample.so") != null);
        }
    }

    @Test
    void componentsAreListedAndReadBack() {
        PluginComponents components = PluginComponents.parse(
                "com.example.Tag$Builder;kind=interceptor, com.example.Pick;kind=channel-selector");
        assertEquals(FlumeKind.INTERCEPTOR, components.classes().get("com.example.Tag$Builder"));
        assertEquals(FlumeKind.CHANNEL_SELECTOR, components.classes().get("com.example.Pick"));
        assertEquals(components, PluginComponents.parse(components.header()));
    }

    @Test
    void versionsBecomeOsgiVersions() {
        assertEquals("1.0.0.SNAPSHOT", PluginNames.osgi("1.0-SNAPSHOT"));
        assertEquals("0.0.0", PluginNames.osgi(null));
        assertEquals("flume.jar.my-sink", PluginNames.jarSymbolicName("my-sink-2.4.7.jar"));
        assertEquals("flume.jar.plain", PluginNames.jarSymbolicName("plain.jar"));
    }

    private static Attributes manifest(File bundle) throws Exception {
        try (JarFile jar = new JarFile(bundle)) {
            return jar.getManifest().getMainAttributes();
        }
    }
}

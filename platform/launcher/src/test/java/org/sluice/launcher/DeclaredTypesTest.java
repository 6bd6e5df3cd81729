package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A custom distribution keeps the default selector and processor by the types their bundles register. */
class DeclaredTypesTest {
    @TempDir
    Path directory;

    /** As bnd writes a factory component with {@code @SluiceType} of several names. */
    private static String component(String name, String service, String... types) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name + "\">\n"
                + "  <property name=\"sluice.type\" type=\"String\">" + String.join("\n", types) + "</property>\n"
                + "  <service>\n    <provide interface=\"" + service + "\"/>\n  </service>\n"
                + "  <implementation class=\"" + name + "\"/>\n</scr:component>\n";
    }

    private Path bundle(String symbolicName, String header, Map<String, String> files) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        if (header != null) {
            manifest.getMainAttributes().putValue("Service-Component", header);
        }
        Path jar = directory.resolve(symbolicName + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                jarOut.putNextEntry(new JarEntry(file.getKey()));
                jarOut.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                jarOut.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void typesAreReadByServiceFromEveryDescriptionTheHeaderNames() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("OSGI-INF/a.Replicating.xml", component("a.Replicating", "org.sluice.api.selector.ChannelSelectorFactory",
                "replicating", "org.apache.flume.channel.ReplicatingChannelSelector"));
        files.put("OSGI-INF/a.Multiplexing.xml", component("a.Multiplexing",
                "org.sluice.api.selector.ChannelSelectorFactory", "multiplexing"));
        Path jar = bundle("a.selectors", "OSGI-INF/a.Replicating.xml,OSGI-INF/a.Multiplexing.xml", files);
        assertEquals(Map.of("org.sluice.api.selector.ChannelSelectorFactory", Set.of("replicating",
                "org.apache.flume.channel.ReplicatingChannelSelector", "multiplexing")), DeclaredTypes.of(jar));
        // DS allows a wildcard in the file name.
        assertEquals(DeclaredTypes.of(jar), DeclaredTypes.of(bundle("b.selectors", "OSGI-INF/*.xml", files)));
        // A single value is an attribute.
        Path single = bundle("c.processor", "OSGI-INF/c.xml", Map.of("OSGI-INF/c.xml", component("c",
                "org.sluice.api.sink.SinkProcessorFactory", "x").replace(
                        "type=\"String\">x</property>", "type=\"String\" value=\"default\"/>")));
        assertEquals(Map.of("org.sluice.api.sink.SinkProcessorFactory", Set.of("default")), DeclaredTypes.of(single));
        assertEquals(Map.of(), DeclaredTypes.of(bundle("d.library", null, Map.of())));
        IOException missing = assertThrows(IOException.class,
                () -> DeclaredTypes.of(bundle("e.broken", "OSGI-INF/gone.xml", Map.of())));
        assertTrue(missing.getMessage().contains("OSGI-INF/gone.xml"), missing.getMessage());
    }

    @Test
    void theBundlesKeptAlwaysAreTheProvidersOfTheDefaultSelectorAndProcessorWhateverTheirNames() throws Exception {
        PluginSelection.Candidate selectors = candidate(bundle("com.example.selectors", "OSGI-INF/s.xml",
                Map.of("OSGI-INF/s.xml", component("s", "org.sluice.api.selector.ChannelSelectorFactory",
                        "replicating"))));
        PluginSelection.Candidate processor = candidate(bundle("com.example.processor", "OSGI-INF/p.xml",
                Map.of("OSGI-INF/p.xml", component("p", "org.sluice.api.sink.SinkProcessorFactory", "default"))));
        PluginSelection.Candidate failover = candidate(bundle("org.sluice.sinkprocessor.failover", "OSGI-INF/f.xml",
                Map.of("OSGI-INF/f.xml", component("f", "org.sluice.api.sink.SinkProcessorFactory", "failover"))));
        // The type name alone is not enough: a sink named "default" is not the default processor.
        PluginSelection.Candidate sink = candidate(bundle("com.example.sink", "OSGI-INF/k.xml",
                Map.of("OSGI-INF/k.xml", component("k", "org.sluice.api.sink.SinkFactory", "default"))));
        assertEquals(List.of(selectors, processor), PluginSelection.providersOfAlwaysKept(
                List.of(failover, selectors, sink, processor)));
    }

    private static PluginSelection.Candidate candidate(Path jar) {
        return new PluginSelection.Candidate(jar, jar.getFileName().toString().replace(".jar", ""), "1.0.0");
    }
}

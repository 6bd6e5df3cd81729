package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A custom distribution keeps the default selector and processor by the types their bundles register. */
class DeclaredTypesTest {
    @TempDir
    Path directory;

    private static String component(String name, String service, String... types) {
        return ComponentJars.component(name, service, types);
    }

    private Path bundle(String symbolicName, String header, Map<String, String> files) throws IOException {
        return ComponentJars.bundle(directory, symbolicName, header, files);
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

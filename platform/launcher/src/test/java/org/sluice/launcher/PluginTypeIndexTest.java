package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginTypeIndexTest {
    private static final String SINK = "org.sluice.api.sink.SinkFactory";

    @TempDir
    Path directory;

    @Test
    void aJarIsReadOnceAndAgainOnlyWhenItChanges() throws Exception {
        Path jar = ComponentJars.bundle(directory, "org.example.sink", "OSGI-INF/k.xml",
                Map.of("OSGI-INF/k.xml", ComponentJars.component("k", SINK, "mine", "org.example.MySink")));
        Path library = ComponentJars.bundle(directory, "org.example.library", null, Map.of());
        Path index = directory.resolve("cache").resolve(PluginTypeIndex.FILE);

        Map<Path, Map<String, Set<String>>> first = PluginTypeIndex.of(List.of(jar, library), index);
        assertEquals(Map.of(SINK, Set.of("mine", "org.example.MySink")), first.get(jar));
        assertEquals(Map.of(), first.get(library));
        assertTrue(Files.isRegularFile(index));

        // What the index says of an unchanged jar is what counts: it is not read again.
        Properties kept = load(index);
        String key = jar.toAbsolutePath().normalize().toString();
        kept.setProperty(key, kept.getProperty(key).replace("\tmine", "\tfrom-the-index"));
        store(index, kept);
        assertEquals(Set.of("from-the-index", "org.example.MySink"),
                PluginTypeIndex.of(List.of(jar, library), index).get(jar).get(SINK));

        // A jar written again (another inode, size or time) is read again.
        Files.delete(jar);
        ComponentJars.bundle(directory, "org.example.sink", "OSGI-INF/k.xml",
                Map.of("OSGI-INF/k.xml", ComponentJars.component("k", SINK, "renamed")));
        assertEquals(Map.of(SINK, Set.of("renamed")), PluginTypeIndex.of(List.of(jar, library), index).get(jar));
        assertEquals(Map.of(SINK, Set.of("renamed")), PluginTypeIndex.of(List.of(jar), index).get(jar));
    }

    private static Properties load(Path file) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return properties;
    }

    private static void store(Path file, Properties properties) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, null);
        }
    }
}

package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfiguredTypesTest {
    @TempDir
    Path directory;

    @Test
    void readsTheTypesOfTheAgentsComponentsFromTheMergedFiles() throws Exception {
        Path first = directory.resolve("first.properties");
        Files.writeString(first, String.join("\n",
                "a1.sources = r1",
                "a1.sources.r1.type = netcat",
                "a1.sources.r1.selector.type = multiplexing",
                "a1.sources.r1.interceptors.i1.type = timestamp",
                "a1.sources.r1.interceptors.i1.serializers.s1.type = org.example.Millis",
                "a1.channels.c1.type = file",
                "a1.sinks.k1.type = hdfs",
                "a1.sinks.k1.serializer = avro_event",
                "a1.sinkgroups.g1.processor.type = failover",
                "a1.configfilters.f1.type = env",
                "a2.sinks.k1.type = kafka", ""));
        Path second = directory.resolve("second.properties");
        Files.writeString(second, "a1.channels.c1.type = MEMORY\n");

        ConfiguredTypes types = ConfiguredTypes.read(List.of(first, second), "a1").orElseThrow();
        assertEquals(Set.of("netcat", "multiplexing", "timestamp", "MEMORY", "hdfs", "failover"),
                types.componentTypes(), "the later file's channel type wins; other agents and filters are not read");
        assertTrue(types.values().containsAll(Set.of("avro_event", "org.example.Millis")), types.values()
                .toString());
        assertFalse(types.values().contains("env"));
        assertFalse(types.values().contains("kafka"));
    }

    @Test
    void aFileThatIsNotUtf8TextCannotBeRead() throws Exception {
        Path file = directory.resolve("latin1.properties");
        Files.write(file, new byte[] {'a', '1', '.', 'x', '=', (byte) 0xE9, '\n'});
        assertTrue(ConfiguredTypes.read(List.of(file), "a1").isEmpty());
        assertTrue(ConfiguredTypes.read(List.of(directory.resolve("missing.properties")), "a1").isEmpty());
    }

    @Test
    void aShortAliasNamesItsTypeInAnyCaseAClassNameOnlyExactly() {
        assertTrue(ConfiguredTypes.names("memory", "MEMORY"));
        assertTrue(ConfiguredTypes.names("org.apache.flume.channel.MemoryChannel", "org.apache.flume.channel.MemoryChannel"));
        assertFalse(ConfiguredTypes.names("org.apache.flume.channel.MemoryChannel", "org.apache.flume.channel.memorychannel"));
        assertFalse(ConfiguredTypes.names("memory", "file"));
    }
}

package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultAgentConfigurationTest {
    @TempDir
    Path data;

    @Test
    void writesTheEmbeddedDefaultOverAnyEditedCopy() throws IOException {
        Files.writeString(data.resolve(DefaultAgentConfiguration.FILE_NAME), "a1.sources = edited\n");
        Path written = DefaultAgentConfiguration.writeTo(data);

        assertEquals(data.resolve("default-agent.properties"), written);
        Properties expected = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(DefaultAgentConfiguration.RESOURCE)) {
            expected.load(in);
        }
        Properties actual = new Properties();
        try (Reader reader = Files.newBufferedReader(written, StandardCharsets.UTF_8)) {
            actual.load(reader);
        }
        assertEquals(expected, actual);
        assertEquals("netcat", actual.getProperty("a1.sources.r1.type"));
        assertTrue(Files.readString(written).startsWith("# Written by the Sluice launcher"));
        try (var files = Files.list(data)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }
}

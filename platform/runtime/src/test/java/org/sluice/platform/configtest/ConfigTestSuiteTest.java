package org.sluice.platform.configtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTestSuiteTest {

    @TempDir
    Path directory;

    @Test
    void readsConfigAgentInputsAndExpectations() throws Exception {
        ConfigTestSuite suite = ConfigTestSuite.read(write(
                "config = ../agent.conf",
                "agent = a1",
                "test.t1.source = r1",
                "test.t1.input.1.body = ERROR x",
                "test.t1.input.1.headers.host = web1",
                "test.t1.input.2.body = INFO y",
                "test.t1.expect.1.body = ERROR x",
                "test.t1.expect.1.headers.level = ERROR",
                "test.t1.expect.1.headersMatching.timestamp = \\\\d+",
                "test.t1.expect.1.headersAbsent = secret, token",
                "test.t1.expect.1.channels = c1 c2",
                "test.t1.expect.1.optionalChannels = c3",
                "test.t1.expect.count = 2"));
        assertEquals(Optional.of(directory.getParent().resolve("agent.conf")), suite.config());
        assertEquals(Optional.of("a1"), suite.agent());
        ConfigTestSuite.ConfigTest test = suite.tests().get(0);
        assertEquals(Optional.of("r1"), test.source());
        assertEquals(List.of(new ConfigTestSuite.InputEvent("ERROR x", Map.of("host", "web1")),
                new ConfigTestSuite.InputEvent("INFO y", Map.of())), test.input());
        assertEquals(2, test.expectedCount());
        ConfigTestSuite.ExpectedEvent first = test.expected().get(0);
        assertEquals(Optional.of("ERROR x"), first.body());
        assertEquals(Map.of("level", "ERROR"), first.headers());
        assertEquals("\\d+", first.headersMatching().get("timestamp").pattern());
        assertEquals(Set.of("secret", "token"), first.headersAbsent());
        assertEquals(Optional.of(Set.of("c1", "c2")), first.channels());
        assertEquals(Optional.of(Set.of("c3")), first.optionalChannels());
    }

    @Test
    void linesAreOneEventEachAndTheCountIsThatOfTheExpectations() throws Exception {
        ConfigTestSuite.ConfigTest test = ConfigTestSuite.read(write(
                "test.t.lines = one\\ntwo\\nthree",
                "test.t.expect.1.body = two")).tests().get(0);
        assertEquals(List.of("one", "two", "three"), test.input().stream().map(ConfigTestSuite.InputEvent::body)
                .toList());
        assertEquals(1, test.expectedCount(), "no expect.count: as many events as are described");
    }

    @Test
    void aMisspeltKeyAGapOrTwoKindsOfInputAreErrorsThatNameTheTest() throws IOException {
        assertError("unknown key 'test.t.expect.1.header.level'", "test.t.lines = x", "test.t.expect.1.header.level = E");
        assertError("unknown key 'tests.t.lines'", "tests.t.lines = x");
        assertError("input.2 is missing", "test.t.input.1.body = x", "test.t.input.3.body = y");
        assertError("as lines or as input.N, not both", "test.t.lines = x", "test.t.input.1.body = y");
        assertError("no events in", "test.t.expect.count = 0");
        assertError("not a regular expression", "test.t.lines = x", "test.t.expect.1.bodyMatching = (");
        assertError("expect.count = 0 but 1 events are described", "test.t.lines = x", "test.t.expect.count = 0",
                "test.t.expect.1.body = x");
        assertError("no tests", "agent = a1");
    }

    private void assertError(String message, String... lines) throws IOException {
        Path file = write(lines);
        ConfigTestSuite.SuiteException error = assertThrows(ConfigTestSuite.SuiteException.class,
                () -> ConfigTestSuite.read(file));
        assertTrue(error.getMessage().contains(message) && error.getMessage().contains(file.toString()),
                error.getMessage());
    }

    private Path write(String... lines) throws IOException {
        Path file = Files.createTempFile(directory, "suite", ".properties");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }
}

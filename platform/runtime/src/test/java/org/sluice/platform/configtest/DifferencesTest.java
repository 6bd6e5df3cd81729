package org.sluice.platform.configtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DifferencesTest {

    @TempDir
    Path directory;

    @Test
    void aMatchingEventHasNoDifference() throws Exception {
        ConfigTestSuite.ConfigTest test = test(
                "test.t.lines = x",
                "test.t.expect.1.body = ERROR x",
                "test.t.expect.1.headers.level = ERROR",
                "test.t.expect.1.headersMatching.ts = \\\\d{13}",
                "test.t.expect.1.headersAbsent = secret",
                "test.t.expect.1.channels = c2 c1");
        RoutedEvent event = new RoutedEvent("ERROR x", Map.of("level", "ERROR", "ts", "1700000000000"),
                List.of("c1", "c2"), List.of());
        assertEquals(List.of(), Differences.between(test, List.of(event)));
    }

    @Test
    void eachDifferenceIsOneReadableLine() throws Exception {
        ConfigTestSuite.ConfigTest test = test(
                "test.t.lines = x",
                "test.t.expect.1.body = ERROR x",
                "test.t.expect.1.headers.level = ERROR",
                "test.t.expect.1.headers.dc = eu",
                "test.t.expect.1.headersMatching.ts = \\\\d{13}",
                "test.t.expect.1.headersAbsent = secret",
                "test.t.expect.1.channels = c1 c2",
                "test.t.expect.1.optionalChannels = c3");
        RoutedEvent event = new RoutedEvent("WARN \"x\"\n", Map.of("level", "WARN", "ts", "soon", "secret", "s3"),
                List.of("c1"), List.of());
        assertEquals(List.of(
                "event 1 body: expected \"ERROR x\" but was \"WARN \\\"x\\\"\\n\"",
                "event 1 header dc: expected \"eu\" but it is absent",
                "event 1 header level: expected \"ERROR\" but was \"WARN\"",
                "event 1 header ts: expected to match /\\d{13}/ but was \"soon\"",
                "event 1 header secret: expected absent but was \"s3\"",
                "event 1 channels: expected [c1, c2] but was [c1]",
                "event 1 optional channels: expected [c3] but was []"), Differences.between(test, List.of(event)));
    }

    @Test
    void aWrongCountListsTheEventsThatCameOut() throws Exception {
        ConfigTestSuite.ConfigTest test = test("test.t.lines = x", "test.t.expect.count = 0");
        RoutedEvent event = new RoutedEvent("x", Map.of("b", "2", "a", "1"), List.of("c1"), List.of("c9"));
        assertEquals(List.of("expected 0 event(s) out of the interceptors, but 1 came out:",
                "    1: headers {a=1, b=2} body \"x\" -> channels [c1] optional [c9]"),
                Differences.between(test, List.of(event)));
    }

    private ConfigTestSuite.ConfigTest test(String... lines) throws Exception {
        Path file = Files.createTempFile(directory, "suite", ".properties");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return ConfigTestSuite.read(file).tests().get(0);
    }
}

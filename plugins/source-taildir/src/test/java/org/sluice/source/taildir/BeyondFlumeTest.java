package org.sluice.source.taildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.testkit.TestContexts;

/** Sluice's opt-in keys: multi-line events and directory globs. */
class BeyondFlumeTest {

    @TempDir
    Path dir;

    @Test
    void aStartPatternGathersAStackTraceUnderItsLogLine() throws Exception {
        try (TaildirFixture tail = new TaildirFixture(dir).set("multiline.f1.startPattern", "^\\d{4}-")
                .set("multiline.f1.timeout", "60000").open()) {
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.append(log, "2024-01-01 ERROR boom\n"
                    + "java.lang.IllegalStateException: boom\n"
                    + "\tat a.B.c(B.java:1)\n"
                    + "2024-01-01 INFO next\n"
                    + "2024-01-01 INFO last, still open\n");
            tail.look();
            assertEquals(List.of("2024-01-01 ERROR boom\njava.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)",
                    "2024-01-01 INFO next"), tail.bodies(), "the last event waits for the next start or its timeout");
            tail.stop();
            assertEquals(Files.size(log) - "2024-01-01 INFO last, still open\n".length(),
                    new PositionFile(tail.positionFile).read().get(0).pos(),
                    "the position is the end of the last delivered event: the open one is read again after a restart");
        }
    }

    @Test
    void aContinuationPatternJoinsIndentedLinesAndATimeoutEndsTheEvent() throws Exception {
        try (TaildirFixture tail = new TaildirFixture(dir).set("multiline.f1.continuationPattern", "^\\s")
                .set("multiline.f1.timeout", "1000").open()) {
            Path log = tail.logs.resolve("app.log");
            TaildirFixture.append(log, "first\n  more of first\nsecond\n  more of second\n");
            tail.look();
            assertEquals(List.of("first\n  more of first"), tail.bodies());
            tail.lookUntil(() -> tail.bodies().size() == 2);
            assertEquals("second\n  more of second", tail.bodies().get(1), "completed by its timeout");
        }
    }

    @Test
    void aMultiLineEventIsBoundedByMaxLinesAndMaxLineLength() throws Exception {
        try (TaildirFixture tail = new TaildirFixture(dir).set("multiline.f1.startPattern", "^START")
                .set("multiline.f1.maxLines", "3").set("maxLineLength", "40").open()) {
            Path log = tail.logs.resolve("app.log");
            StringBuilder text = new StringBuilder("START one\n");
            for (int i = 0; i < 1000; i++) {
                text.append("  continued ").append(i).append('\n');
            }
            text.append("START two\n").append("x".repeat(30)).append('\n').append("y".repeat(30)).append("\nSTART 3\n");
            TaildirFixture.append(log, text.toString());
            tail.look();
            assertEquals(List.of("START one\n  continued 0\n  continued 1", ("START two\n" + "x".repeat(30)
                    + "\n" + "y".repeat(30)).substring(0, 40)), tail.bodies());
            assertEquals(2, tail.counters().get(TaildirSource.TRUNCATED_COUNTER));
        }
    }

    @Test
    void directoryGlobsFindFilesInEveryMatchingDirectoryAtAnyDepth() throws Exception {
        Path root = Files.createDirectories(dir.resolve("logs"));
        Path deep = Files.createDirectories(root.resolve("app-1/2024/01"));
        Path shallow = Files.createDirectories(root.resolve("app-2"));
        Path other = Files.createDirectories(root.resolve("db-1"));
        try (TaildirFixture tail = new TaildirFixture(dir).set("directoryGlobs", "true")
                .set("filegroups.f1", root.resolve("app-*/**/.*\\.log").toString()).open()) {
            TaildirFixture.appendLines(deep.resolve("a.log"), "deep", 0, 2);
            TaildirFixture.appendLines(shallow.resolve("b.log"), "shallow", 0, 2);
            TaildirFixture.appendLines(shallow.resolve("b.txt"), "not-a-log", 0, 2);
            TaildirFixture.appendLines(other.resolve("c.log"), "other-dir", 0, 2);
            tail.lookUntil(() -> tail.bodies().size() == 4);
            assertEquals(List.of("deep-0", "deep-1", "shallow-0", "shallow-1"),
                    tail.bodies().stream().sorted().toList());
            Path later = Files.createDirectories(root.resolve("app-3/new"));
            TaildirFixture.appendLines(later.resolve("d.log"), "later", 0, 1);
            tail.lookUntil(() -> tail.bodies().contains("later-0"));
        }
    }

    @Test
    void withoutDirectoryGlobsAStarInTheDirectoryIsADirectoryName() throws Exception {
        TaildirFixture tail = new TaildirFixture(dir).set("filegroups.f1", dir.resolve("logs/*/x.log").toString());
        java.io.IOException e = assertThrows(java.io.IOException.class, tail::open);
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void configurationErrorsNameTheKey() {
        assertKeyError(Map.of("multiline.f1.startPattern", "a", "multiline.f1.continuationPattern", "b"),
                "multiline.f1.startPattern");
        assertKeyError(Map.of("multiline.f1.startPattern", "("), "multiline.f1.startPattern");
        assertKeyError(Map.of("multiline.f1.pattern", "a"), "multiline.f1.pattern");
        assertKeyError(Map.of("multiline.f9.startPattern", "a"), "multiline.f9");
        assertKeyError(Map.of("multiline.f1.startPattern", "a", "multiline.f1.timeout", "soon"),
                "multiline.f1.timeout");
        assertKeyError(Map.of("filegroups.f1", "/var/log/(.log"), "filegroups.f1");
        assertKeyError(Map.of("batchSize", "0"), "batchSize");
        assertKeyError(Map.of("maxLineLength", "0"), "maxLineLength");
        assertKeyError(Map.of("filegroups", "f2"), "filegroups");
    }

    private void assertKeyError(Map<String, String> overrides, String key) {
        java.util.HashMap<String, String> properties = new java.util.HashMap<>();
        properties.put("filegroups", "f1");
        properties.put("filegroups.f1", dir.resolve("app.log").toString());
        properties.put("positionFile", dir.resolve("p.json").toString());
        properties.putAll(overrides);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> new TaildirSourceFactory()
                .create(TestContexts.source("r1", properties, new RecordingChannelProcessor(), dir)));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}

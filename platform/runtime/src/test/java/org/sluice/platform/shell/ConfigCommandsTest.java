package org.sluice.platform.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ComponentKind;
import org.sluice.platform.config.ConfigFileBridge;
import org.sluice.platform.config.ConfigText;
import org.sluice.platform.config.Problem;
import org.sluice.platform.config.ReloadSummary;
import org.sluice.platform.config.TypeCatalog;

class ConfigCommandsTest {

    private static final String VALID = String.join("\n",
            "a1.sources = r1",
            "a1.channels = c1",
            "a1.sinks = k1",
            "a1.sources.r1.type = netcat",
            "a1.sources.r1.channels = c1",
            "a1.channels.c1.type = memory",
            "a1.sinks.k1.type = logger",
            "a1.sinks.k1.channel = c1");

    /** Knows every type, accepts any key. */
    private static final TypeCatalog EVERY_TYPE = (kind, type) -> Optional
            .of(new TypeCatalog.TypeInfo(null, Set.of(), "test.bundle", "1.0.0"));
    /** Knows no type. */
    private static final TypeCatalog NO_TYPE = (kind, type) -> Optional.empty();

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("flume.conf");
        Files.writeString(file, text);
        return file;
    }

    private static ConfigCommands commands(ConfigFileBridge bridge, TypeCatalog catalog) {
        return new ConfigCommands(Map.<String, String>of()::get, bridge, catalog);
    }

    private static ConfigFileBridge bridge(Path file, String agent, ReloadSummary summary, AtomicInteger reloads) {
        return new ConfigFileBridge() {
            @Override
            public ReloadSummary reload() {
                reloads.incrementAndGet();
                return summary;
            }

            @Override
            public String origin() {
                return file.toString();
            }

            @Override
            public List<ConfigText> read() throws IOException {
                return List.of(new ConfigText(file.toString(), Files.readString(file)));
            }

            @Override
            public String agent() {
                return agent;
            }
        };
    }

    @Test
    void reloadCallsTheBridgeAndPrintsWhatChanged() {
        Path file = dir.resolve("flume.conf");
        ReloadSummary summary = new ReloadSummary("a1", file.toString(), List.of("a1.sources.r2"), List.of("a1.sinks.k1"),
                List.of("a1.sources.r1"), List.of(Problem.warning("a1", ComponentKind.SINK, "k1", "batchSize",
                        "is large")));
        AtomicInteger reloads = new AtomicInteger();

        String out = commands(bridge(file, "a1", summary, reloads), EVERY_TYPE).reload();

        assertEquals(1, reloads.get());
        assertTrue(out.startsWith("agent a1 from " + file + ": 1 added, 1 updated, 1 removed"), out);
        assertTrue(out.contains("added   a1.sources.r2"), out);
        assertTrue(out.contains("updated a1.sinks.k1"), out);
        assertTrue(out.contains("removed a1.sources.r1"), out);
        assertTrue(out.contains("WARNING a1.sinks.k1.batchSize: is large"), out);
    }

    @Test
    void reloadWithoutAFileSaysSo() {
        assertTrue(commands(null, EVERY_TYPE).reload().startsWith("No properties file to reload"));
    }

    @Test
    void aValidFileHasNoProblems() throws IOException {
        Path file = write(VALID);

        String out = commands(null, EVERY_TYPE).validate(file.toString(), "a1");

        assertEquals("agent a1 in " + file + ": no problems", out);
    }

    @Test
    void everyProblemIsPrintedWithItsKeyThenTheSummary() throws IOException {
        Path file = write(VALID.replace("a1.sinks.k1.channel = c1", "a1.sinks.k1.channel = c9"));

        List<String> lines = List.of(commands(null, EVERY_TYPE).validate("-f", file.toString(), "-n", "a1")
                .split("\\R"));

        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ERROR a1.sinks.k1")), lines.toString());
        String summary = lines.get(lines.size() - 1);
        assertTrue(summary.startsWith("agent a1 in " + file + ": "), summary);
        assertFalse(summary.endsWith("no problems"), summary);
    }

    @Test
    void typesNoBundleProvidesAreErrors() throws IOException {
        Path file = write(VALID);

        String out = commands(null, NO_TYPE).validate(file.toString(), "a1");

        assertTrue(out.lines().anyMatch(l -> l.startsWith("ERROR a1.sources.r1")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("ERROR a1.sinks.k1")), out);
    }

    @Test
    void withoutTheCatalogOnlyTheStructureIsCheckedAndItSaysSo() throws IOException {
        Path file = write(VALID);

        String out = commands(null, null).validate(file.toString(), "a1");

        assertTrue(out.contains("WARNING a1: component types were not checked"), out);
        assertTrue(out.endsWith("0 errors, 1 warning"), out);
    }

    @Test
    void anUnreadableFileIsAnError() {
        Path missing = dir.resolve("missing.conf");

        String out = commands(null, EVERY_TYPE).validate(missing.toString(), "a1");

        assertTrue(out.startsWith("ERROR a1: cannot read " + missing), out);
    }

    @Test
    void withoutArgumentsTheRunningAgentsFileIsValidated() throws IOException {
        Path file = write(VALID);
        AtomicInteger reloads = new AtomicInteger();

        String out = commands(bridge(file, "a1", null, reloads), EVERY_TYPE).validate();

        assertEquals("agent a1 in " + file + ": no problems", out);
        assertEquals(0, reloads.get(), "validating does not apply the file");
        assertTrue(commands(null, EVERY_TYPE).validate().contains(ConfigCommands.USAGE));
    }

    @Test
    void badArgumentsPrintUsage() {
        String out = commands(null, EVERY_TYPE).validate("-f", "x.conf", "-q");
        assertTrue(out.startsWith("-q needs a value") || out.startsWith("Unknown option -q"), out);
        assertTrue(out.endsWith(ConfigCommands.USAGE), out);
    }
}

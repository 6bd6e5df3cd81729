package org.sluice.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sluice.platform.config.Corpus.assertProblems;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A whole file: parsing, structure and types, and what the validate command prints. */
class ConfigValidatorTest {

    private final ConfigValidator validator = new ConfigValidator(
            new FlumeConfigParser(Environment.of(Map.of(), Map.of()), false));
    private final FakeTypeCatalog catalog = new FakeTypeCatalog();

    @Test
    void theUserGuideExamplesAreValidAgainstTheirTypes() throws IOException {
        for (String[] example : Corpus.USER_GUIDE_EXAMPLES) {
            assertEquals(List.of(), Corpus.located(validator.validate(Corpus.file(example[0]), example[1], catalog)),
                    example[0]);
        }
    }

    /**
     * The User Guide's examples as the guide prints them (userguide/, see its README): the multi-agent, fan-out,
     * channel-selector, sink-group, Kafka, JMS, syslog, http, taildir and exec examples. None has an error, and the
     * warnings are true ones: the guide's block for optional channels sets selector.mapping.AZ twice (to the same
     * value), and its taildir example sets maxBatchCount of a source "ri" that is not a1's r1. The e2e test runs the
     * real bin/sluice validate on them too.
     */
    @Test
    void theUserGuideExamplesAsPrintedHaveNoProblem() throws IOException {
        Map<String, String> agents = Map.ofEntries(
                Map.entry("multi-agent-weblog.properties", "agent_foo"),
                Map.entry("multi-agent-hdfs.properties", "agent_foo"),
                Map.entry("fan-out-multiplexing.properties", "agent_foo"),
                Map.entry("fan-out-multiplexing-optional.properties", "agent_foo"),
                Map.entry("selector-replicating.properties", "a1"),
                Map.entry("selector-multiplexing.properties", "a1"),
                Map.entry("selector-load-balancing.properties", "a1"),
                Map.entry("sinkgroup-failover.properties", "a1"),
                Map.entry("sinkgroup-load-balance.properties", "a1"),
                Map.entry("kafka-source-topics.properties", "tier1"),
                Map.entry("kafka-source-regex.properties", "tier1"),
                Map.entry("kafka-sink.properties", "a1"),
                Map.entry("kafka-channel.properties", "a1"),
                Map.entry("source-jms.properties", "a1"),
                Map.entry("source-syslogtcp.properties", "a1"),
                Map.entry("source-multiport-syslogtcp.properties", "a1"),
                Map.entry("source-syslogudp.properties", "a1"),
                Map.entry("source-http.properties", "a1"),
                Map.entry("source-taildir.properties", "a1"),
                Map.entry("source-exec.properties", "a1"),
                Map.entry("source-exec-shell.properties", "a1"));
        List<String> files;
        try (java.util.stream.Stream<Path> listed = java.nio.file.Files.list(Corpus.file("userguide"))) {
            files = listed.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".properties"))
                    .sorted().toList();
        }
        // Every file of the directory is checked: one added without an agent name here fails, not skipped.
        assertEquals(agents.keySet().stream().sorted().toList(), files);
        Map<String, List<String>> expected = Map.of("fan-out-multiplexing-optional.properties",
                List.of("WARNING agent_foo.sources.avro-AppSrv-source1.selector.mapping.AZ"),
                "source-taildir.properties", List.of("WARNING a1.sources.ri"));
        for (String file : files) {
            List<Problem> problems = validator.validate(Corpus.file("userguide/" + file), agents.get(file), catalog);
            assertEquals(expected.getOrDefault(file, List.of()), Corpus.located(problems),
                    () -> file + ":\n" + String.join("\n", problems.stream().map(Problem::toString).toList()));
        }
    }

    @Test
    void typeProblemsComeAfterTheFilesOwn() throws IOException {
        List<Problem> problems = validator.validate(Corpus.file("bad-channels.properties"), "a1",
                new FakeTypeCatalog().without(org.sluice.api.component.ComponentKind.SOURCE, "seq"));

        assertProblems(problems, "ERROR a1.channels.c1.type", "ERROR a1.sources.r1.channels",
                "ERROR a1.sinks.k1.channel", "WARNING a1.channels.c3", "ERROR a1.sources.r1.type");
        assertEquals("ERROR a1.sources.r1.type", Corpus.located(problems).get(problems.size() - 1));
    }

    @Test
    void withoutACatalogOnlyTheStructureIsChecked() throws IOException {
        assertProblems(validator.validate(Corpus.file("netcat-memory-logger.properties"), "a1", null));
    }

    @Test
    void theCommandPrintsEveryProblemAndASummaryAndCountsErrors() throws IOException {
        Path file = Corpus.file("bad-sinks.properties");
        List<Problem> problems = validator.validate(file, "a1", catalog);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int errors = ValidateCommand.report(problems, ConfigValidator.summary("a1", file, problems),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, errors);
        assertEquals(5, lines.size());
        assertEquals("ERROR a1.sinks.k1.channel: a sink needs a channel; the sink is not started", lines.get(0));
        assertEquals("agent a1 in " + file + ": 4 errors, 0 warnings", lines.get(4));
    }

    @Test
    void summaryOfACleanFile() {
        assertEquals("agent a1 in /etc/flume.conf: no problems",
                ConfigValidator.summary("a1", Path.of("/etc/flume.conf"), List.of()));
    }
}

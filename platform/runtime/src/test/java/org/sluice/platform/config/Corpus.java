package org.sluice.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The properties files under src/test/resources/flume-configs and assertions over what they parse to. */
final class Corpus {

    private Corpus() {
    }

    /** The User Guide's examples in the corpus, each with the agent it defines: file name, agent name. */
    static final List<String[]> USER_GUIDE_EXAMPLES = List.of(new String[] {"netcat-memory-logger.properties", "a1"},
            new String[] {"seq-file-roll.properties", "a1"},
            new String[] {"avro-two-tiers.properties", "weblog"},
            new String[] {"avro-two-tiers.properties", "collector"},
            new String[] {"replicating-selector.properties", "a1"},
            new String[] {"multiplexing-selector.properties", "agent_foo"},
            new String[] {"sinkgroup-failover.properties", "a1"},
            new String[] {"sinkgroup-load-balance.properties", "a1"},
            new String[] {"interceptors.properties", "a1"});

    static Path file(String name) {
        try {
            return Path.of(Objects.requireNonNull(Corpus.class.getResource("/flume-configs/" + name), name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static AgentDefinition parse(String name, String agent) {
        return parse(name, agent, Environment.of(Map.of(), Map.of()));
    }

    static AgentDefinition parse(String name, String agent, Environment environment) {
        try {
            return new FlumeConfigParser(environment, false).parse(file(name), agent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each problem as {@code SEVERITY location}, in the order found. */
    static List<String> located(List<Problem> problems) {
        return problems.stream().map(problem -> problem.severity() + " " + problem.location()).toList();
    }

    static void assertProblems(List<Problem> problems, String... expected) {
        assertEquals(List.of(expected).stream().sorted().toList(), located(problems).stream().sorted().toList(),
                () -> "problems were:\n" + String.join("\n", problems.stream().map(Problem::toString).toList()));
    }
}

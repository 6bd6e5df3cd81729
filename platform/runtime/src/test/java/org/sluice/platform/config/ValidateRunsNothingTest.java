package org.sluice.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ComponentKind;

/** Checking a file someone hands you must not run the commands it names (issue 15). */
class ValidateRunsNothingTest {
    @TempDir
    Path directory;

    private Path helper(Path marker) throws IOException {
        Path script = directory.resolve("secret-helper.sh");
        Files.writeString(script, "#!/bin/sh\ntouch " + marker + "\necho from-the-helper\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private String file(Path helper) {
        return String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.configfilters = f1",
                "a1.configfilters.f1.type = external",
                "a1.configfilters.f1.command = " + helper,
                "a1.sources.r1.type = seq",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.keystore-password = ${f1['password']}",
                "");
    }

    @Test
    void validateDoesNotRunExternalFiltersUnlessAsked() throws Exception {
        // The finding: bin/sluice validate executed the external filter's command.
        Path marker = directory.resolve("the-command-ran");
        String text = file(helper(marker));
        FlumeConfigParser parser = new FlumeConfigParser(Environment.of(Map.of(), Map.of()), false);

        AgentDefinition checked = parser.forValidation(false).parse(text, "a1");
        assertFalse(Files.exists(marker), "validate ran the external command");
        List<Problem> problems = checked.problems();
        assertTrue(problems.stream().noneMatch(Problem::isError), problems.toString());
        assertTrue(problems.stream().anyMatch(problem -> problem.location().equals("a1.channels.c1.keystore-password")
                && problem.message().contains("--resolve-filters")), problems.toString());
        assertEquals("${f1['password']}", checked.components(ComponentKind.CHANNEL).get("c1").properties()
                .get("keystore-password"));

        parser.forValidation(true).parse(text, "a1");
        assertTrue(Files.exists(marker), "asked to, validate runs it");
    }

    @Test
    void theAgentRunsThem() throws Exception {
        Path marker = directory.resolve("the-agent-ran-it");
        AgentDefinition running = new FlumeConfigParser(Environment.of(Map.of(), Map.of()), false)
                .parse(file(helper(marker)), "a1");
        assertTrue(Files.exists(marker));
        assertEquals("from-the-helper", running.components(ComponentKind.CHANNEL).get("c1").properties()
                .get("keystore-password"));
    }
}

package org.sluice.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a service manager runs it: a separate JVM with standard input at end of file, stopped with
 * SIGTERM. It must keep running after its input ends, and exit with 0 once the framework has stopped.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class AgentProcessTest {
    @TempDir
    Path home;

    @Test
    void runsPastTheEndOfItsInputAndStopsCleanlyOnSigterm() throws Exception {
        TestKernel.installInto(home);
        Path output = home.resolve("output.txt");
        Process agent = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsluice.home=" + home, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "agent"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            awaitOutput(agent, output, "Running without an interactive shell");
            // The shell bundle is active and stdin is at its end: an agent that exits at end of input does so now.
            assertTrue(!agent.waitFor(2, TimeUnit.SECONDS), "the agent exited after its input ended:\n" + read(output));

            agent.destroy(); // SIGTERM
            assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent did not stop:\n" + read(output));
            assertEquals(0, agent.exitValue(), read(output));
            assertTrue(read(output).contains("Stopping (SIGTERM)"), read(output));
            assertTrue(Files.isRegularFile(home.resolve("data/default-agent.properties")));
        } finally {
            agent.destroyForcibly();
        }
    }

    private static void awaitOutput(Process agent, Path output, String text) throws IOException {
        try {
            await("'" + text + "' in the agent's output").atMost(Duration.ofSeconds(60))
                    .failFast("the agent exited", () -> !agent.isAlive())
                    .until(() -> read(output), out -> out.contains(text));
        } catch (TerminalFailureException e) {
            throw new AssertionError("the agent exited with " + agent.exitValue() + ":\n" + read(output), e);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}

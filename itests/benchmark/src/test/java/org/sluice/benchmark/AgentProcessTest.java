package org.sluice.benchmark;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentProcessTest {

    @TempDir
    Path dir;

    /** Stands in for an agent JVM: runs until stopped. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("sleeper up");
            Thread.sleep(120_000);
        }
    }

    private static void awaitOutput(Path file, String text) {
        await("'" + text + "' in " + file).atMost(Duration.ofSeconds(20)).until(() -> Files.readString(file),
                output -> output.contains(text));
    }

    @Test
    void findsTheJvmBelowALauncherScriptAndStopsTheWholeTree() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // "; true" keeps the shell alive as the JVM's parent, as a launcher script that does not exec would.
        ProcessBuilder command = new ProcessBuilder("sh", "-c",
                "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' '" + Sleeper.class.getName() + "'; true");
        AgentProcess agent = AgentProcess.start("sleeper", command, dir.resolve("out.txt"), Optional.empty());
        long jvm;
        try {
            jvm = agent.jvmPid(Duration.ofSeconds(20));
            awaitOutput(dir.resolve("out.txt"), "sleeper up");
            assertTrue(ProcessHandle.of(jvm).orElseThrow().info().command().orElseThrow().endsWith("java"));
            assertTrue(agent.isAlive());
        } finally {
            agent.stop(Duration.ofSeconds(10));
        }
        assertFalse(agent.isAlive());
        assertFalse(ProcessHandle.of(jvm).map(ProcessHandle::isAlive).orElse(false), "the JVM below the shell is gone too");
    }

    @Test
    void theStartedProcessIsTheJvmWhenItIsJava() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder command = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Sleeper.class.getName());
        try (AgentProcess agent = AgentProcess.start("sleeper", command, dir.resolve("out.txt"), Optional.empty())) {
            long pid = agent.jvmPid(Duration.ofSeconds(20));
            assertEquals(pid, ProcessHandle.of(pid).orElseThrow().pid());
            assertNotEquals(ProcessHandle.current().pid(), pid);
        }
    }

    @Test
    void anAgentThatExitsEarlyIsReportedWithItsOutput() throws IOException {
        Path log = dir.resolve("agent.log");
        Files.writeString(log, "ERROR the configuration is wrong\n");
        AgentProcess agent = AgentProcess.start("broken", new ProcessBuilder("sh", "-c", "echo starting; exit 3"),
                dir.resolve("out.txt"), Optional.of(log));
        IOException e = assertThrows(IOException.class, () -> agent.jvmPid(Duration.ofSeconds(10)));
        assertTrue(e.getMessage().startsWith("broken exited with 3"), e.getMessage());
        assertTrue(e.getMessage().contains("starting"), e.getMessage());
        assertTrue(e.getMessage().contains("ERROR the configuration is wrong"), e.getMessage());
    }
}

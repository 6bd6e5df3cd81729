package org.sluice.itests.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The built distribution as a careless operator runs it (issue 15): secrets of the configuration never land under
 * data/, data/ and logs/ are the agent user's alone, validate runs no command a file names, and a name chosen by
 * whoever can write a file cannot forge a line of the agent's log.
 */
class SecurityIT {
    private static final String PASSWORD = "pw-9f3a71c2-literal";
    private static final String FROM_FILTER = "pw-5be0d4aa-from-env";

    @Test
    void noSecretIsWrittenUnderDataAndDataAndLogsArePrivate() throws Exception {
        Installation sluice = Installation.fresh();
        int port = NetcatClient.freePort();
        Path output = Files.createDirectories(sluice.resolve("e2e-output"));
        Files.writeString(sluice.resolve("conf").resolve("secrets.properties"), String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.configfilters = f1",
                "a1.configfilters.f1.type = env",
                "a1.sources.r1.type = netcat",
                "a1.sources.r1.bind = 127.0.0.1",
                "a1.sources.r1.port = " + port,
                "a1.sources.r1.channels = c1",
                "a1.sources.r1.keystore-password = " + PASSWORD,
                "a1.channels.c1.type = memory",
                "a1.channels.c1.truststore-password = ${f1['E2E_SECRET']}",
                "a1.sinks.k1.type = file_roll",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.sink.directory = " + output,
                ""), StandardCharsets.UTF_8);
        List<String> lines = List.of("one", "two", "three");
        try (AgentProcess agent = AgentProcess.start(sluice, Map.of("E2E_SECRET", FROM_FILTER), "agent", "-c",
                "conf", "-f", "conf/secrets.properties", "-n", "a1")) {
            agent.awaitListening(port);
            new NetcatClient(port).sendAll(lines);
            // Running: the configurations are in Config Admin now. Nothing of them may be on disk.
            assertNoFileHolds(sluice.resolve("data"), PASSWORD, FROM_FILTER);
            for (String directory : List.of("data", "logs")) {
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                        sluice.resolve(directory))), directory);
            }
            assertEquals(0, agent.terminate(), () -> "exit code after SIGTERM");
        }
        assertNoFileHolds(sluice.resolve("data"), PASSWORD, FROM_FILTER);
        assertNoFileHolds(sluice.resolve("logs"), PASSWORD, FROM_FILTER);
        Path log = sluice.resolve("logs").resolve("sluice.log");
        assertTrue(Files.exists(log));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
    }

    @Test
    void validateRunsNoCommandUnlessAsked() throws Exception {
        Installation sluice = Installation.fresh();
        Path marker = sluice.resolve("the-helper-ran");
        Path helper = sluice.resolve("conf").resolve("secret-helper.sh");
        Files.writeString(helper, "#!/bin/sh\ntouch " + marker + "\necho from-the-helper\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(sluice.resolve("conf").resolve("filtered.properties"), String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.configfilters = f1",
                "a1.configfilters.f1.type = external",
                "a1.configfilters.f1.command = " + helper,
                "a1.sources.r1.type = seq",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.keystore-password = ${f1['password']}",
                ""), StandardCharsets.UTF_8);

        AgentProcess check = AgentProcess.run(sluice, "validate", "-f", "conf/filtered.properties", "-n", "a1");
        assertEquals(0, check.exitValue(), () -> outputOf(check));
        assertFalse(Files.exists(marker), "validate ran the external filter's command");
        assertTrue(check.output().contains("--resolve-filters"), check.output());

        AgentProcess resolved = AgentProcess.run(sluice, "validate", "-f", "conf/filtered.properties", "-n", "a1",
                "--resolve-filters");
        assertEquals(0, resolved.exitValue(), () -> outputOf(resolved));
        assertTrue(Files.exists(marker), "asked to, validate runs it");
    }

    @Test
    void aFileNameCannotForgeALogLineOrDriveTheTerminal() throws Exception {
        Installation sluice = Installation.fresh();
        Path spool = Files.createDirectories(sluice.resolve("e2e-spool"));
        Path output = Files.createDirectories(sluice.resolve("e2e-output"));
        Files.writeString(sluice.resolve("conf").resolve("spool.properties"), String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = spooldir",
                "a1.sources.r1.spoolDir = " + spool,
                "a1.sources.r1.channels = c1",
                // Flume's default includePattern (^.*$) skips a name with a line break; a user may widen it.
                "a1.sources.r1.includePattern = (?s).*",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = file_roll",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.sink.directory = " + output,
                ""), StandardCharsets.UTF_8);
        String forged = "2026-01-01T00:00:00,000 ERROR [main] forged - FORGED-LINE";
        // The spooling directory source logs the names of the files it reads and renames.
        Path staged = Files.writeString(sluice.resolve("staged.log"), "carried\n", StandardCharsets.UTF_8);
        try (AgentProcess agent = AgentProcess.start(sluice, "agent", "-c", "conf", "-f", "conf/spool.properties",
                "-n", "a1")) {
            Files.move(staged, spool.resolve("app.log\n" + forged + "\u001b[2J"), StandardCopyOption.ATOMIC_MOVE);
            await("the file's line in the output").atMost(Duration.ofSeconds(60))
                    .until(() -> DistributionIT.fileRollLines(output).contains("carried"));
            assertEquals(0, agent.terminate(), () -> "exit code after SIGTERM");
        }
        List<String> log = Files.readAllLines(sluice.resolve("logs").resolve("sluice.log"), StandardCharsets.UTF_8);
        assertTrue(log.stream().anyMatch(line -> line.contains("FORGED-LINE")), "the name is logged");
        assertEquals(List.of(), log.stream().filter(line -> line.startsWith(forged)).toList(),
                "a line of the log starts with what the file name carried");
        assertEquals(List.of(), log.stream().filter(line -> line.indexOf('\u001b') >= 0).toList(),
                "an escape character reached the log");
    }

    private static String outputOf(AgentProcess process) {
        try {
            return process.output();
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    private static void assertNoFileHolds(Path root, String... secrets) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    if (text.contains(secret)) {
                        found.add(file + " holds " + secret);
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

}

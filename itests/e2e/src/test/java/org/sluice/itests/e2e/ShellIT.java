package org.sluice.itests.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A daemon managed from its shell: {@code bin/sluice start}, then {@code bin/sluice shell} fed commands on its
 * input: stop and start a sink, list the plugins, show a configuration, tap the source while lines arrive; the
 * lines all reach the file_roll sink as they would without the tap.
 */
class ShellIT {

    /** {@code bin/sluice shell}, its input a pipe the test writes commands to, its output collected. */
    private static final class ShellSession implements AutoCloseable {
        private final Process process;
        private final OutputStream input;
        private final ByteArrayOutputStream said = new ByteArrayOutputStream();
        private final Thread reader;

        ShellSession(Installation sluice) throws IOException {
            process = new ProcessBuilder("bash", sluice.resolve("bin/sluice").toString(), "shell")
                    .directory(sluice.home().toFile()).redirectErrorStream(true).start();
            input = process.getOutputStream();
            InputStream output = process.getInputStream();
            reader = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try {
                    for (int n; (n = output.read(buffer)) >= 0;) {
                        synchronized (said) {
                            said.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            reader.start();
        }

        void send(String command) throws IOException {
            input.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            input.flush();
        }

        String said() {
            synchronized (said) {
                return said.toString(StandardCharsets.UTF_8);
            }
        }

        void awaitSaid(String text) {
            await("the shell to say " + text).atMost(Duration.ofSeconds(60)).until(() -> said().contains(text)
                    || !process.isAlive());
            assertTrue(said().contains(text), "the shell did not say " + text + ":\n" + said());
        }

        int endInput() throws IOException, InterruptedException {
            input.close();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the shell did not end with its input:\n" + said());
            reader.join(10_000);
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Test
    void aDaemonIsManagedThroughBinSluiceShell() throws Exception {
        Installation sluice = Installation.fresh();
        int port = NetcatClient.freePort();
        Path output = Files.createDirectories(sluice.resolve("shell-output"));
        Files.writeString(sluice.resolve("conf").resolve("shell.properties"), String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = netcat",
                "a1.sources.r1.bind = 127.0.0.1",
                "a1.sources.r1.port = " + port,
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = 1000",
                "a1.sinks.k1.type = file_roll",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.sink.directory = " + output,
                "a1.sinks.k1.sink.rollInterval = 0",
                ""), StandardCharsets.UTF_8);
        try (AgentProcess start = AgentProcess.run(sluice, "start", "-c", "conf", "-f", "conf/shell.properties",
                "-n", "a1")) {
            assertEquals(0, start.exitValue(), start.output());
        }
        try {
            Path token = sluice.resolve("data/shell.token");
            Path portFile = sluice.resolve("data/shell.port");
            await("the daemon's shell").atMost(Duration.ofSeconds(120)).until(() -> Files.exists(portFile)
                    && Files.exists(token));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(portFile)));
            NetcatClient client = new NetcatClient(port);
            // The agent runs: its source takes lines.
            client.sendAll(List.of("before"));

            try (ShellSession shell = new ShellSession(sluice)) {
                shell.send("sluice:stopcomponent k1");
                shell.awaitSaid("Stopped sink a1.k1");
                shell.send("sluice:components a1");
                shell.awaitSaid("STOPPED");
                shell.send("sluice:startcomponent k1");
                shell.awaitSaid("Started sink a1.k1");
                shell.send("sluice:plugins");
                shell.awaitSaid("org.sluice.source.netcat");
                shell.send("sluice:config c1");
                shell.awaitSaid("capacity = 1000");
                shell.send("sluice:tap r1 3 60");
                shell.awaitSaid("Tapping source a1.r1");
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    lines.add("line-" + i + (i == 0 ? "\u001b[31m" : ""));
                }
                client.sendAll(lines);
                shell.awaitSaid("Tap of source a1.r1 ended: 3 shown");
                assertEquals(0, shell.endInput(), shell.said());

                String said = shell.said();
                assertTrue(said.contains("body[11]=\"line-0\\x1b[31m\""), "the first line, escaped:\n" + said);
                assertFalse(said.contains("\u001b"), "nothing a client sent drives the terminal:\n" + said);
                assertTrue(said.contains("body[6]=\"line-2\""), said);
                assertFalse(said.contains("Token"), said);
            }
            // Delivery unchanged: every line reached the sink, once.
            await("every line in file_roll's output").atMost(Duration.ofSeconds(60))
                    .until(() -> rolled(output).size() >= 21);
            List<String> rolled = rolled(output);
            assertEquals(21, rolled.size(), rolled.toString());
            assertTrue(rolled.contains("before") && rolled.contains("line-19"), rolled.toString());
        } finally {
            try (AgentProcess stop = AgentProcess.run(sluice, "stop")) {
                assertEquals(0, stop.exitValue(), stop.output());
            }
        }
        assertFalse(Files.exists(sluice.resolve("data/shell.token")), "the token goes with the agent");
    }

    /** The same shell over SSH, reached with OpenSSH's own client and a key of conf/authorized_keys. */
    @Test
    void theShellOverSshTakesAnAuthorizedKeyOnly() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh")) && Files.isExecutable(
                Path.of("/usr/bin/ssh-keygen")), "OpenSSH's client (Debian's openssh-client) is not installed");
        Installation sluice = Installation.fresh();
        Path key = sluice.resolve("operator-key");
        Path otherKey = sluice.resolve("other-key");
        for (Path file : List.of(key, otherKey)) {
            Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", file.toString())
                    .redirectErrorStream(true).start();
            assertTrue(keygen.waitFor(30, TimeUnit.SECONDS) && keygen.exitValue() == 0);
        }
        Files.copy(Path.of(key + ".pub"), sluice.resolve("conf/authorized_keys"));
        int sshPort = NetcatClient.freePort();
        Files.writeString(sluice.resolve("conf").resolve("ssh.properties"), String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = netcat",
                "a1.sources.r1.bind = 127.0.0.1",
                "a1.sources.r1.port = " + NetcatClient.freePort(),
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.channel = c1",
                ""), StandardCharsets.UTF_8);
        try (AgentProcess start = AgentProcess.run(sluice, "start", "-c", "conf", "-f", "conf/ssh.properties", "-n",
                "a1", "-Dsluice.shell.ssh.port=" + sshPort)) {
            assertEquals(0, start.exitValue(), start.output());
        }
        try {
            await("the SSH shell").atMost(Duration.ofSeconds(120)).until(() -> sluice.logText()
                    .contains("SSH shell on 127.0.0.1:" + sshPort));
            String components = ssh(key, sshPort, "sluice:components");
            assertTrue(components.contains("AGENT") && components.contains("netcat"), components);
            String refused = ssh(otherKey, sshPort, "sluice:components");
            assertTrue(refused.contains("Permission denied"), refused);
        } finally {
            try (AgentProcess stop = AgentProcess.run(sluice, "stop")) {
                assertEquals(0, stop.exitValue(), stop.output());
            }
        }
    }

    private static String ssh(Path key, int port, String command) throws IOException, InterruptedException {
        Process ssh = new ProcessBuilder("ssh", "-p", Integer.toString(port), "-i", key.toString(), "-o",
                "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o",
                "IdentitiesOnly=yes", "-o", "PreferredAuthentications=publickey,password,keyboard-interactive",
                "operator@127.0.0.1", command).redirectErrorStream(true).start();
        ssh.getOutputStream().close();
        assertTrue(ssh.waitFor(60, TimeUnit.SECONDS), "ssh did not end");
        return new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static List<String> rolled(Path directory) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
        }
        return lines;
    }
}

package org.sluice.itests.e2e;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/sluice ...} run as a user runs it from a service manager: its own process, stdin from /dev/null
 * (no terminal), stdout and stderr to a file.
 */
final class AgentProcess implements AutoCloseable {

    private static final long STOP_TIMEOUT_SECONDS = 90;

    private final Process process;
    private final Path output;

    private AgentProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code bin/sluice} with these arguments in the installation. */
    static AgentProcess start(Installation installation, String... arguments) throws IOException {
        return start(installation, Map.of(), arguments);
    }

    /**
     * Starts {@code bin/sluice} with these arguments and these variables added to the test's environment, as a
     * user's service unit sets {@code HADOOP_CONF_DIR} or {@code JAVA_OPTS}; a variable mapped to null is removed,
     * so what the test's own environment holds cannot stand in for what the test means to prove.
     */
    static AgentProcess start(Installation installation, Map<String, String> environment, String... arguments)
            throws IOException {
        List<String> command = new ArrayList<>();
        // Through bash: an unpacked archive need not keep the script's execute bit for the test to run it.
        command.add("bash");
        command.add(installation.resolve("bin/sluice").toString());
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile(installation.home(), "console-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command);
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        Process process = builder
                .directory(installation.home().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new AgentProcess(process, output);
    }

    /** Runs {@code bin/sluice} to its end; returns its exit code, the output is in {@link #output()}. */
    static AgentProcess run(Installation installation, String... arguments) throws IOException, InterruptedException {
        AgentProcess run = start(installation, arguments);
        if (!run.process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            run.close();
            throw new AssertionError("bin/sluice " + String.join(" ", arguments) + " did not end within "
                    + STOP_TIMEOUT_SECONDS + " s; output:\n" + run.output());
        }
        return run;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** What the process wrote on stdout and stderr so far. */
    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** Waits until something listens on 127.0.0.1:{@code port}; fails early if the process ended. */
    void awaitListening(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("The agent ended with exit code " + process.exitValue()
                        + " before listening on port " + port + "; output:\n" + output());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Nothing listens on 127.0.0.1:" + port + " after 60 s; output:\n"
                            + output());
                }
                Thread.sleep(200);
            }
        }
    }

    /** Sends SIGHUP: bin/sluice agent execs the JVM, so this process is the agent's JVM. */
    void hangUp() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -HUP " + process.pid() + " failed");
        }
    }

    /** Sends SIGTERM (what {@code kill}, systemd and {@code bin/sluice stop} send) and waits for the exit code. */
    int terminate() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("The agent did not stop within " + STOP_TIMEOUT_SECONDS
                    + " s of SIGTERM; output:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL, as a crash or the OOM killer would: no shutdown hook, no drain, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("The agent did not die within 30 s of SIGKILL");
        }
    }

    /** Kills the process if a test left it running. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}

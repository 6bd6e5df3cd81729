package org.sluice.itests.e2e;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * {@code bin/sluice ...} run as a user runs it from a service manager: its own process, stdin from /dev/null
 * (no terminal), stdout and stderr to a file.
 */
final class AgentProcess implements AutoCloseable {

    private static final long STOP_TIMEOUT_SECONDS = 90;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final Process process;
    private final Path output;

    /**
     * A prefix that gives the agent SIGHUP's default handling, as a service manager does: a test run started under
     * nohup (or by a runner that ignores SIGHUP) would otherwise pass the ignored signal on, and the agent could not
     * reload on SIGHUP. Empty where coreutils' env lacks --default-signal (before 8.31).
     */
    private static final List<String> SIGHUP_AS_DEFAULT = sighupAsDefault();

    private static List<String> sighupAsDefault() {
        List<String> prefix = List.of("env", "--default-signal=HUP");
        List<String> probe = new ArrayList<>(prefix);
        probe.add("true");
        try {
            Process check = new ProcessBuilder(probe).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return check.waitFor(10, TimeUnit.SECONDS) && check.exitValue() == 0 ? prefix : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

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
        return start(installation, "bin/sluice", environment, null, arguments);
    }

    /** Starts a script of the installation ({@code bin/flume-ng}) with these arguments and variables. */
    static AgentProcess startScript(Installation installation, Map<String, String> environment, String script,
            String... arguments) throws IOException {
        return start(installation, script, environment, null, arguments);
    }

    /**
     * Starts {@code script} ({@code bin/sluice} or {@code bin/flume-ng}) with these arguments and variables, its
     * standard input read from {@code input} (null: nothing, as a service has).
     */
    static AgentProcess start(Installation installation, String script, Map<String, String> environment, Path input,
            String... arguments) throws IOException {
        List<String> command = new ArrayList<>(SIGHUP_AS_DEFAULT);
        // Through bash: an unpacked archive need not keep the script's execute bit for the test to run it.
        command.add("bash");
        command.add(installation.resolve(script).toString());
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
                .redirectInput(ProcessBuilder.Redirect.from(input == null ? new File("/dev/null") : input.toFile()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new AgentProcess(process, output);
    }

    /** Runs {@code bin/sluice} to its end; returns its exit code, the output is in {@link #output()}. */
    static AgentProcess run(Installation installation, String... arguments) throws IOException, InterruptedException {
        return runScript(installation, "bin/sluice", null, arguments);
    }

    /** Runs {@code script} to its end, its standard input read from {@code input} (null: nothing). */
    static AgentProcess runScript(Installation installation, String script, Path input, String... arguments)
            throws IOException, InterruptedException {
        AgentProcess run = start(installation, script, Map.of(), input, arguments);
        if (!run.process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            run.close();
            throw new AssertionError(script + " " + String.join(" ", arguments) + " did not end within "
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

    /** What the process wrote so far, for an assertion's message: never fails. */
    String outputOrWhy() {
        try {
            return output();
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /** What the process wrote on stdout and stderr so far. */
    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** The output, for an assertion's message (which cannot throw). */
    String outputOrReason() {
        try {
            return output();
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /** Waits until something listens on 127.0.0.1:{@code port}; fails early if the process ended. */
    void awaitListening(int port) throws IOException {
        await("something to listen on 127.0.0.1:" + port, Duration.ofSeconds(60), () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    /** Waits until {@code condition} holds; fails at once if the process ends, or after {@code timeout}. */
    void await(String what, Duration timeout, Callable<Boolean> condition) throws IOException {
        await(what, timeout, condition, Boolean::booleanValue);
    }

    /**
     * Waits, with Awaitility, until {@code done} accepts a value of {@code probe}, and returns that value; fails at
     * once if the process ends, or after {@code timeout} naming the last value seen, either way with the output.
     */
    <T> T await(String what, Duration timeout, Callable<T> probe, Predicate<? super T> done) throws IOException {
        try {
            return Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL)
                    .failFast("the process ended", () -> !process.isAlive())
                    .until(probe, done);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + (process.isAlive() ? "" : " (exit code " + process.exitValue()
                    + ")") + "; output:\n" + output(), e);
        }
    }

    /**
     * Waits, with Awaitility, polling every {@code pollInterval}, until {@code condition} holds while every one of
     * {@code agents} runs; fails at once if one ends, or after {@code timeout}, either way with the end of each agent's
     * output.
     */
    static void awaitWhileAllRun(String what, Duration timeout, Duration pollInterval, List<AgentProcess> agents,
            Callable<Boolean> condition) throws IOException {
        try {
            Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(pollInterval)
                    .failFast("an agent ended", () -> agents.stream().anyMatch(agent -> !agent.isAlive()))
                    .until(condition);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            StringBuilder outputs = new StringBuilder(e.getMessage());
            for (AgentProcess agent : agents) {
                String output = agent.output();
                outputs.append("\n--- agent output").append(agent.isAlive() ? "" : " (ended)").append(" ---\n")
                        .append(output.length() > 6000 ? output.substring(output.length() - 6000) : output);
            }
            throw new AssertionError(outputs.toString(), e);
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

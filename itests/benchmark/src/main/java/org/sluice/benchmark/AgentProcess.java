package org.sluice.benchmark;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * An agent started for one run, with everything it starts in turn. Closing it stops the whole process tree: first
 * politely (SIGTERM, so the agent runs its shutdown hook), then by force. A JVM shutdown hook does the same for
 * agents still running when the harness itself is stopped, so that no agent outlives the harness.
 */
final class AgentProcess implements AutoCloseable {

    private static final Set<AgentProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AgentProcess agent : RUNNING) {
                agent.killNow();
            }
        }, "benchmark-agent-reaper"));
    }

    private final String description;
    private final Process process;
    private final Path output;
    private final Optional<Path> log;
    private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
    private final long startNanos;

    private AgentProcess(String description, Process process, Path output, Optional<Path> log, long startNanos) {
        this.description = description;
        this.startNanos = startNanos;
        this.process = process;
        this.output = output;
        this.log = log;
        seen.add(process.toHandle());
    }

    /**
     * Starts the command with its output and errors going to {@code output}.
     *
     * @param log the agent's own log file, if it writes one, quoted with its output when something goes wrong
     */
    static AgentProcess start(String description, ProcessBuilder command, Path output, Optional<Path> log) throws IOException {
        command.redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        long startNanos = System.nanoTime();
        Process process = command.start();
        AgentProcess agent = new AgentProcess(description, process, output, log, startNanos);
        RUNNING.add(agent);
        return agent;
    }

    /** {@link System#nanoTime()} just before the process was started: where its start-up time counts from. */
    long startNanos() {
        return startNanos;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The agent's JVM: the started process when it is java itself (Flume), else the one java process below it (a
     * launcher script that does not exec). Waits for it to appear.
     */
    long jvmPid(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<ProcessHandle> jvm = findJvm();
            if (jvm.isPresent()) {
                return jvm.get().pid();
            }
            if (!process.isAlive()) {
                throw new IOException(description + " exited with " + process.exitValue() + " before its JVM was found\n" + logTail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(description + ": no java process in its process tree after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    private Optional<ProcessHandle> findJvm() throws IOException {
        ProcessHandle root = process.toHandle();
        if (isJava(root)) {
            return Optional.of(root);
        }
        root.descendants().forEach(seen::add);
        List<ProcessHandle> jvms = root.descendants().filter(AgentProcess::isJava).toList();
        if (jvms.size() > 1) {
            throw new IOException(description + " started more than one JVM: "
                    + jvms.stream().map(h -> Long.toString(h.pid())).collect(Collectors.joining(", ")));
        }
        return jvms.stream().findFirst();
    }

    private static boolean isJava(ProcessHandle handle) {
        return handle.info().command().map(c -> Path.of(c).getFileName().toString().equals("java")).orElse(false);
    }

    /** The last lines of the agent's output and log, for error messages. */
    String logTail(int lines) {
        StringBuilder tail = new StringBuilder(tail(output, lines));
        log.ifPresent(file -> tail.append('\n').append(tail(file, lines)));
        return tail.toString();
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return "--- last lines of " + file + " ---\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /**
     * Stops the agent and everything it started: SIGTERM to the whole tree, then SIGKILL to what is still there
     * after {@code grace}.
     *
     * @throws IllegalStateException when a process of the tree survives SIGKILL
     */
    void stop(Duration grace) throws InterruptedException {
        List<ProcessHandle> tree = snapshotTree();
        // Children first: once the parent is gone they are re-parented and no longer found below it.
        for (int i = tree.size() - 1; i >= 0; i--) {
            tree.get(i).destroy();
        }
        if (!awaitExit(tree, grace)) {
            tree.forEach(ProcessHandle::destroyForcibly);
            if (!awaitExit(tree, Duration.ofSeconds(10))) {
                throw new IllegalStateException(description + ": processes still running after SIGKILL: "
                        + tree.stream().filter(ProcessHandle::isAlive).map(h -> Long.toString(h.pid())).collect(Collectors.joining(", ")));
            }
        }
        RUNNING.remove(this);
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(15));
    }

    private List<ProcessHandle> snapshotTree() {
        ProcessHandle root = process.toHandle();
        root.descendants().forEach(seen::add);
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        seen.stream().filter(h -> !h.equals(root)).forEach(tree::add);
        return tree;
    }

    private void killNow() {
        snapshotTree().forEach(ProcessHandle::destroyForcibly);
    }

    private static boolean awaitExit(List<ProcessHandle> handles, Duration timeout) throws InterruptedException {
        CompletableFuture<?>[] exits = handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Waiting for agent processes to exit failed", e.getCause());
        }
    }
}

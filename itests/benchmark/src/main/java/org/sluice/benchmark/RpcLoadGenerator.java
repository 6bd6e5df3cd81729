package org.sluice.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs {@link org.sluice.benchmark.rpcload.FlumeRpcLoad}, Flume's SDK client, as a child JVM on Flume's class path
 * and reads its counts. Its CPU time is reported with the harness's, since it competes with the agent the same way.
 */
final class RpcLoadGenerator implements LoadGenerator {
    private static final String MAIN = "org.sluice.benchmark.rpcload.FlumeRpcLoad";

    private final Scenario.RpcLoad load;
    private final Path java;
    private final String classPath;
    private final Path log;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> lastLine = new AtomicReference<>("");
    private Process process;
    private Thread reader;

    RpcLoadGenerator(Scenario.RpcLoad load, Path java, String classPath, Path log) {
        this.load = load;
        this.java = java;
        this.classPath = classPath;
        this.log = log;
    }

    @Override
    public void start(Duration connectTimeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx512m", "-cp", classPath, MAIN,
                load.client(), load.target().getHostString(), Integer.toString(load.target().getPort()),
                Integer.toString(load.connections()), Integer.toString(load.batchSize()),
                Integer.toString(load.eventBytes())));
        process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        reader = new Thread(this::readCounts, "rpc-load-reader");
        reader.setDaemon(true);
        reader.start();
        // Connected once the first batch is acknowledged.
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        while (acked.get() == 0) {
            check();
            if (System.nanoTime() > deadline) {
                throw new IOException("Flume's " + load.client() + " client got no batch acknowledged by "
                        + load.target() + " within " + connectTimeout.toSeconds() + " s (last: " + lastLine.get() + ")");
            }
            Thread.sleep(100);
        }
    }

    private void readCounts() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                lastLine.set(line);
                String[] words = line.trim().split("\\s+");
                if (words.length == 4 && words[0].equals("acked") && words[2].equals("failed")) {
                    acked.set(Long.parseLong(words[1]));
                    failed.set(Long.parseLong(words[3]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            lastLine.set("unreadable output: " + e);
        }
    }

    @Override
    public void check() throws IOException {
        if (process != null && !process.isAlive()) {
            throw new IOException("Flume's " + load.client() + " client exited with " + process.exitValue()
                    + "; see " + log);
        }
    }

    /** Batches the agent failed (the client counts per call). */
    @Override
    public long rejected() {
        return failed.get();
    }

    @Override
    public OptionalLong processId() {
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process == null) {
            return;
        }
        // The end of its stdin tells it to stop; SIGKILL if it does not.
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.flush();
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(5_000);
    }
}

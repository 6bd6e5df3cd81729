package org.sluice.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The MiniDFSCluster the hdfs:// scenarios write to, running as {@link org.sluice.benchmark.minidfs.MiniDfsServer}
 * in a JVM of its own (its CPU is neither the agent's nor the harness's), started once for a benchmark run and
 * stopped at its end. It also writes the Hadoop configuration directory the agents are given for those scenarios:
 * a core-site.xml naming the cluster and an hdfs-site.xml with one replica, what a user of a one-DataNode cluster
 * has. Without it, both agents' Hadoop clients would ask for three replicas, and Flume's HDFS sink, which rolls a
 * file whose block has fewer replicas than asked for, would roll after every batch.
 */
final class MiniDfs implements AutoCloseable {
    private static final String MAIN = "org.sluice.benchmark.minidfs.MiniDfsServer";
    private static final String PREFIX = "minidfs: ";
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers;
    private final Path log;
    private final String uri;
    private final Path hadoopConfDir;

    private MiniDfs(Process process, BlockingQueue<String> answers, Path log, String uri, Path hadoopConfDir) {
        this.process = process;
        this.answers = answers;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.log = log;
        this.uri = uri;
        this.hadoopConfDir = hadoopConfDir;
    }

    /**
     * Starts the cluster, with its storage, log and the agents' Hadoop configuration below {@code dir}, and waits
     * until it serves.
     *
     * @param classPath the harness jar and target/minidfs.classpath
     */
    static MiniDfs start(Path java, String classPath, Path dir, Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path log = dir.resolve("minidfs.log");
        Path log4j = dir.resolve("minidfs-log4j2.xml");
        Files.writeString(log4j, """
                <?xml version="1.0" encoding="UTF-8"?>
                <Configuration status="warn">
                  <Appenders>
                    <File name="file" fileName="%s">
                      <PatternLayout pattern="%%d{ISO8601} %%-5p [%%t] %%c - %%m%%n"/>
                    </File>
                  </Appenders>
                  <Loggers>
                    <Root level="warn"><AppenderRef ref="file"/></Root>
                  </Loggers>
                </Configuration>
                """.formatted(dir.resolve("minidfs-hadoop.log")), StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx1g", "-Dlog4j.configurationFile=" + log4j,
                "-cp", classPath, MAIN, dir.resolve("storage").toString()))
                .redirectError(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "benchmark-minidfs-reaper"));
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(16);
        Thread reader = new Thread(() -> readAnswers(process, lines), "minidfs-reader");
        reader.setDaemon(true);
        reader.start();
        String ready = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (ready == null || !ready.startsWith("ready hdfs://")) {
            process.destroyForcibly();
            throw new IOException("The MiniDFSCluster did not start within " + timeout.toSeconds() + " s ("
                    + (ready == null ? (process.isAlive() ? "no answer" : "it exited") : ready) + "); see " + log);
        }
        String uri = ready.substring("ready ".length()).trim();
        Path conf = Files.createDirectories(dir.resolve("hadoop-conf"));
        Files.writeString(conf.resolve("core-site.xml"), siteXml("fs.defaultFS", uri), StandardCharsets.UTF_8);
        Files.writeString(conf.resolve("hdfs-site.xml"), siteXml("dfs.replication", "1"), StandardCharsets.UTF_8);
        return new MiniDfs(process, lines, log, uri, conf);
    }

    private static void readAnswers(Process process, BlockingQueue<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(PREFIX)) {
                    lines.put(line.substring(PREFIX.length()));
                }
            }
        } catch (IOException e) {
            // The process is gone; a command waiting for its answer times out and says so.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String siteXml(String name, String value) {
        return """
                <?xml version="1.0"?>
                <configuration>
                  <property><name>%s</name><value>%s</value></property>
                </configuration>
                """.formatted(name, value);
    }

    /** The cluster's JVM, whose CPU time is the HDFS side of the agents' writes. */
    long pid() {
        return process.pid();
    }

    /** The cluster's address, e.g. {@code hdfs://127.0.0.1:40123}. */
    String uri() {
        return uri;
    }

    /** A Hadoop configuration directory for this cluster: Flume's class path entry, Sluice's HADOOP_CONF_DIR. */
    Path hadoopConfDir() {
        return hadoopConfDir;
    }

    /** The bytes of the files below {@code path} (an absolute path in the cluster, or a URI of it). */
    long size(String path) throws IOException, InterruptedException {
        String answer = call("size " + path);
        if (!answer.startsWith("size ")) {
            throw new IOException("MiniDFSCluster: size " + path + ": " + answer);
        }
        return Long.parseLong(answer.substring("size ".length()).trim());
    }

    /** Removes {@code path} and everything below it. */
    void delete(String path) throws IOException, InterruptedException {
        String answer = call("delete " + path);
        if (!answer.startsWith("deleted ")) {
            throw new IOException("MiniDFSCluster: delete " + path + ": " + answer);
        }
    }

    private synchronized String call(String command) throws IOException, InterruptedException {
        if (!process.isAlive()) {
            throw new IOException("The MiniDFSCluster exited with " + process.exitValue() + "; see " + log);
        }
        commands.write(command + "\n");
        commands.flush();
        String answer = answers.poll(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (answer == null) {
            throw new IOException("The MiniDFSCluster gave no answer to '" + command + "' within "
                    + ANSWER_TIMEOUT.toSeconds() + " s; see " + log);
        }
        return answer;
    }

    /** Shuts the cluster down (the end of its stdin), by force if it takes more than 30 s. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            commands.close();
        } catch (IOException e) {
            // Already gone: nothing left to tell it.
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The MiniDFSCluster (pid " + process.pid() + ") survived SIGKILL");
            }
        }
    }
}

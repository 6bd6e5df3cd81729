package org.sluice.flumestate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM running Apache Flume 1.11.0 code, on Flume's class path as Maven Central resolves it (this module's
 * {@code flume-state.classpath}, or another module's with other Flume components) plus this module's own classes: Flume's agent ({@code org.apache.flume.node.Application})
 * or one of this module's scripts that drive a Flume component step by step. Its standard output is read line by
 * line ({@link #awaitLine}); Flume's log goes to {@code flume.log} in its working directory.
 */
public final class FlumeJvm implements AutoCloseable {
    /** Flume's agent, as {@code flume-ng agent} runs it. */
    public static final String AGENT = "org.apache.flume.node.Application";
    /** Drives Flume's file channel: {@code org.apache.flume.channel.file.FileChannelScript}. */
    public static final String FILE_CHANNEL_SCRIPT = "org.apache.flume.channel.file.FileChannelScript";
    /** Drives Flume's jdbc channel: {@link JdbcChannelScript}. */
    public static final String JDBC_CHANNEL_SCRIPT = "org.sluice.flumestate.JdbcChannelScript";
    /** Drives Flume's spillable memory channel: {@link SpillableChannelScript}. */
    public static final String SPILLABLE_CHANNEL_SCRIPT = "org.sluice.flumestate.SpillableChannelScript";

    private final Path dir;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();

    private FlumeJvm(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(output unreadable: " + e + ")");
            }
        }, "flume-jvm-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code mainClass} with {@code args} in {@code dir} (its working directory, created if needed). Flume's
     * {@code user.home} is {@code dir} too, so whatever Flume writes to its defaults stays there.
     */
    public static FlumeJvm start(Path dir, String mainClass, String... args) throws IOException {
        return start(dir, List.of(), mainClass, args);
    }

    /** As {@link #start(Path, String, String...)}, with more JVM options (Flume's {@code -Dflume.monitoring.*}). */
    public static FlumeJvm start(Path dir, List<String> jvmOptions, String mainClass, String... args)
            throws IOException {
        return start(classPath("flume-state.classpath"), dir, jvmOptions, mainClass, args);
    }

    /**
     * As {@link #start(Path, List, String, String...)}, on the Flume class path in {@code classPathResource}, a
     * resource beside {@code owner} that its module's build wrote (Flume with other components: flume-kafka-peer's).
     */
    public static FlumeJvm start(Class<?> owner, String classPathResource, Path dir, List<String> jvmOptions,
            String mainClass, String... args) throws IOException {
        return start(classPath(owner, classPathResource), dir, jvmOptions, mainClass, args);
    }

    private static FlumeJvm start(String classPath, Path dir, List<String> jvmOptions, String mainClass,
            String... args) throws IOException {
        Files.createDirectories(dir);
        Path log4j = dir.resolve("flume-log4j2.properties");
        Files.writeString(log4j, String.join("\n",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = " + dir.resolve("flume.log"),
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{HH:mm:ss.SSS} %-5p [%t] %c - %m%n",
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = warn",
                "rootLogger.level = info",
                "rootLogger.appenderRef.file.ref = file", ""), StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Duser.home=" + dir, "-Dlog4j.configurationFile=" + log4j));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, mainClass));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "flume-jvm-reaper"));
        return new FlumeJvm(dir, process);
    }

    /**
     * The next line of output that starts with {@code prefix}, the lines before it kept for {@link #output}; fails
     * after {@code seconds}, or if the JVM exits first.
     */
    public String awaitLine(String prefix, long seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                output.add(line);
                if (line.startsWith(prefix)) {
                    return line;
                }
            } else if (!process.isAlive() && lines.isEmpty()) {
                throw new IOException("Flume's JVM exited (" + process.exitValue() + ") before printing " + prefix
                        + ":\n" + String.join("\n", output) + "\n" + log());
            } else if (System.nanoTime() > deadline) {
                throw new IOException("Flume's JVM printed no " + prefix + " in " + seconds + " s:\n"
                        + String.join("\n", output) + "\n" + log());
            }
        }
    }

    /**
     * Starts Flume's agent {@code name} on {@code properties} (written to {@code dir/flume.properties}) as
     * {@code flume-ng agent -n NAME -f FILE --no-reload-conf} does, with Flume's JSON metrics served on
     * {@code metricsPort} ({@code -Dflume.monitoring.type=http}).
     */
    public static FlumeJvm agent(Path dir, String name, String properties, int metricsPort) throws IOException {
        return start(dir, List.of("-Dflume.monitoring.type=http", "-Dflume.monitoring.port=" + metricsPort), AGENT,
                agentArguments(dir, name, properties));
    }

    /** As {@link #agent(Path, String, String, int)} without metrics, on another module's Flume class path. */
    public static FlumeJvm agent(Class<?> owner, String classPathResource, Path dir, String name, String properties)
            throws IOException {
        return start(owner, classPathResource, dir, List.of(), AGENT, agentArguments(dir, name, properties));
    }

    private static String[] agentArguments(Path dir, String name, String properties) throws IOException {
        Files.createDirectories(dir);
        Path conf = dir.resolve("flume.properties");
        Files.writeString(conf, properties, StandardCharsets.UTF_8);
        return new String[] {"-n", name, "-f", conf.toString(), "--no-reload-conf"};
    }

    /**
     * One of Flume's counters, {@code component} ({@code SOURCE.r1}, {@code CHANNEL.c1}) then {@code counter}, read
     * from the JSON an agent started by {@link #agent} serves (or any agent serving Flume's HTTP metrics, Sluice's
     * too); -1 while it serves none yet.
     */
    public static long metric(int metricsPort, String component, String counter) throws InterruptedException {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            // Flume renders every counter as a string; white space and bare numbers are accepted all the same.
            Matcher matcher = Pattern.compile("\"" + Pattern.quote(component) + "\"\\s*:\\s*\\{[^}]*\""
                    + Pattern.quote(counter) + "\"\\s*:\\s*\"?(-?\\d+)").matcher(response.body());
            return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Every line printed so far that {@link #awaitLine} went through. */
    public List<String> output() {
        return List.copyOf(output);
    }

    /** Flume's log, to show when something fails. */
    public String log() {
        try {
            Path log = dir.resolve("flume.log");
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no flume.log)";
            return text.length() > 20_000 ? "..." + text.substring(text.length() - 20_000) : text;
        } catch (IOException e) {
            return "(flume.log unreadable: " + e + ")";
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: Flume gets no chance to checkpoint, close or release anything, as in a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as an operator stops Flume: its shutdown hook stops the components. Waits until it has exited. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** Waits for the JVM to exit by itself; returns its exit status. */
    public int waitFor(long seconds) throws InterruptedException, IOException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IOException("Flume's JVM did not exit within " + seconds + " s:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private static String classPath(String resource) throws IOException {
        return classPath(FlumeJvm.class, resource);
    }

    private static String classPath(Class<?> owner, String resource) throws IOException {
        String flume;
        try (var in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing beside " + owner.getName()
                        + ": build its module with Maven");
            }
            flume = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        try {
            // This module's own classes (the scripts), from its jar or its build directory.
            Path own = Path.of(FlumeJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return own + java.io.File.pathSeparator + flume;
        } catch (URISyntaxException e) {
            throw new IOException("cannot tell where " + FlumeJvm.class.getName() + " was loaded from", e);
        }
    }
}

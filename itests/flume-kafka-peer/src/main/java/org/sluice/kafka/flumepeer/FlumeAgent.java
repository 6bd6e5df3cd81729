package org.sluice.kafka.flumepeer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An Apache Flume 1.11.0 agent with Flume's own Kafka components, run as Flume's {@code flume-ng agent} runs it
 * ({@code org.apache.flume.node.Application -n NAME -f FILE --no-reload-conf}) in a child JVM on the class path this
 * module's build resolved from Maven Central. Its log goes to {@code flume.log} in its directory.
 */
public final class FlumeAgent implements AutoCloseable {
    private final Path dir;
    private final Process process;

    private FlumeAgent(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /**
     * Writes {@code properties} to {@code dir/flume.properties} and starts agent {@code name} on it. Returns at once:
     * Flume has no signal for "started"; wait for what its components do.
     */
    public static FlumeAgent start(Path dir, String name, String properties) throws IOException {
        Files.createDirectories(dir);
        Path conf = dir.resolve("flume.properties");
        Files.writeString(conf, properties, StandardCharsets.UTF_8);
        Path log4j = dir.resolve("flume-log4j2.xml");
        Files.writeString(log4j, """
                <?xml version="1.0" encoding="UTF-8"?>
                <Configuration status="warn">
                  <Appenders>
                    <File name="file" fileName="%s" append="true">
                      <PatternLayout pattern="%%d{ISO8601} %%-5p [%%t] %%c - %%m%%n"/>
                    </File>
                  </Appenders>
                  <Loggers>
                    <Logger name="org.apache.kafka" level="warn"/>
                    <Root level="info"><AppenderRef ref="file"/></Root>
                  </Loggers>
                </Configuration>
                """.formatted(dir.resolve("flume.log")), StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlog4j.configurationFile=" + log4j, "-cp", classPath(), "org.apache.flume.node.Application",
                "-n", name, "-f", conf.toString(), "--no-reload-conf"));
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("flume.out").toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "flume-agent-reaper"));
        return new FlumeAgent(dir, process);
    }

    /** Flume's log, to show when an assertion fails. */
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

    /** SIGTERM, as an operator stops Flume: its shutdown hook stops the components; waits until it has exited. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static String classPath() throws IOException {
        try (var in = FlumeAgent.class.getResourceAsStream("flume-kafka.classpath")) {
            if (in == null) {
                throw new IOException("flume-kafka.classpath is missing beside " + FlumeAgent.class.getName()
                        + ": build itests/flume-kafka-peer with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }
}

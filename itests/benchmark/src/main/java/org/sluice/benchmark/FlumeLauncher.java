package org.sluice.benchmark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts Apache Flume as its {@code flume-ng agent} script does, without the script: {@code java -Xmx..
 * -cp <Flume's jars> org.apache.flume.node.Application -n NAME -f FILE --no-reload-conf}, logging to a file at
 * INFO as Flume's default conf/log4j2.xml does. A Hadoop configuration directory goes first on the class path,
 * where flume-ng puts it (from {@code hadoop classpath}, whose first entry it is) and where Hadoop's client looks
 * for core-site.xml and hdfs-site.xml.
 */
final class FlumeLauncher implements AgentLauncher {

    private final String name;
    private final Path java;
    private final String classPath;

    /**
     * @param name      the report's name for it, e.g. {@code Flume 1.11.0}
     * @param java      the java executable (the same one Sluice gets)
     * @param classPath Flume's class path, as maven-dependency-plugin's build-classpath wrote it
     */
    FlumeLauncher(String name, Path java, String classPath) {
        this.name = name;
        this.java = java;
        this.classPath = classPath.trim();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<Path> logFile(Path runDir) {
        return Optional.of(runDir.resolve("flume.log"));
    }

    @Override
    public ProcessBuilder command(Path configuration, String agentName, int monitoringPort, String maxHeap, Path runDir,
                                  Optional<Path> hadoopConfDir) {
        Path log4j = runDir.resolve("flume-log4j2.xml");
        try {
            Files.writeString(log4j, log4jConfiguration(logFile(runDir).orElseThrow()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + log4j, e);
        }
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-Xmx" + maxHeap);
        command.addAll(List.of(AgentLauncher.monitoringProperties(monitoringPort)));
        command.add("-Dlog4j.configurationFile=" + log4j);
        command.add("-cp");
        command.add(hadoopConfDir.map(dir -> dir + File.pathSeparator + classPath).orElse(classPath));
        command.add("org.apache.flume.node.Application");
        command.addAll(List.of("-n", agentName, "-f", configuration.toString(), "--no-reload-conf"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(runDir.toFile());
        // Flume's Java reads neither, but its class path above is the whole of its Hadoop configuration: keep it so.
        builder.environment().remove("HADOOP_CONF_DIR");
        builder.environment().remove("HADOOP_HOME");
        return builder;
    }

    private static String log4jConfiguration(Path logFile) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Configuration status="warn">
                  <Appenders>
                    <File name="file" fileName="%s">
                      <PatternLayout pattern="%%d{ISO8601} %%-5p [%%t] %%c - %%m%%n"/>
                    </File>
                  </Appenders>
                  <Loggers>
                    <Root level="info"><AppenderRef ref="file"/></Root>
                  </Loggers>
                </Configuration>
                """.formatted(logFile);
    }
}

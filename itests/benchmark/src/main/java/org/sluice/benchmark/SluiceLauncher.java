package org.sluice.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts Sluice from its distribution as a user would: {@code bin/sluice agent -n NAME -f FILE} with flume-ng's
 * pass-through options ({@code -Xmx..}, {@code -D..}) and the harness's JDK as JAVA_HOME.
 */
final class SluiceLauncher implements AgentLauncher {

    private final Path home;
    private final Path javaHome;

    /**
     * @param home     the unpacked distribution, e.g. distribution/target/sluice-0.1.0-SNAPSHOT
     * @param javaHome the JDK both agents run on
     */
    SluiceLauncher(Path home, Path javaHome) {
        Path script = home.resolve("bin/sluice");
        if (!Files.isExecutable(script)) {
            throw new IllegalArgumentException(script + " is not there or not executable: build the distribution"
                    + " (mvn -pl distribution -am package -DskipTests) or pass --sluice-home");
        }
        this.home = home;
        this.javaHome = javaHome;
    }

    @Override
    public String name() {
        return "Sluice";
    }

    @Override
    public Optional<Path> logFile(Path runDir) {
        return Optional.of(runDir.resolve("sluice.log"));
    }

    @Override
    public ProcessBuilder command(Path configuration, String agentName, int monitoringPort, String maxHeap, Path runDir,
                                  Optional<Path> hadoopConfDir) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/sluice").toString());
        // As Flume is run: the file read once, no interactive shell (stdin is /dev/null).
        command.addAll(List.of("agent", "-n", agentName, "-f", configuration.toString(), "--no-reload-conf", "--no-shell"));
        command.add("-Xmx" + maxHeap);
        command.addAll(List.of(AgentLauncher.monitoringProperties(monitoringPort)));
        // Log to the run's sluice.log only, as Flume logs to its file only.
        command.add("-Dsluice.log.console.level=OFF");
        ProcessBuilder builder = new ProcessBuilder(command).directory(runDir.toFile());
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("SLUICE_LOG_DIR", runDir.toString());
        // The benchmark sets the heap; an inherited JAVA_OPTS would make the two agents differ.
        builder.environment().remove("JAVA_OPTS");
        // Sluice's hdfs sink finds Hadoop's configuration through HADOOP_CONF_DIR (or HADOOP_HOME); Flume gets the
        // same directory on its class path, and neither gets the harness's own.
        builder.environment().remove("HADOOP_HOME");
        builder.environment().remove("HADOOP_CONF_DIR");
        hadoopConfDir.ifPresent(dir -> builder.environment().put("HADOOP_CONF_DIR", dir.toString()));
        return builder;
    }
}

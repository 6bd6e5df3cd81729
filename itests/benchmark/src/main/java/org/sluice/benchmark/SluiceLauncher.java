package org.sluice.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    public ProcessBuilder command(Path configuration, String agentName, int monitoringPort, String maxHeap, Path runDir) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/sluice").toString());
        command.addAll(List.of("agent", "-n", agentName, "-f", configuration.toString()));
        command.add("-Xmx" + maxHeap);
        command.addAll(List.of(AgentLauncher.monitoringProperties(monitoringPort)));
        ProcessBuilder builder = new ProcessBuilder(command).directory(runDir.toFile());
        builder.environment().put("JAVA_HOME", javaHome.toString());
        // The benchmark sets the heap; an inherited JAVA_OPTS would make the two agents differ.
        builder.environment().remove("JAVA_OPTS");
        return builder;
    }
}

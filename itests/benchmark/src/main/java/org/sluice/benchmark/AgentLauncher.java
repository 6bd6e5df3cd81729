package org.sluice.benchmark;

import java.nio.file.Path;
import java.util.Optional;

/** How to start one kind of agent (Flume, Sluice) as its own process for a run. */
interface AgentLauncher {

    /** The name in the report, e.g. {@code Flume 1.11.0}. */
    String name();

    /**
     * The command for one run. Both kinds get the same heap and the same Flume monitoring switches, so that the
     * harness reads the same JSON counters from either.
     *
     * @param configuration  the agent's properties file
     * @param agentName      the agent in it ({@code -n})
     * @param monitoringPort the port of the HTTP JSON metrics
     * @param maxHeap        the JVM's -Xmx value, e.g. {@code 1g}
     * @param runDir         the run's own directory, the process's working directory
     * @param hadoopConfDir  the Hadoop configuration directory the agent is to find (core-site.xml, hdfs-site.xml),
     *                       as a user's agent finds their cluster's; empty: none, whatever the harness's environment
     *                       says, so that both agents see the same Hadoop configuration
     */
    ProcessBuilder command(Path configuration, String agentName, int monitoringPort, String maxHeap, Path runDir,
                           Optional<Path> hadoopConfDir);

    /**
     * The agent's own log file in a run, if it writes one apart from its output; quoted when a run fails.
     */
    default Optional<Path> logFile(Path runDir) {
        return Optional.empty();
    }

    /** The monitoring switches both Flume and Sluice read, {@code -D} style. */
    static String[] monitoringProperties(int port) {
        return new String[] {
            "-Dflume.monitoring.type=http",
            "-Dflume.monitoring.port=" + port,
            // Sluice only: keep its metrics on loopback. Flume has no such property and ignores it.
            "-Dflume.monitoring.bind=127.0.0.1",
        };
    }
}

package org.sluice.benchmark;

/**
 * What one agent did in one scenario's measurement window.
 *
 * @param scenario       the scenario's name
 * @param agent          the agent's name, e.g. {@code Flume 1.11.0}
 * @param round          1-based
 * @param events         growth of the scenario's counter over the window
 * @param windowSeconds  the window's measured length
 * @param agentCpuSeconds the agent JVM's user + system CPU seconds over the window
 * @param peakRssBytes   the agent JVM's peak resident set size over its whole life (VmHWM)
 * @param harnessCpuSeconds the harness's own CPU seconds over the window (the load generator, when there is one)
 * @param rejected       lines the netcat source answered with something else than "OK" in the window; 0 without load
 * @param clusterCpuSeconds the server's JVM (MiniDFSCluster or Kafka broker) CPU seconds over the window (NameNode and DataNode: the HDFS
 *                       side of the agent's writes); 0 for a scenario that does not write to it
 */
record RunResult(String scenario, String agent, int round, long events, double windowSeconds, double agentCpuSeconds,
                 long peakRssBytes, double harnessCpuSeconds, long rejected, double clusterCpuSeconds) {

    /** A run without the MiniDFSCluster. */
    RunResult(String scenario, String agent, int round, long events, double windowSeconds, double agentCpuSeconds,
              long peakRssBytes, double harnessCpuSeconds, long rejected) {
        this(scenario, agent, round, events, windowSeconds, agentCpuSeconds, peakRssBytes, harnessCpuSeconds, rejected, 0);
    }

    double eventsPerSecond() {
        return events / windowSeconds;
    }

    /** Agent CPU seconds per million events: the cost of an event, independent of how fast it went. */
    double agentCpuPerMillionEvents() {
        return agentCpuSeconds / (events / 1e6);
    }

    double harnessCpuPerMillionEvents() {
        return harnessCpuSeconds / (events / 1e6);
    }

    double peakRssMiB() {
        return peakRssBytes / (1024.0 * 1024.0);
    }
}

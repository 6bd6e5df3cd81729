package org.sluice.platform.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/**
 * What {@code /health} and {@code /ready} answer, for a process supervisor or a load balancer: a verdict and,
 * when it is no, the reasons, one a line.
 *
 * <ul>
 * <li>Health (liveness): the process works. It does not when the agent runtime has gone (the framework is
 * stopping, or the platform failed) or when threads are deadlocked: restarting the process is then the cure. A
 * component that waits or failed does not make the process unhealthy; that is readiness.</li>
 * <li>Readiness: every configured component of every agent is running. Not while no agent is configured, nor
 * while one component waits (for its plugin, its channel), starts, stops or failed; each of those is named with
 * its state and the runtime's reason.</li>
 * </ul>
 */
final class Probes {

    /** A verdict and the text that explains it. */
    record Verdict(boolean ok, String text) {
    }

    private final Supplier<AgentRuntime> runtime;
    private final ThreadMXBean threads;

    /** @param runtime the agents; may answer null when the runtime is not there */
    Probes(Supplier<AgentRuntime> runtime) {
        this(runtime, ManagementFactory.getThreadMXBean());
    }

    Probes(Supplier<AgentRuntime> runtime, ThreadMXBean threads) {
        this.runtime = runtime;
        this.threads = threads;
    }

    Verdict health() {
        if (runtime.get() == null) {
            return new Verdict(false, "unhealthy: the agent runtime is not running (stopping, or the platform "
                    + "failed to start: see the log)\n");
        }
        long[] deadlocked = threads.findDeadlockedThreads();
        if (deadlocked != null && deadlocked.length > 0) {
            StringBuilder text = new StringBuilder("unhealthy: ").append(deadlocked.length)
                    .append(" threads are deadlocked\n");
            for (ThreadInfo info : threads.getThreadInfo(deadlocked)) {
                if (info != null) {
                    text.append(info.getThreadName()).append(" waits for ").append(info.getLockName())
                            .append(" held by ").append(info.getLockOwnerName()).append('\n');
                }
            }
            return new Verdict(false, text.toString());
        }
        return new Verdict(true, "healthy\n");
    }

    Verdict readiness() {
        AgentRuntime agents = runtime.get();
        if (agents == null) {
            return new Verdict(false, "not ready: the agent runtime is not running\n");
        }
        List<String> agentNames = agents.agents();
        if (agentNames.isEmpty()) {
            return new Verdict(false, "not ready: no agent is configured\n");
        }
        int total = 0;
        List<ComponentStatus> notRunning = new ArrayList<>();
        for (String agent : agentNames) {
            for (ComponentStatus status : agents.components(agent)) {
                total++;
                if (status.state() != ComponentState.RUNNING) {
                    notRunning.add(status);
                }
            }
        }
        if (notRunning.isEmpty()) {
            return new Verdict(true, "ready: " + total + " components of " + String.join(", ", agentNames)
                    + " running\n");
        }
        StringBuilder text = new StringBuilder("not ready: ").append(notRunning.size()).append(" of ").append(total)
                .append(" components not running\n");
        for (ComponentStatus status : notRunning) {
            text.append("agent ").append(status.agent()).append(", ").append(FlumeCollector.kindLabel(status.kind())
                    .replace('_', ' ')).append(' ').append(status.name());
            if (status.type() != null) {
                text.append(" (").append(status.type()).append(')');
            }
            text.append(": ").append(status.state());
            if (status.reason() != null) {
                // One component a line, whatever its reason holds.
                text.append(": ").append(status.reason().replaceAll("[\\r\\n]+", " "));
            }
            text.append('\n');
        }
        return new Verdict(false, text.toString());
    }
}

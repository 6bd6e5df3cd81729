package org.sluice.platform.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sluice.api.component.ComponentKind;

/**
 * An agent's components as read from a properties file by {@link FlumeConfigParser}: only those Flume would
 * start (listed, configured, well formed and connected), each map keyed by component name in the order of
 * the agent's lists, with every problem found on the way, including those that dropped a component.
 */
public record AgentDefinition(String agent, Map<String, ComponentDefinition> sources,
        Map<String, ComponentDefinition> channels, Map<String, ComponentDefinition> sinks,
        Map<String, ComponentDefinition> sinkgroups, List<Problem> problems) {

    public AgentDefinition {
        if (agent == null) {
            throw new NullPointerException("agent");
        }
        sources = copy(sources);
        channels = copy(channels);
        sinks = copy(sinks);
        sinkgroups = copy(sinkgroups);
        problems = List.copyOf(problems);
    }

    /** The components of one kind (SOURCE, CHANNEL, SINK or SINKGROUP). */
    public Map<String, ComponentDefinition> components(ComponentKind kind) {
        switch (kind) {
            case SOURCE:
                return sources;
            case CHANNEL:
                return channels;
            case SINK:
                return sinks;
            case SINKGROUP:
                return sinkgroups;
            default:
                throw new IllegalArgumentException(kind + " is not configured at agent level");
        }
    }

    /** Every component: channels, sinks, sink groups, then sources (the order they can start in). */
    public List<ComponentDefinition> all() {
        List<ComponentDefinition> all = new ArrayList<>();
        all.addAll(channels.values());
        all.addAll(sinks.values());
        all.addAll(sinkgroups.values());
        all.addAll(sources.values());
        return all;
    }

    /** The same definition with {@code problem} first among its problems. */
    public AgentDefinition withProblem(Problem problem) {
        List<Problem> all = new ArrayList<>();
        all.add(problem);
        all.addAll(problems);
        return new AgentDefinition(agent, sources, channels, sinks, sinkgroups, all);
    }

    public boolean isEmpty() {
        return sources.isEmpty() && channels.isEmpty() && sinks.isEmpty() && sinkgroups.isEmpty();
    }

    public long errorCount() {
        return problems.stream().filter(Problem::isError).count();
    }

    private static Map<String, ComponentDefinition> copy(Map<String, ComponentDefinition> components) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(components));
    }
}

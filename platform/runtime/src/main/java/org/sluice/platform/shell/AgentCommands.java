package org.sluice.platform.shell;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.platform.metrics.Metrics;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/**
 * The Gogo commands that show the running agents: {@code sluice:agents}, {@code sluice:components [agent]}
 * and {@code sluice:counters [agent] [component]}. Each returns plain text, which the shell prints.
 */
@Component(service = AgentCommands.class, property = {
    "osgi.command.scope=sluice",
    "osgi.command.function=agents",
    "osgi.command.function=components",
    "osgi.command.function=counters"
})
public final class AgentCommands {

    /** Sources first, then channels, sinks and the rest, as a properties file lists them. */
    private static final Comparator<ComponentCounters> COUNTERS_ORDER = Comparator
            .comparing(ComponentCounters::agent)
            .thenComparing(ComponentCounters::kind)
            .thenComparing(ComponentCounters::name);

    private final AgentRuntime runtime;
    private final Metrics metrics;

    @Activate
    public AgentCommands(@Reference AgentRuntime runtime, @Reference Metrics metrics) {
        this.runtime = runtime;
        this.metrics = metrics;
    }

    /** {@code sluice:agents}: each agent with its number of components in each state. */
    public String agents() {
        List<String> agents = runtime.agents();
        if (agents.isEmpty()) {
            return "No agent is configured.";
        }
        List<String> header = new ArrayList<>(List.of("AGENT", "COMPONENTS"));
        for (ComponentState state : ComponentState.values()) {
            header.add(state.name());
        }
        TextTable table = new TextTable(header.toArray(String[]::new));
        for (String agent : agents) {
            List<ComponentStatus> components = runtime.components(agent);
            Map<ComponentState, Integer> counts = new EnumMap<>(ComponentState.class);
            components.forEach(c -> counts.merge(c.state(), 1, Integer::sum));
            List<Object> row = new ArrayList<>(List.of(agent, components.size()));
            for (ComponentState state : ComponentState.values()) {
                row.add(counts.getOrDefault(state, 0));
            }
            table.row(row.toArray());
        }
        return table.toString();
    }

    /** {@code sluice:components}: every agent's components. */
    public String components() {
        List<String> agents = runtime.agents();
        if (agents.isEmpty()) {
            return "No agent is configured.";
        }
        return componentTable(agents);
    }

    /** {@code sluice:components <agent>}: the agent's components, with why each waits or failed. */
    public String components(String agent) {
        if (!runtime.agents().contains(agent)) {
            return unknownAgent(agent);
        }
        return componentTable(List.of(agent));
    }

    private String componentTable(List<String> agents) {
        TextTable table = new TextTable("AGENT", "NAME", "KIND", "TYPE", "STATE", "PROVIDER", "REASON");
        for (String agent : agents) {
            for (ComponentStatus c : runtime.components(agent)) {
                String provider = c.providerBundle() == null ? null
                        : c.providerBundle() + (c.providerVersion() == null ? "" : " " + c.providerVersion());
                // A running component has no reason: its cell stays empty rather than showing "-".
                table.row(c.agent(), c.name(), c.kind(), c.type(), c.state(), provider,
                        c.reason() == null ? "" : c.reason());
            }
        }
        return table.toString();
    }

    /** {@code sluice:counters}: the counters of every component of every agent. */
    public String counters() {
        return countersOf(metrics.all().stream().sorted(COUNTERS_ORDER).toList(), "No component has counters yet.");
    }

    /** {@code sluice:counters <agent>}: the counters of the agent's components. */
    public String counters(String agent) {
        return countersOf(metrics.all().stream().filter(c -> c.agent().equals(agent)).sorted(COUNTERS_ORDER).toList(),
                runtime.agents().contains(agent) ? "No component of agent " + agent + " has counters yet."
                        : unknownAgent(agent));
    }

    /** {@code sluice:counters <agent> <component>}: the counters of the components of that name (any kind). */
    public String counters(String agent, String component) {
        return countersOf(metrics.all().stream().filter(c -> c.agent().equals(agent) && c.name().equals(component))
                .sorted(COUNTERS_ORDER).toList(),
                runtime.agents().contains(agent) ? "Agent " + agent + " has no counters for a component " + component
                        + "." : unknownAgent(agent));
    }

    private String unknownAgent(String agent) {
        List<String> agents = runtime.agents();
        return "No agent " + agent + (agents.isEmpty() ? "; no agent is configured." : "; agents: "
                + String.join(", ", agents) + ".");
    }

    private static String countersOf(List<ComponentCounters> components, String whenNone) {
        if (components.isEmpty()) {
            return whenNone;
        }
        StringBuilder out = new StringBuilder();
        for (ComponentCounters c : components) {
            if (out.length() > 0) {
                out.append(System.lineSeparator()).append(System.lineSeparator());
            }
            out.append(c.agent()).append(' ').append(c.kind()).append(' ').append(c.name());
            Map<String, String> values = new TreeMap<>();
            c.snapshot().forEach((name, value) -> values.put(name, format(name, value)));
            if (c.kind() == ComponentKind.CHANNEL) {
                values.put(ChannelCounter.CHANNEL_FILL_PERCENTAGE, String.format("%.2f", c.fillPercentage()));
            }
            int width = values.keySet().stream().mapToInt(String::length).max().orElse(0);
            values.forEach((name, value) -> out.append(System.lineSeparator()).append("  ").append(name)
                    .append(" ".repeat(width - name.length() + 2)).append(value));
        }
        return out.toString();
    }

    /** Times are milliseconds since the epoch, as in Flume's JMX; the shell adds the instant they stand for. */
    private static String format(String name, long value) {
        boolean time = name.equals(ComponentCounters.START_TIME) || name.equals(ComponentCounters.STOP_TIME);
        return time && value > 0 ? value + " (" + Instant.ofEpochMilli(value) + ")" : Long.toString(value);
    }
}

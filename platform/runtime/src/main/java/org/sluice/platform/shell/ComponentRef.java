package org.sluice.platform.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.sluice.api.component.ComponentKind;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentStatus;

/**
 * A configured component named on the shell's command line: {@code r1}, or {@code a1.r1} when several agents run,
 * and with its kind ({@code sink:k1}, {@code a1.sink:k1}) when two of one agent's components share a name. Neither
 * an agent's nor a component's name has a dot (Flume's keys are split on them), so the forms never collide.
 */
record ComponentRef(String agent, ComponentKind kind, String name) {

    static ComponentRef resolve(AgentRuntime runtime, String reference) {
        String rest = reference.trim();
        String agent = null;
        int dot = rest.indexOf('.');
        if (dot > 0) {
            agent = rest.substring(0, dot);
            rest = rest.substring(dot + 1);
            if (!runtime.agents().contains(agent)) {
                throw new IllegalArgumentException("No agent " + agent + "; agents: "
                        + String.join(", ", runtime.agents()));
            }
        }
        ComponentKind kind = null;
        int colon = rest.indexOf(':');
        if (colon > 0) {
            kind = kindNamed(rest.substring(0, colon));
            rest = rest.substring(colon + 1);
        }
        List<ComponentStatus> matches = new ArrayList<>();
        for (String candidateAgent : agent == null ? runtime.agents() : List.of(agent)) {
            for (ComponentStatus status : runtime.components(candidateAgent)) {
                if (status.name().equals(rest) && (kind == null || status.kind() == kind)) {
                    matches.add(status);
                }
            }
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("No component " + reference.trim() + " is configured"
                    + (runtime.agents().isEmpty() ? "; no agent is configured" : "; sluice:components lists them"));
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException(reference.trim() + " names " + matches.size() + " components: "
                    + matches.stream().map(m -> m.agent() + "." + kindWord(m.kind()) + ":" + m.name())
                            .collect(Collectors.joining(", ")) + "; name one of them so");
        }
        ComponentStatus match = matches.get(0);
        return new ComponentRef(match.agent(), match.kind(), match.name());
    }

    /** {@code source}, {@code channel}, {@code sink}, {@code sinkgroup}: how Flume's sections name the kinds. */
    static String kindWord(ComponentKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace("_", "");
    }

    private static ComponentKind kindNamed(String word) {
        for (ComponentKind kind : List.of(ComponentKind.SOURCE, ComponentKind.CHANNEL, ComponentKind.SINK,
                ComponentKind.SINKGROUP)) {
            if (kindWord(kind).equalsIgnoreCase(word)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("No kind " + word + ": source, channel, sink or sinkgroup");
    }

    @Override
    public String toString() {
        return kindWord(kind) + " " + agent + "." + name;
    }
}

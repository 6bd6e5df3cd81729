package org.sluice.platform.metrics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.sluice.api.component.ComponentKind;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/** The runtime's view of its agents as a test sets it: the statuses it is given, by agent. */
final class FixedRuntime implements AgentRuntime {
    private final List<ComponentStatus> statuses = new CopyOnWriteArrayList<>();

    /** Sets one component's status, replacing the one it had. */
    FixedRuntime set(String agent, ComponentKind kind, String name, String type, ComponentState state,
            String reason) {
        statuses.removeIf(s -> s.agent().equals(agent) && s.kind() == kind && s.name().equals(name));
        statuses.add(new ComponentStatus(agent, name, kind, type, state, state == ComponentState.WAITING ? null
                : "test.bundle", state == ComponentState.WAITING ? null : "1.0.0", reason));
        return this;
    }

    @Override
    public List<String> agents() {
        LinkedHashSet<String> agents = new LinkedHashSet<>();
        statuses.forEach(s -> agents.add(s.agent()));
        return new ArrayList<>(agents);
    }

    @Override
    public List<ComponentStatus> components(String agent) {
        List<ComponentStatus> out = new ArrayList<>();
        statuses.stream().filter(s -> s.agent().equals(agent)).forEach(out::add);
        return out;
    }
}

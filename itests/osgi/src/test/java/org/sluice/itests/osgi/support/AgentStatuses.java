package org.sluice.itests.osgi.support;

import java.util.List;
import java.util.Optional;

import org.sluice.api.component.ComponentKind;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentState;
import org.sluice.platform.management.ComponentStatus;

/** What the {@link AgentRuntime} service says of one agent's components, with waits on their states. */
public final class AgentStatuses {

    private final AgentRuntime runtime;
    private final String agent;

    public AgentStatuses(AgentRuntime runtime, String agent) {
        this.runtime = runtime;
        this.agent = agent;
    }

    public List<ComponentStatus> all() {
        return runtime.components(agent);
    }

    public Optional<ComponentStatus> of(ComponentKind kind, String name) {
        return all().stream().filter(s -> s.kind() == kind && s.name().equals(name)).findFirst();
    }

    /** Waits until the component is in {@code state}; returns its status then. */
    public ComponentStatus await(ComponentKind kind, String name, ComponentState state) {
        return Await.until(agent + " " + kind + " " + name + " " + state, this::all,
                statuses -> statuses.stream().anyMatch(s -> s.kind() == kind && s.name().equals(name)
                        && s.state() == state))
                .stream().filter(s -> s.kind() == kind && s.name().equals(name)).findFirst().orElseThrow();
    }

    /** Waits until the component is WAITING or FAILED, that is: not started, with a reason. */
    public ComponentStatus awaitNotStarted(ComponentKind kind, String name) {
        return Await.until(agent + " " + kind + " " + name + " WAITING or FAILED", this::all,
                statuses -> statuses.stream().anyMatch(s -> s.kind() == kind && s.name().equals(name)
                        && (s.state() == ComponentState.WAITING || s.state() == ComponentState.FAILED)))
                .stream().filter(s -> s.kind() == kind && s.name().equals(name)).findFirst().orElseThrow();
    }

    /** Waits until the component is WAITING for a reason that names {@code what} (the class it waits for). */
    public ComponentStatus awaitWaitingFor(ComponentKind kind, String name, String what) {
        return Await.until(agent + " " + kind + " " + name + " waiting for " + what, () -> of(kind, name),
                status -> status.isPresent() && status.get().state() == ComponentState.WAITING
                        && status.get().reason().contains(what)).orElseThrow();
    }
}

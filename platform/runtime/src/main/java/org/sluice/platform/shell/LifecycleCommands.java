package org.sluice.platform.shell;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.sluice.platform.management.AgentRuntime;
import org.sluice.platform.management.ComponentStatus;
import org.sluice.platform.runtime.AgentControl;

/**
 * {@code sluice:stopcomponent <component>} and {@code sluice:startcomponent <component>}: an operator stops one
 * component of a running agent, and what depends on it (a channel's sources and sinks wait for it), and starts it
 * again later. Its configuration stays in Config Admin; a stopped memory channel's events wait in the runtime for it
 * to start again. Named apart from Felix's {@code start} and {@code stop}, which start and stop bundles.
 */
@Component(service = LifecycleCommands.class, property = {
    "osgi.command.scope=sluice",
    "osgi.command.function=stopcomponent",
    "osgi.command.function=startcomponent"
})
public final class LifecycleCommands {
    private final AgentRuntime runtime;
    private final AgentControl control;

    @Activate
    public LifecycleCommands(@Reference AgentRuntime runtime, @Reference AgentControl control) {
        this.runtime = runtime;
        this.control = control;
    }

    /** {@code sluice:stopcomponent <component>}. */
    public String stopcomponent(String reference) throws InterruptedException {
        ComponentRef component = ComponentRef.resolve(runtime, reference);
        if (!control.stop(component.agent(), component.kind(), component.name())) {
            return "No " + component + " is configured any more";
        }
        return "Stopped " + component + System.lineSeparator() + states(component.agent());
    }

    /** {@code sluice:startcomponent <component>}. */
    public String startcomponent(String reference) throws InterruptedException {
        ComponentRef component = ComponentRef.resolve(runtime, reference);
        if (!control.start(component.agent(), component.kind(), component.name())) {
            return component + " was not stopped by sluice:stopcomponent; nothing to start";
        }
        return "Started " + component + System.lineSeparator() + states(component.agent());
    }

    /** The agent's components after the change: what stopped with it, and what waits for it. */
    private String states(String agent) {
        TextTable table = new TextTable("NAME", "KIND", "STATE", "REASON");
        List<ComponentStatus> components = runtime.components(agent);
        for (ComponentStatus c : components) {
            table.row(c.name(), c.kind(), c.state(), c.reason() == null ? "" : c.reason());
        }
        return table.toString();
    }
}

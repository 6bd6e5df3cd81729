package org.sluice.platform.management;

import java.util.List;

/** The running agents as the shell and monitoring see them; a service of the runtime. */
public interface AgentRuntime {

    /** The names of the agents that have an agent configuration. */
    List<String> agents();

    /** The agent's components, sources first, then channels, sinks and sink groups; empty if unknown. */
    List<ComponentStatus> components(String agent);
}

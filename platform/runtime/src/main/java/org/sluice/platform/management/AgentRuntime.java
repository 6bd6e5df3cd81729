package org.sluice.platform.management;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The running agents as the shell and monitoring see them; a service of the runtime. Only the platform
 * implements it: tools call it, so a method added here is a minor change for them, not a major one.
 */
@ProviderType
public interface AgentRuntime {

    /** The names of the agents that have an agent configuration. */
    List<String> agents();

    /** The agent's components, sources first, then channels, sinks and sink groups; empty if unknown. */
    List<ComponentStatus> components(String agent);
}

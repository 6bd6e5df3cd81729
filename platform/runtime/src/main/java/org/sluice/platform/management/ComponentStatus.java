package org.sluice.platform.management;

import org.sluice.api.component.ComponentKind;

/**
 * What the runtime knows of one configured component, for the shell and monitoring.
 *
 * @param agent          the agent's name
 * @param name           the component's name
 * @param kind           source, channel, sink or sink group
 * @param type           the configured type name
 * @param state          its state
 * @param providerBundle symbolic name of the bundle whose factory made it, or null
 * @param providerVersion that bundle's version, or null
 * @param reason         why it waits or failed; null when running
 */
public record ComponentStatus(String agent, String name, ComponentKind kind, String type, ComponentState state,
        String providerBundle, String providerVersion, String reason) {
}

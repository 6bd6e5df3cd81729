package org.sluice.itests.osgi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.component.ComponentKind;
import org.sluice.platform.config.ConfigSchema;

/**
 * Writes one agent's configuration into Config Admin the way the properties file bridge and FileInstall do
 * (the layout of {@link ConfigSchema}): one factory configuration per component, named
 * {@code <agent>.<component>}, holding the component's Flume keys as strings.
 */
public final class AgentConfigurations {

    /** Any bundle may bind the configurations: the runtime reads them, whichever bundle it is. */
    private static final String ANY_LOCATION = "?";

    private final ConfigurationAdmin admin;
    private final String agent;

    private AgentConfigurations(ConfigurationAdmin admin, String agent) {
        this.admin = admin;
        this.agent = agent;
    }

    /** The agent's configurations; creates the agent's own configuration. */
    public static AgentConfigurations agent(ConfigurationAdmin admin, String agent) {
        AgentConfigurations configurations = new AgentConfigurations(admin, agent);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(ConfigSchema.AGENT, agent);
        configurations.write(ConfigSchema.AGENT_PID, agent, properties);
        return configurations;
    }

    public AgentConfigurations source(String name, Map<String, String> keys) {
        return put(ComponentKind.SOURCE, name, keys);
    }

    public AgentConfigurations channel(String name, Map<String, String> keys) {
        return put(ComponentKind.CHANNEL, name, keys);
    }

    public AgentConfigurations sink(String name, Map<String, String> keys) {
        return put(ComponentKind.SINK, name, keys);
    }

    /** Creates or replaces a component's configuration. */
    public AgentConfigurations put(ComponentKind kind, String name, Map<String, String> keys) {
        Hashtable<String, Object> properties = new Hashtable<>(keys);
        properties.put(ConfigSchema.AGENT, agent);
        properties.put(ConfigSchema.COMPONENT, name);
        write(ConfigSchema.factoryPid(kind), ConfigSchema.configurationName(agent, name), properties);
        return this;
    }

    /** Deletes a component's configuration. */
    public AgentConfigurations remove(ComponentKind kind, String name) {
        try {
            admin.getFactoryConfiguration(ConfigSchema.factoryPid(kind), ConfigSchema.configurationName(agent, name),
                    ANY_LOCATION).delete();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the configuration of " + agent + "." + name, e);
        }
        return this;
    }

    private void write(String factoryPid, String name, Dictionary<String, Object> properties) {
        try {
            Configuration configuration = admin.getFactoryConfiguration(factoryPid, name, ANY_LOCATION);
            configuration.update(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write configuration " + factoryPid + "~" + name, e);
        }
    }
}

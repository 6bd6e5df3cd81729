package org.sluice.itests.osgi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.component.ComponentKind;

/**
 * Writes one agent's configuration into Config Admin the way the properties file bridge and FileInstall do:
 * one factory configuration per component ({@code org.sluice.source}, {@code org.sluice.channel}, ...), named
 * {@code <agent>.<component>}, holding the component's Flume keys as strings plus {@code sluice.agent} and
 * {@code sluice.component}. The layout is spelled out here rather than taken from the platform's
 * ConfigSchema, so these tests check the documented contract instead of repeating the code under test.
 */
public final class AgentConfigurations {

    public static final String AGENT_PID = "org.sluice.agent";
    public static final String AGENT = "sluice.agent";
    public static final String COMPONENT = "sluice.component";

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
        properties.put(AGENT, agent);
        configurations.write(AGENT_PID, agent, properties);
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
        properties.put(AGENT, agent);
        properties.put(COMPONENT, name);
        write(factoryPid(kind), agent + "." + name, properties);
        return this;
    }

    /** Deletes a component's configuration. */
    public AgentConfigurations remove(ComponentKind kind, String name) {
        try {
            admin.getFactoryConfiguration(factoryPid(kind), agent + "." + name,
                    ANY_LOCATION).delete();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the configuration of " + agent + "." + name, e);
        }
        return this;
    }

    /** The factory PID of a component kind's configurations. */
    public static String factoryPid(ComponentKind kind) {
        switch (kind) {
            case SOURCE:
            case CHANNEL:
            case SINK:
                return "org.sluice." + kind.name().toLowerCase(java.util.Locale.ROOT);
            case SINKGROUP:
                return "org.sluice.sinkgroup";
            default:
                throw new IllegalArgumentException(kind + " is configured inside its owner, not on its own");
        }
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

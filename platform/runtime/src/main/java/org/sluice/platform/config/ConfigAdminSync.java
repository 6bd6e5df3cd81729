package org.sluice.platform.config;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.component.ComponentKind;

/**
 * Makes Config Admin hold exactly the configurations an agent definition calls for, touching only those
 * that differ, so components whose keys did not change keep running untouched.
 *
 * <p>Ownership: a configuration carrying {@link ConfigSchema#ORIGIN} was made from a properties file, and
 * there is one file per framework, so every such configuration the current definition does not call for is
 * stale (the file dropped the component, or a previous run used another file or agent) and is deleted.
 * Configurations without it (etc/*.cfg through FileInstall, the shell) are never changed or deleted; when
 * one has the name a file component needs, the file's component is not applied and that is reported.
 */
final class ConfigAdminSync {

    /** Config Admin's own keys: not part of what a configuration says. */
    private static final Set<String> CONFIG_ADMIN_KEYS = Set.of("service.pid", "service.factoryPid",
            "service.bundleLocation");
    /** Any bundle may receive the configurations (the runtime reads them; plugins never do). */
    private static final String ANY_LOCATION = "?";

    private final ConfigurationAdmin configurationAdmin;

    ConfigAdminSync(ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    /** What one sync did; problems are configurations it could not write. */
    record Result(List<String> added, List<String> updated, List<String> removed, List<Problem> problems) {
    }

    /** Writes {@code definition} (its usable components) as configurations tagged with {@code origin}. */
    Result apply(AgentDefinition definition, String origin) throws IOException {
        String agent = definition.agent();
        List<String> added = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Set<String> wanted = new java.util.HashSet<>();

        Map<String, Object> agentProperties = new LinkedHashMap<>();
        agentProperties.put(ConfigSchema.AGENT, agent);
        agentProperties.put(ConfigSchema.ORIGIN, origin);
        Configuration agentConfiguration = configurationAdmin.getFactoryConfiguration(ConfigSchema.AGENT_PID, agent,
                ANY_LOCATION);
        Dictionary<String, Object> current = agentConfiguration.getProperties();
        if (current == null || current.get(ConfigSchema.ORIGIN) != null) {
            // An agent configuration made elsewhere says the same thing; it is left as it is.
            wanted.add(agentConfiguration.getPid());
            write(agentConfiguration, current, agentProperties, agent, added, updated);
        }

        for (ComponentDefinition component : definition.all()) {
            String name = agent + "." + component.kind().section() + "." + component.name();
            Configuration configuration = configurationAdmin.getFactoryConfiguration(
                    ConfigSchema.factoryPid(component.kind()),
                    ConfigSchema.configurationName(agent, component.name()), ANY_LOCATION);
            Dictionary<String, Object> existing = configuration.getProperties();
            if (existing != null && existing.get(ConfigSchema.ORIGIN) == null) {
                Object file = existing.get("felix.fileinstall.filename");
                problems.add(Problem.error(agent, component.kind(), component.name(), null, "configuration "
                        + configuration.getPid() + (file == null ? "" : " (" + file + ")") + " was made outside"
                        + " this file and takes precedence; the file's definition is not applied"));
                continue;
            }
            Map<String, Object> properties = new LinkedHashMap<>(component.properties());
            properties.put(ConfigSchema.AGENT, agent);
            properties.put(ConfigSchema.COMPONENT, component.name());
            properties.put(ConfigSchema.ORIGIN, origin);
            wanted.add(configuration.getPid());
            write(configuration, existing, properties, name, added, updated);
        }

        List<String> removed = removeAllExcept(wanted);
        return new Result(added, updated, removed, problems);
    }

    /** Deletes every configuration made from a properties file, except those with a PID in {@code kept}. */
    List<String> removeAllExcept(Set<String> kept) throws IOException {
        List<Configuration> stale = new ArrayList<>();
        for (Configuration configuration : fileConfigurations()) {
            if (!kept.contains(configuration.getPid())) {
                stale.add(configuration);
            }
        }
        // Sources first, channels and the agent last: nothing is left writing into a removed channel.
        stale.sort(java.util.Comparator.comparingInt(ConfigAdminSync::removalOrder));
        List<String> removed = new ArrayList<>();
        for (Configuration configuration : stale) {
            removed.add(describe(configuration));
            configuration.delete();
        }
        return removed;
    }

    private Configuration[] fileConfigurations() throws IOException {
        try {
            Configuration[] found = configurationAdmin.listConfigurations("(" + ConfigSchema.ORIGIN + "=*)");
            return found == null ? new Configuration[0] : found;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("a constant filter is malformed", e);
        }
    }

    private static void write(Configuration configuration, Dictionary<String, Object> current,
            Map<String, Object> wanted, String name, List<String> added, List<String> updated) throws IOException {
        if (current == null) {
            configuration.update(new Hashtable<>(wanted));
            added.add(name);
        } else if (!withoutConfigAdminKeys(current).equals(wanted)) {
            configuration.update(new Hashtable<>(wanted));
            updated.add(name);
        }
    }

    static Map<String, Object> withoutConfigAdminKeys(Dictionary<String, Object> properties) {
        Map<String, Object> map = new HashMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!CONFIG_ADMIN_KEYS.contains(key)) {
                map.put(key, properties.get(key));
            }
        }
        return map;
    }

    private static int removalOrder(Configuration configuration) {
        ComponentKind kind = configuration.getFactoryPid() == null ? null
                : ConfigSchema.kindOf(configuration.getFactoryPid());
        if (kind == null) {
            return 4;
        }
        switch (kind) {
            case SOURCE:
                return 0;
            case SINKGROUP:
                return 1;
            case SINK:
                return 2;
            default:
                return 3;
        }
    }

    /** {@code a1.sources.r1} for a component, {@code a1} for an agent, the PID otherwise. */
    private static String describe(Configuration configuration) {
        Dictionary<String, Object> properties = configuration.getProperties();
        Object agent = properties == null ? null : properties.get(ConfigSchema.AGENT);
        Object component = properties == null ? null : properties.get(ConfigSchema.COMPONENT);
        ComponentKind kind = configuration.getFactoryPid() == null ? null
                : ConfigSchema.kindOf(configuration.getFactoryPid());
        if (agent != null && component != null && kind != null) {
            return agent + "." + kind.section() + "." + component;
        }
        if (agent != null && ConfigSchema.AGENT_PID.equals(configuration.getFactoryPid())) {
            return agent.toString();
        }
        return configuration.getPid();
    }
}

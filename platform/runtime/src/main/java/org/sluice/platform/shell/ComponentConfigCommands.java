package org.sluice.platform.shell;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.sluice.platform.config.ConfigSchema;
import org.sluice.platform.config.SecretKeys;
import org.sluice.platform.management.AgentRuntime;

/**
 * {@code sluice:config <component>} shows one component's configuration as Config Admin holds it (secrets as
 * {@value SecretKeys#REDACTED}); {@code sluice:config <component> <key> <value>} sets one key and
 * {@code sluice:config --delete <component> <key>} removes one. The runtime restarts that component alone, as for any
 * configuration change. A configuration made from the properties file keeps the change until the file changes
 * (then the file's definition is applied again) or the agent restarts: to keep it, write it in the file.
 */
@Component(service = ComponentConfigCommands.class, property = {
    "osgi.command.scope=sluice",
    "osgi.command.function=config"
})
public final class ComponentConfigCommands {
    static final String DELETE = "--delete";
    static final String USAGE = "Usage: sluice:config <component> | sluice:config <component> <key> <value>"
            + " | sluice:config " + DELETE + " <component> <key>";

    private final AgentRuntime runtime;
    private final ConfigurationAdmin configurationAdmin;

    @Activate
    public ComponentConfigCommands(@Reference AgentRuntime runtime, @Reference ConfigurationAdmin configurationAdmin) {
        this.runtime = runtime;
        this.configurationAdmin = configurationAdmin;
    }

    /** {@code sluice:config <component>}. */
    public String config(String reference) throws IOException {
        ComponentRef component = ComponentRef.resolve(runtime, reference);
        Configuration configuration = find(component);
        Map<String, String> all = all(configuration.getProperties());
        StringBuilder out = new StringBuilder(component.toString()).append(": configuration ")
                .append(configuration.getPid());
        Object origin = configuration.getProperties().get(ConfigSchema.ORIGIN);
        Object file = configuration.getProperties().get("felix.fileinstall.filename");
        if (origin != null || file != null) {
            out.append(" from ").append(origin != null ? origin : file);
        }
        new TreeMap<>(all).forEach((key, value) -> {
            if (!ConfigSchema.BOOKKEEPING.contains(key)) {
                out.append(System.lineSeparator()).append("  ").append(key).append(" = ")
                        .append(SecretKeys.shown(key, value, all));
            }
        });
        return out.toString();
    }

    /** {@code sluice:config <component> <key> <value>}, or {@code sluice:config --delete <component> <key>}. */
    public String config(String first, String second, String third) throws IOException {
        boolean delete = DELETE.equals(first);
        ComponentRef component = ComponentRef.resolve(runtime, delete ? second : first);
        String key = delete ? third : second;
        if (key.isBlank() || ConfigSchema.BOOKKEEPING.contains(key)) {
            return key + " is not a key of the component's own." + System.lineSeparator() + USAGE;
        }
        Configuration configuration = find(component);
        Dictionary<String, Object> properties = configuration.getProperties();
        Hashtable<String, Object> next = new Hashtable<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String name = keys.nextElement();
            next.put(name, properties.get(name));
        }
        if (delete) {
            if (next.remove(key) == null) {
                return component + " has no key " + key + "; nothing changed";
            }
        } else {
            next.put(key, third);
        }
        configuration.update(next);
        String shown = delete ? "removed" : "= " + SecretKeys.shown(key, third, all(next));
        return component + ": " + key + " " + shown + "; the runtime restarts it with its new configuration"
                + (properties.get(ConfigSchema.ORIGIN) == null ? ""
                        : " (until " + properties.get(ConfigSchema.ORIGIN) + " changes: write it there to keep it)");
    }

    /** {@code sluice:config <component> <key>}: a usage mistake, told as such. */
    public String config(String first, String second) {
        return USAGE;
    }

    private Configuration find(ComponentRef component) throws IOException {
        String factoryPid = ConfigSchema.factoryPid(component.kind());
        String filter = "(&(service.factoryPid=" + factoryPid + ")(|(&(" + ConfigSchema.AGENT + "="
                + escaped(component.agent()) + ")(" + ConfigSchema.COMPONENT + "=" + escaped(component.name())
                + "))(service.pid=" + factoryPid + "~"
                + escaped(ConfigSchema.configurationName(component.agent(), component.name())) + ")))";
        Configuration[] found;
        try {
            found = configurationAdmin.listConfigurations(filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("the names of " + component + " cannot be looked up: " + e.getMessage(),
                    e);
        }
        if (found == null || found.length == 0) {
            throw new IllegalStateException("Config Admin has no configuration of " + component);
        }
        return found[0];
    }

    /** Every property as text, bookkeeping included: which values are secret is kept there. */
    private static Map<String, String> all(Dictionary<String, ?> properties) {
        Map<String, String> values = new TreeMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            Object value = properties.get(key);
            values.put(key, value instanceof String[] array ? String.join(" ", array) : String.valueOf(value));
        }
        return values;
    }

    /** A value in an LDAP filter (RFC 4515): names come from configurations, which may hold anything. */
    private static String escaped(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '*' || c == '(' || c == ')' || c == '\\' || c == 0) {
                out.append('\\').append(String.format("%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

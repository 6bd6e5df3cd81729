package org.sluice.platform.config;

import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Config Admin in a map, behaving as Felix's does where the bridge relies on it: factory configurations named
 * {@code factoryPid~name}, null properties until the first update, service.pid and service.factoryPid added
 * to the stored properties, listConfigurations matching an LDAP filter over them. Counts updates per PID so
 * tests can tell which configurations were written.
 */
public final class InMemoryConfigurationAdmin implements ConfigurationAdmin {

    private final Map<String, StoredConfiguration> stored = new LinkedHashMap<>();
    private final Map<String, Integer> updates = new HashMap<>();

    /** How often {@code pid} was updated. */
    int updateCount(String pid) {
        return updates.getOrDefault(pid, 0);
    }

    int totalUpdates() {
        return updates.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The stored properties of {@code pid} as a map, or null if it does not exist. */
    public Map<String, Object> properties(String pid) {
        StoredConfiguration configuration = stored.get(pid);
        if (configuration == null || configuration.properties == null) {
            return null;
        }
        Map<String, Object> map = new HashMap<>();
        for (Enumeration<String> keys = configuration.properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            map.put(key, configuration.properties.get(key));
        }
        return map;
    }

    Set<String> pids() {
        return stored.entrySet().stream().filter(entry -> entry.getValue().properties != null)
                .map(Map.Entry::getKey).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name, String location) {
        return stored.computeIfAbsent(factoryPid + "~" + name, pid -> new StoredConfiguration(pid, factoryPid));
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name) {
        return getFactoryConfiguration(factoryPid, name, null);
    }

    @Override
    public Configuration getConfiguration(String pid, String location) {
        return stored.computeIfAbsent(pid, p -> new StoredConfiguration(p, null));
    }

    @Override
    public Configuration getConfiguration(String pid) {
        return getConfiguration(pid, null);
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid) {
        throw new UnsupportedOperationException("the bridge names its factory configurations");
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid, String location) {
        throw new UnsupportedOperationException("the bridge names its factory configurations");
    }

    @Override
    public Configuration[] listConfigurations(String filter) throws InvalidSyntaxException {
        Filter parsed = filter == null ? null : FrameworkUtil.createFilter(filter);
        Configuration[] found = stored.values().stream()
                .filter(configuration -> configuration.properties != null)
                .filter(configuration -> parsed == null || parsed.match(configuration.properties))
                .toArray(Configuration[]::new);
        return found.length == 0 ? null : found;
    }

    private final class StoredConfiguration implements Configuration {
        private final String pid;
        private final String factoryPid;
        private Hashtable<String, Object> properties;
        private long changeCount;

        StoredConfiguration(String pid, String factoryPid) {
            this.pid = pid;
            this.factoryPid = factoryPid;
        }

        @Override
        public String getPid() {
            return pid;
        }

        @Override
        public String getFactoryPid() {
            return factoryPid;
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            return properties == null ? null : new Hashtable<>(properties);
        }

        @Override
        public Dictionary<String, Object> getProcessedProperties(ServiceReference<?> reference) {
            return getProperties();
        }

        @Override
        public void update(Dictionary<String, ?> newProperties) {
            Hashtable<String, Object> copy = new Hashtable<>();
            for (Enumeration<String> keys = newProperties.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                copy.put(key, newProperties.get(key));
            }
            copy.put("service.pid", pid);
            if (factoryPid != null) {
                copy.put("service.factoryPid", factoryPid);
            }
            properties = copy;
            changeCount++;
            updates.merge(pid, 1, Integer::sum);
        }

        @Override
        public void delete() {
            stored.remove(pid);
        }

        @Override
        public void update() {
            changeCount++;
        }

        @Override
        public boolean updateIfDifferent(Dictionary<String, ?> newProperties) {
            throw new UnsupportedOperationException("the bridge compares itself");
        }

        @Override
        public void setBundleLocation(String location) {
        }

        @Override
        public String getBundleLocation() {
            return "?";
        }

        @Override
        public long getChangeCount() {
            return changeCount;
        }

        @Override
        public void addAttributes(ConfigurationAttribute... attributes) throws IOException {
            throw new IOException("attributes are not supported here");
        }

        @Override
        public Set<ConfigurationAttribute> getAttributes() {
            return Collections.emptySet();
        }

        @Override
        public void removeAttributes(ConfigurationAttribute... attributes) {
        }
    }
}

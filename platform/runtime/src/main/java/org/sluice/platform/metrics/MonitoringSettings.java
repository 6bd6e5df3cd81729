package org.sluice.platform.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Flume's monitoring switches, read as Flume reads them: {@code -Dflume.monitoring.type=http
 * -Dflume.monitoring.port=34545}. The type names a monitor service a bundle provides (Sluice's own {@code http},
 * or a plugin's), found in the service registry; the monitor service is given every {@code flume.monitoring.*}
 * property without the prefix.
 *
 * @param type       the type as configured, trimmed; null when monitoring is off
 * @param properties every {@code flume.monitoring.*} property, without the prefix (with {@code type})
 */
public record MonitoringSettings(String type, Map<String, String> properties) {

    public static final String PREFIX = "flume.monitoring.";
    public static final String TYPE = PREFIX + "type";

    public MonitoringSettings {
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    public boolean enabled() {
        return type != null;
    }

    /**
     * Reads the settings.
     *
     * @param property a property by name (framework, else system), null when not set
     * @param names    the names of the properties set (the framework's cannot be listed: the JVM's are)
     */
    public static MonitoringSettings read(Function<String, String> property, Iterable<String> names) {
        String type = trimmed(property.apply(TYPE));
        Map<String, String> properties = new TreeMap<>();
        for (String name : names) {
            if (name.startsWith(PREFIX)) {
                String value = property.apply(name);
                if (value != null) {
                    properties.put(name.substring(PREFIX.length()), value.trim());
                }
            }
        }
        if (type != null) {
            properties.put("type", type);
        }
        return new MonitoringSettings(type, properties);
    }

    private static String trimmed(String value) {
        if (value == null) {
            return null;
        }
        String t = value.trim();
        return t.isEmpty() ? null : t;
    }
}

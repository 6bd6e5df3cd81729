package org.sluice.platform.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sluice.api.component.ComponentKind;

/**
 * One source, channel, sink or sink group as configured.
 *
 * @param kind       what it is
 * @param name       its name within the agent
 * @param properties its keys without {@code <agent>.<section>.<name>.}, values trimmed, in file order;
 *                   a source's selector and interceptors ({@code selector.*}, {@code interceptors},
 *                   {@code interceptors.i1.*}) and a group's {@code sinks} and {@code processor.*} included
 */
public record ComponentDefinition(ComponentKind kind, String name, Map<String, String> properties) {

    public ComponentDefinition {
        if (kind == null || name == null) {
            throw new NullPointerException("kind and name are required");
        }
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** The {@code type} value, or null. */
    public String type() {
        return properties.get(ConfigSchema.TYPE);
    }

    /** A white-space separated list value ({@code channels = c1 c2}) as its elements; empty if absent. */
    public List<String> list(String key) {
        return splitList(properties.get(key));
    }

    /** The keys under {@code prefix}, with the prefix removed, in file order. */
    public Map<String, String> subProperties(String prefix) {
        return subProperties(properties, prefix);
    }

    /** A copy with other properties (values rewritten by the validator, as Flume does). */
    public ComponentDefinition withProperties(Map<String, String> newProperties) {
        return new ComponentDefinition(kind, name, newProperties);
    }

    static Map<String, String> subProperties(Map<String, String> properties, String prefix) {
        Map<String, String> sub = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                sub.put(key.substring(prefix.length()), value);
            }
        });
        return sub;
    }

    /** Flume separates list elements with white space. */
    static List<String> splitList(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.trim().split("\\s+")).distinct().toList();
    }
}

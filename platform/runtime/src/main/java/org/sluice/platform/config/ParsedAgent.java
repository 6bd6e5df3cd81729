package org.sluice.platform.config;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.sluice.api.component.ComponentKind;

/**
 * An agent's keys as the parser found them, before structural validation: the lists, every component's
 * keys (listed or not), which components cannot be used as written, and the problems so far.
 */
final class ParsedAgent {

    static final List<ComponentKind> SECTIONS = List.of(ComponentKind.SOURCE, ComponentKind.CHANNEL,
            ComponentKind.SINK, ComponentKind.SINKGROUP);

    final String agent;
    /** The agent's lists ({@code sources = r1 r2}); a kind is absent when its list key is. */
    final Map<ComponentKind, List<String>> lists = new EnumMap<>(ComponentKind.class);
    /** Every component's keys in file order, listed or not. */
    final Map<ComponentKind, Map<String, Map<String, String>>> components = new EnumMap<>(ComponentKind.class);
    /** Components with a value that could not be resolved: never started. */
    final Map<ComponentKind, Set<String>> unusable = new EnumMap<>(ComponentKind.class);
    final List<Problem> problems = new ArrayList<>();

    ParsedAgent(String agent) {
        this.agent = agent;
        for (ComponentKind kind : SECTIONS) {
            components.put(kind, new LinkedHashMap<>());
            unusable.put(kind, new HashSet<>());
        }
    }

    Map<String, String> component(ComponentKind kind, String name) {
        return components.get(kind).computeIfAbsent(name, n -> new LinkedHashMap<>());
    }

    boolean listed(ComponentKind kind, String name) {
        return lists.getOrDefault(kind, List.of()).contains(name);
    }
}

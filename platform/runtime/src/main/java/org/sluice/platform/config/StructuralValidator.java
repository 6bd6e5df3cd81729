package org.sluice.platform.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sluice.api.component.ComponentKind;

/**
 * Keeps the part of an agent Flume would start, in Flume's order: channels (each needs a type), then
 * sources (their channels must be among the usable ones; those that are not are dropped from the source,
 * and a source left without channels is dropped), sinks (exactly one usable channel), sink groups (members
 * must be usable sinks, each in one group only), and finally channels no source or sink uses. An agent with
 * no usable channel, or with neither a usable source nor sink, starts nothing, as in Flume.
 */
final class StructuralValidator {

    private StructuralValidator() {
    }

    static AgentDefinition validate(ParsedAgent parsed) {
        Validation validation = new Validation(parsed);
        validation.run();
        return validation.result();
    }

    private static final class Validation {
        private final ParsedAgent parsed;
        private final String agent;
        private final List<Problem> problems;
        private final Map<ComponentKind, Map<String, ComponentDefinition>> usable = new HashMap<>();
        private boolean agentUsable = true;

        Validation(ParsedAgent parsed) {
            this.parsed = parsed;
            this.agent = parsed.agent;
            this.problems = new ArrayList<>(parsed.problems);
            for (ComponentKind kind : ParsedAgent.SECTIONS) {
                usable.put(kind, new LinkedHashMap<>());
            }
        }

        void run() {
            List<String> channelList = parsed.lists.getOrDefault(ComponentKind.CHANNEL, List.of());
            if (channelList.isEmpty()) {
                problems.add(Problem.agentError(agent, ConfigSchema.CHANNELS, "lists no channels;"
                        + " the agent starts nothing"));
                agentUsable = false;
                return;
            }
            keepWellFormed(ComponentKind.CHANNEL);
            if (usable(ComponentKind.CHANNEL).isEmpty()) {
                problems.add(Problem.agentError(agent, ConfigSchema.CHANNELS, "has no usable channel;"
                        + " the agent starts nothing"));
                agentUsable = false;
                return;
            }
            warnIfNoList(ComponentKind.SOURCE);
            keepWellFormed(ComponentKind.SOURCE);
            usable(ComponentKind.SOURCE).replaceAll((name, source) -> connectSource(source));
            usable(ComponentKind.SOURCE).values().removeIf(source -> source == null);

            warnIfNoList(ComponentKind.SINK);
            keepWellFormed(ComponentKind.SINK);
            usable(ComponentKind.SINK).values().removeIf(sink -> !connectSink(sink));

            keepWellFormed(ComponentKind.SINKGROUP);
            Map<String, String> groupOfSink = new HashMap<>();
            usable(ComponentKind.SINKGROUP).replaceAll((name, group) -> groupSinks(group, groupOfSink));
            usable(ComponentKind.SINKGROUP).values().removeIf(group -> group == null);

            if (usable(ComponentKind.SOURCE).isEmpty() && usable(ComponentKind.SINK).isEmpty()) {
                problems.add(Problem.agentError(agent, ComponentKind.SOURCE.section(), "the agent has no usable"
                        + " source and no usable sink; it starts nothing"));
                agentUsable = false;
                return;
            }
            usable(ComponentKind.CHANNEL).values().removeIf(this::unused);
        }

        AgentDefinition result() {
            if (!agentUsable) {
                return new AgentDefinition(agent, Map.of(), Map.of(), Map.of(), Map.of(), problems);
            }
            return new AgentDefinition(agent, usable(ComponentKind.SOURCE), usable(ComponentKind.CHANNEL),
                    usable(ComponentKind.SINK), usable(ComponentKind.SINKGROUP), problems);
        }

        private Map<String, ComponentDefinition> usable(ComponentKind kind) {
            return usable.get(kind);
        }

        private void warnIfNoList(ComponentKind kind) {
            if (parsed.lists.getOrDefault(kind, List.of()).isEmpty()) {
                problems.add(Problem.agentWarning(agent, kind.section(), "lists no " + kind.section()));
            }
        }

        /** The listed components of {@code kind} that are configured, resolved and have Flume's required keys. */
        private void keepWellFormed(ComponentKind kind) {
            for (String name : parsed.lists.getOrDefault(kind, List.of())) {
                Map<String, String> properties = parsed.components.get(kind).get(name);
                if (properties == null) {
                    problems.add(Problem.error(agent, kind, name, null, "is listed in " + agent + "."
                            + kind.section() + " but not configured; it is not started"));
                    continue;
                }
                if (parsed.unusable.get(kind).contains(name)) {
                    continue; // its unresolved references are already reported
                }
                List<Problem> shape = ComponentCheck.checkShape(agent, kind, name, properties);
                problems.addAll(shape);
                if (shape.stream().noneMatch(Problem::isError)) {
                    usable(kind).put(name, new ComponentDefinition(kind, name, properties));
                }
            }
        }

        /** The source with only its usable channels, or null when none is left. */
        private ComponentDefinition connectSource(ComponentDefinition source) {
            List<String> channels = source.list(ConfigSchema.CHANNELS);
            List<String> kept = new ArrayList<>();
            for (String channel : channels) {
                if (usable(ComponentKind.CHANNEL).containsKey(channel)) {
                    kept.add(channel);
                } else {
                    problems.add(Problem.error(agent, ComponentKind.SOURCE, source.name(), ConfigSchema.CHANNELS,
                            whyNotUsable(channel) + (channels.size() > 1 ? "; the source does not write to it"
                                    : "")));
                }
            }
            if (kept.isEmpty()) {
                problems.add(Problem.error(agent, ComponentKind.SOURCE, source.name(), ConfigSchema.CHANNELS,
                        "no usable channel is left; the source is not started"));
                return null;
            }
            if (kept.size() == channels.size()) {
                return source;
            }
            Map<String, String> properties = new LinkedHashMap<>(source.properties());
            properties.put(ConfigSchema.CHANNELS, String.join(" ", kept));
            return source.withProperties(properties);
        }

        private boolean connectSink(ComponentDefinition sink) {
            String channel = sink.properties().get(ConfigSchema.CHANNEL).trim();
            if (usable(ComponentKind.CHANNEL).containsKey(channel)) {
                return true;
            }
            problems.add(Problem.error(agent, ComponentKind.SINK, sink.name(), ConfigSchema.CHANNEL,
                    whyNotUsable(channel) + "; the sink is not started"));
            return false;
        }

        private String whyNotUsable(String channel) {
            if (parsed.listed(ComponentKind.CHANNEL, channel)) {
                return "channel '" + channel + "' is not usable (see its problems)";
            }
            return "channel '" + channel + "' is not listed in " + agent + "." + ComponentKind.CHANNEL.section();
        }

        /** The group with only usable sinks not taken by an earlier group, or null when none is left. */
        private ComponentDefinition groupSinks(ComponentDefinition group, Map<String, String> groupOfSink) {
            List<String> sinks = group.list(ConfigSchema.SINKS);
            List<String> kept = new ArrayList<>();
            for (String sink : sinks) {
                if (!usable(ComponentKind.SINK).containsKey(sink)) {
                    problems.add(Problem.error(agent, ComponentKind.SINKGROUP, group.name(), ConfigSchema.SINKS,
                            parsed.listed(ComponentKind.SINK, sink)
                                    ? "sink '" + sink + "' is not usable (see its problems); not in the group"
                                    : "sink '" + sink + "' is not listed in " + agent + "."
                                            + ComponentKind.SINK.section() + "; not in the group"));
                } else if (groupOfSink.containsKey(sink)) {
                    problems.add(Problem.error(agent, ComponentKind.SINKGROUP, group.name(), ConfigSchema.SINKS,
                            "sink '" + sink + "' is already in sink group '" + groupOfSink.get(sink)
                                    + "'; a sink belongs to one group only, so it is not in this one"));
                } else {
                    groupOfSink.put(sink, group.name());
                    kept.add(sink);
                }
            }
            if (kept.isEmpty()) {
                problems.add(Problem.error(agent, ComponentKind.SINKGROUP, group.name(), ConfigSchema.SINKS,
                        "no usable sink is left; the group is not started"));
                return null;
            }
            if (kept.size() == sinks.size()) {
                return group;
            }
            Map<String, String> properties = new LinkedHashMap<>(group.properties());
            properties.put(ConfigSchema.SINKS, String.join(" ", kept));
            return group.withProperties(properties);
        }

        private boolean unused(ComponentDefinition channel) {
            boolean used = usable(ComponentKind.SOURCE).values().stream()
                    .anyMatch(source -> source.list(ConfigSchema.CHANNELS).contains(channel.name()))
                    || usable(ComponentKind.SINK).values().stream()
                            .anyMatch(sink -> channel.name().equals(sink.properties().get(ConfigSchema.CHANNEL).trim()));
            if (!used) {
                problems.add(Problem.warning(agent, ComponentKind.CHANNEL, channel.name(), null, "no source or sink"
                        + " uses it; it is not started, as in Flume"));
            }
            return !used;
        }
    }
}

package org.sluice.platform.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;

/**
 * Reads one agent out of a Flume configuration, one properties file or several merged, the way Flume 1.11
 * does, then validates its structure ({@link StructuralValidator}): the result holds the components Flume would
 * start and every problem found, each naming agent, component and key.
 *
 * <p>Several files ({@code --conf-file a --conf-file b}, Flume 1.10+) are merged in order: a key of a later file
 * overrides the same key of an earlier one, so a second file that adds a source repeats the whole
 * {@code a1.sources} list. Keys of other agents are ignored, except as the target of a {@code ${NAME}}
 * reference. Values are trimmed. Components that are configured but not in the agent's lists are ignored with
 * a warning. References ({@code ${env:NAME}}, {@code ${sys:NAME}}, {@code ${NAME}} to another property, Flume's
 * config filters {@code configfilters}, types {@code env}, {@code external} and {@code hadoop}) are resolved
 * in every value as {@link ReferenceResolver} says.
 */
public final class FlumeConfigParser {

    /** The system property Flume 1.10+ reads to choose how values are resolved. */
    public static final String PROPERTIES_IMPLEMENTATION = "propertiesImplementation";
    /** Its value that turns on {@code ${NAME}} environment substitution. */
    public static final String ENV_VAR_RESOLVER = "org.apache.flume.node.EnvVarResolverProperties";

    static final String CONFIGFILTERS = "configfilters";

    private final Environment environment;
    private final boolean plainVariables;
    private final boolean runExternalFilters;

    /**
     * @param plainVariables whether {@code ${NAME}} is an environment variable (Flume's EnvVarResolverProperties)
     */
    public FlumeConfigParser(Environment environment, boolean plainVariables) {
        this(environment, plainVariables, true);
    }

    private FlumeConfigParser(Environment environment, boolean plainVariables, boolean runExternalFilters) {
        this.environment = environment;
        this.plainVariables = plainVariables;
        this.runExternalFilters = runExternalFilters;
    }

    /**
     * The same parser, for checking a file rather than running it: unless {@code runExternalFilters}, an
     * {@code external} config filter's command is not run, and its references are kept as written with a note.
     * Validating a file someone hands you must not run the commands it names.
     */
    public FlumeConfigParser forValidation(boolean runExternalFilters) {
        return new FlumeConfigParser(environment, plainVariables, runExternalFilters);
    }

    /** A parser that turns on {@code ${NAME}} when the environment's {@value #PROPERTIES_IMPLEMENTATION} asks. */
    public static FlumeConfigParser forEnvironment(Environment environment) {
        return new FlumeConfigParser(environment,
                ENV_VAR_RESOLVER.equals(environment.property(PROPERTIES_IMPLEMENTATION)));
    }

    /** The agent {@code agent} of the properties file {@code file} (read as {@link ConfigText#read} reads). */
    public AgentDefinition parse(Path file, String agent) throws IOException {
        return parse(List.of(ConfigText.read(file)), agent);
    }

    /** The agent {@code agent} of properties text. */
    public AgentDefinition parse(String text, String agent) {
        try {
            return parse(List.of(new ConfigText(null, text)), agent);
        } catch (IOException e) {
            throw new IllegalStateException("a string cannot fail to read", e);
        }
    }

    public AgentDefinition parse(Reader reader, String agent) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        for (int read = reader.read(buffer); read >= 0; read = reader.read(buffer)) {
            text.append(buffer, 0, read);
        }
        return parse(List.of(new ConfigText(null, text.toString())), agent);
    }

    /**
     * The agent {@code agent} of several properties texts merged in order, a later key overriding an earlier one.
     *
     * @throws IOException when a text is not valid properties syntax (a malformed Unicode escape)
     */
    public AgentDefinition parse(List<ConfigText> texts, String agent) throws IOException {
        Map<String, String> merged = new LinkedHashMap<>();
        List<Duplicate> duplicates = new ArrayList<>();
        for (ConfigText source : texts) {
            OrderedProperties properties = new OrderedProperties();
            try {
                properties.load(new StringReader(source.text()));
            } catch (IllegalArgumentException e) {
                throw new IOException((source.origin() == null ? "" : source.origin() + ": ") + e.getMessage(), e);
            }
            properties.entries.forEach((key, value) -> merged.put(key.trim(), value.trim()));
            for (String duplicate : properties.duplicates) {
                duplicates.add(new Duplicate(duplicate.trim(), texts.size() > 1 ? source.origin() : null));
            }
        }
        AgentDefinition definition = StructuralValidator.validate(read(merged, duplicates, agent));
        for (ConfigText source : texts) {
            if (source.firstUndecodableLine() > 0) {
                definition = definition.withProblem(Problem.agentWarning(agent, null, (source.origin() == null
                        ? "the file" : source.origin()) + " is not valid UTF-8 (line " + source.firstUndecodableLine()
                        + " first): what is not is read as the replacement character U+FFFD, as Flume reads it"));
            }
        }
        return definition;
    }

    /** A key set twice in one text; {@code origin} names the text when there are several. */
    private record Duplicate(String key, String origin) {
    }

    private ParsedAgent read(Map<String, String> merged, List<Duplicate> duplicates, String agent) {
        ParsedAgent parsed = new ParsedAgent(agent);
        String prefix = agent + ".";
        Map<String, String> own = new LinkedHashMap<>();
        merged.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                own.put(key.substring(prefix.length()), value);
            }
        });
        for (Duplicate duplicate : duplicates) {
            if (duplicate.key().startsWith(prefix)) {
                KeyPath path = KeyPath.of(duplicate.key().substring(prefix.length()));
                parsed.problems.add(Problem.warning(agent, path.kind, path.component, path.key,
                        "is set more than once" + (duplicate.origin() == null ? "" : " in " + duplicate.origin())
                                + "; the last value counts, as in Flume"));
            }
        }

        ReferenceResolver resolver = new ReferenceResolver(environment, plainVariables, merged,
                configFilters(own, parsed, merged));

        own.forEach((key, value) -> {
            if (key.equals(CONFIGFILTERS) || key.startsWith(CONFIGFILTERS + ".")) {
                return;
            }
            KeyPath path = KeyPath.of(key);
            if (value.isEmpty()) {
                parsed.problems.add(Problem.warning(agent, path.kind, path.component, path.key,
                        "has no value; ignored, as in Flume"));
                return;
            }
            if (!path.valid()) {
                parsed.problems.add(Problem.agentError(agent, key, "is not a key Flume knows: keys of an agent are"
                        + " sources, channels, sinks, sinkgroups, configfilters and"
                        + " <section>.<component>.<key>; ignored"));
                return;
            }
            ReferenceResolver.Resolved resolved = resolver.resolve(value);
            for (String note : resolved.notes()) {
                parsed.problems.add(Problem.warning(agent, path.kind, path.component, path.key, note));
            }
            for (String failure : resolved.failures()) {
                parsed.problems.add(Problem.error(agent, path.kind, path.component, path.key, failure
                        + (path.component == null ? "" : "; the component is not started")));
            }
            if (path.component == null) {
                parsed.lists.put(KeyPath.LISTS.get(key), ComponentDefinition.splitList(resolved.value()));
            } else {
                if (!resolved.failures().isEmpty()) {
                    parsed.unusable.get(path.kind).add(path.component);
                }
                Map<String, String> component = parsed.component(path.kind, path.component);
                component.put(path.key, resolved.value());
                if (resolved.fromFilter()) {
                    component.merge(SecretKeys.FROM_FILTERS, path.key, (listed, added) -> listed + "," + added);
                }
            }
        });

        for (ComponentKind kind : ParsedAgent.SECTIONS) {
            for (String name : parsed.components.get(kind).keySet()) {
                if (!parsed.listed(kind, name)) {
                    parsed.problems.add(Problem.warning(agent, kind, name, null, "is configured but not listed in "
                            + agent + "." + kind.section() + "; ignored, as in Flume"));
                }
            }
        }
        return parsed;
    }

    /** The agent's usable config filters by name; problems with them go to {@code parsed}. */
    private Map<String, ConfigFilter> configFilters(Map<String, String> own, ParsedAgent parsed,
            Map<String, String> merged) {
        // A filter's own keys may use references too (Flume resolves every value before it makes filters); not
        // references to filters, which do not exist yet.
        ReferenceResolver definitionResolver = new ReferenceResolver(environment, plainVariables, merged, Map.of());
        String agent = parsed.agent;
        List<String> listed = ComponentDefinition.splitList(own.get(CONFIGFILTERS));
        Map<String, Map<String, String>> definitions = new LinkedHashMap<>();
        own.forEach((key, value) -> {
            if (key.startsWith(CONFIGFILTERS + ".")) {
                String rest = key.substring(CONFIGFILTERS.length() + 1);
                int dot = rest.indexOf('.');
                if (dot <= 0 || dot == rest.length() - 1) {
                    parsed.problems.add(Problem.agentError(agent, key, "is not a config filter key"
                            + " (configfilters.<filter>.<key>); ignored"));
                } else if (!value.isEmpty()) {
                    ReferenceResolver.Resolved resolved = definitionResolver.resolve(value);
                    for (String failure : resolved.failures()) {
                        parsed.problems.add(Problem.agentError(agent, key, failure));
                    }
                    definitions.computeIfAbsent(rest.substring(0, dot), n -> new LinkedHashMap<>())
                            .put(rest.substring(dot + 1), resolved.value());
                }
            }
        });
        Map<String, ConfigFilter> filters = new LinkedHashMap<>();
        for (String name : listed) {
            Map<String, String> definition = definitions.get(name);
            if (definition == null) {
                parsed.problems.add(Problem.agentError(agent, CONFIGFILTERS, "lists '" + name
                        + "', which has no properties; references to it are not resolved"));
                filters.put(name, unusable -> {
                    throw new ConfigFilter.ConfigFilterException("the filter is not configured");
                });
                continue;
            }
            try {
                filters.put(name, ConfigFilter.create(agent, name, definition, environment, runExternalFilters));
            } catch (ConfigurationException e) {
                String key = CONFIGFILTERS + "." + name + "." + e.key();
                parsed.problems.add(Problem.agentError(agent, key, Problem.detailOf(e)
                        + "; references to it are not resolved"));
                filters.put(name, unusable -> {
                    throw new ConfigFilter.ConfigFilterException("the filter is not usable (see " + agent + "." + key
                            + ")");
                });
            }
        }
        for (String name : definitions.keySet()) {
            if (!listed.contains(name)) {
                parsed.problems.add(Problem.agentWarning(agent, CONFIGFILTERS + "." + name,
                        "is configured but not listed in " + agent + "." + CONFIGFILTERS + "; ignored, as in Flume"));
            }
        }
        return filters;
    }

    /** Where a key (after {@code <agent>.}) belongs: an agent list, or a component's key. */
    private record KeyPath(ComponentKind kind, String component, String key, boolean valid) {

        static final Map<String, ComponentKind> LISTS = Map.of(
                ComponentKind.SOURCE.section(), ComponentKind.SOURCE,
                ComponentKind.CHANNEL.section(), ComponentKind.CHANNEL,
                ComponentKind.SINK.section(), ComponentKind.SINK,
                ComponentKind.SINKGROUP.section(), ComponentKind.SINKGROUP);

        static KeyPath of(String key) {
            if (LISTS.containsKey(key)) {
                return new KeyPath(null, null, key, true);
            }
            for (ComponentKind kind : ParsedAgent.SECTIONS) {
                String section = kind.section() + ".";
                if (key.startsWith(section)) {
                    String rest = key.substring(section.length());
                    int dot = rest.indexOf('.');
                    if (dot > 0 && dot < rest.length() - 1) {
                        return new KeyPath(kind, rest.substring(0, dot), rest.substring(dot + 1), true);
                    }
                }
            }
            return new KeyPath(null, null, key, false);
        }
    }

    /**
     * java.util.Properties syntax (escapes, continuation lines, {@code =}, {@code :} or blank separators,
     * {@code #} and {@code !} comments, exactly what Flume reads) keeping the file order and noticing keys
     * that appear twice.
     */
    private static final class OrderedProperties extends Properties {
        private static final long serialVersionUID = 1L;

        final Map<String, String> entries = new LinkedHashMap<>();
        final Set<String> duplicates = new LinkedHashSet<>();

        @Override
        public synchronized Object put(Object key, Object value) {
            String name = (String) key;
            if (entries.containsKey(name)) {
                duplicates.add(name);
            }
            entries.put(name, (String) value);
            return super.put(key, value);
        }
    }
}

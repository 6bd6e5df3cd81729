package org.sluice.platform.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;

/**
 * Checks one source, channel, sink or sink group configuration on its own, the same whether it came from a
 * properties file or straight from Config Admin (etc/*.cfg, the shell): the runtime calls
 * {@link #check} before it creates a component, the validator calls it for every component of a file.
 *
 * <p>{@link #checkShape} is what Flume itself requires of every component (a type; a source's channels; a
 * sink's one channel; a group's sinks; each interceptor's type). {@link #checkTypes} asks the
 * {@link TypeCatalog} about the component's type and those of its selector, interceptors or sink processor:
 * an unknown type or a value that does not convert is an ERROR; a key the type does not declare is a
 * WARNING. Problems about nested parts are reported on their owner with the full key
 * ({@code interceptors.i1.regex}, {@code selector.type}, {@code processor.backoff}).
 */
public final class ComponentCheck {

    /** The channel selector Flume uses when a source names none. */
    public static final String DEFAULT_SELECTOR = "replicating";
    /** The sink processor Flume uses when a group names none. */
    public static final String DEFAULT_PROCESSOR = "default";

    private static final String INTERCEPTORS_PREFIX = ConfigSchema.INTERCEPTORS + ".";

    private ComponentCheck() {
    }

    /** Every problem of the component: {@link #checkShape} then {@link #checkTypes}. */
    public static List<Problem> check(String agent, ComponentKind kind, String name, Map<String, String> properties,
            TypeCatalog catalog) {
        List<Problem> problems = new ArrayList<>(checkShape(agent, kind, name, properties));
        problems.addAll(checkTypes(agent, kind, name, properties, catalog));
        return problems;
    }

    /** What Flume requires of any component of {@code kind}, without looking at its type. */
    public static List<Problem> checkShape(String agent, ComponentKind kind, String name,
            Map<String, String> properties) {
        List<Problem> problems = new ArrayList<>();
        switch (kind) {
            case SOURCE:
                requireType(agent, kind, name, properties, problems);
                if (ComponentDefinition.splitList(properties.get(ConfigSchema.CHANNELS)).isEmpty()) {
                    problems.add(Problem.error(agent, kind, name, ConfigSchema.CHANNELS,
                            "a source needs at least one channel; the source is not started"));
                }
                for (String interceptor : interceptors(properties)) {
                    String typeKey = INTERCEPTORS_PREFIX + interceptor + "." + ConfigSchema.TYPE;
                    if (blank(properties.get(typeKey))) {
                        problems.add(Problem.error(agent, kind, name, typeKey, "interceptor '" + interceptor
                                + "' is listed in interceptors but has no type; the source is not started"));
                    }
                }
                break;
            case CHANNEL:
                requireType(agent, kind, name, properties, problems);
                break;
            case SINK:
                requireType(agent, kind, name, properties, problems);
                List<String> channels = ComponentDefinition.splitList(properties.get(ConfigSchema.CHANNEL));
                if (channels.isEmpty()) {
                    problems.add(Problem.error(agent, kind, name, ConfigSchema.CHANNEL,
                            "a sink needs a channel; the sink is not started"));
                } else if (channels.size() > 1) {
                    problems.add(Problem.error(agent, kind, name, ConfigSchema.CHANNEL, "names " + channels.size()
                            + " channels (" + String.join(" ", channels) + "); a sink takes events from exactly one;"
                            + " the sink is not started"));
                }
                break;
            case SINKGROUP:
                if (ComponentDefinition.splitList(properties.get(ConfigSchema.SINKS)).isEmpty()) {
                    problems.add(Problem.error(agent, kind, name, ConfigSchema.SINKS,
                            "a sink group needs its sinks; the group is not started"));
                }
                break;
            default:
                throw new IllegalArgumentException(kind + " is not configured on its own");
        }
        return problems;
    }

    /**
     * What the installed types say of the component: unknown types, values that do not convert, keys the
     * type does not declare. Parts without a type are skipped ({@link #checkShape} reports them).
     */
    public static List<Problem> checkTypes(String agent, ComponentKind kind, String name,
            Map<String, String> properties, TypeCatalog catalog) {
        Part part = new Part(agent, kind, name, catalog, new ArrayList<>());
        Map<String, String> own = withoutBookkeeping(properties);
        if (properties.containsKey(SecretKeys.FROM_FILTERS)) {
            // Kept so that values from config filters are never quoted in a problem; never reported as a key.
            own.put(SecretKeys.FROM_FILTERS, properties.get(SecretKeys.FROM_FILTERS));
        }
        switch (kind) {
            case SOURCE:
                part.check(kind, "", own.get(ConfigSchema.TYPE), sourceKeys(own));
                Map<String, String> selector = ComponentDefinition.subProperties(own, ConfigSchema.SELECTOR_PREFIX);
                part.check(ComponentKind.CHANNEL_SELECTOR, ConfigSchema.SELECTOR_PREFIX,
                        selector.getOrDefault(ConfigSchema.TYPE, DEFAULT_SELECTOR), withoutType(selector));
                List<String> interceptors = interceptors(own);
                for (String interceptor : interceptors) {
                    String prefix = INTERCEPTORS_PREFIX + interceptor + ".";
                    Map<String, String> keys = ComponentDefinition.subProperties(own, prefix);
                    part.check(ComponentKind.INTERCEPTOR, prefix, keys.get(ConfigSchema.TYPE), withoutType(keys));
                }
                for (String key : own.keySet()) {
                    if (key.startsWith(INTERCEPTORS_PREFIX)) {
                        String rest = key.substring(INTERCEPTORS_PREFIX.length());
                        String interceptor = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
                        if (!interceptors.contains(interceptor)) {
                            part.problems.add(Problem.warning(agent, kind, name, key, "interceptor '" + interceptor
                                    + "' is not listed in interceptors; ignored"));
                        }
                    }
                }
                break;
            case CHANNEL:
                part.check(kind, "", own.get(ConfigSchema.TYPE), without(own, Set.of(ConfigSchema.TYPE)));
                break;
            case SINK:
                part.check(kind, "", own.get(ConfigSchema.TYPE),
                        without(own, Set.of(ConfigSchema.TYPE, ConfigSchema.CHANNEL)));
                break;
            case SINKGROUP:
                Map<String, String> processor = ComponentDefinition.subProperties(own, ConfigSchema.PROCESSOR_PREFIX);
                String processorType = processor.getOrDefault(ConfigSchema.TYPE, DEFAULT_PROCESSOR);
                String selectorKey = part.sinkSelectorKey(processorType, processor);
                Map<String, String> processorKeys = withoutType(processor);
                if (selectorKey != null) {
                    // The selector's keys are checked against the selector's type, not the processor's.
                    String selectorPrefix = selectorKey + ".";
                    processorKeys.keySet().removeIf(key -> key.startsWith(selectorPrefix));
                    part.check(ComponentKind.SINK_SELECTOR, ConfigSchema.PROCESSOR_PREFIX + selectorPrefix,
                            ConfigSchema.PROCESSOR_PREFIX + selectorKey, processor.get(selectorKey),
                            ComponentDefinition.subProperties(processor, selectorPrefix));
                }
                part.check(ComponentKind.SINK_PROCESSOR, ConfigSchema.PROCESSOR_PREFIX, processorType, processorKeys);
                for (String key : own.keySet()) {
                    if (!key.equals(ConfigSchema.SINKS) && !key.startsWith(ConfigSchema.PROCESSOR_PREFIX)
                            && !ConfigSchema.BOOKKEEPING.contains(key)) {
                        part.problems.add(Problem.warning(agent, kind, name, key, "is not a sink group key"
                                + " (sinks, processor.*); ignored"));
                    }
                }
                break;
            default:
                throw new IllegalArgumentException(kind + " is not configured on its own");
        }
        return part.problems;
    }

    /** One component, collecting the problems of its own type and its nested parts. */
    private record Part(String agent, ComponentKind ownerKind, String owner, TypeCatalog catalog,
            List<Problem> problems) {

        /**
         * @param kind      the kind the catalog is asked for
         * @param keyPrefix how the part's keys appear in the owner's ({@code ""}, {@code selector.})
         * @param type      the part's type; null to skip (reported by the shape check)
         * @param keys      the part's keys without its prefix and structural keys
         */
        void check(ComponentKind kind, String keyPrefix, String type, Map<String, String> keys) {
            check(kind, keyPrefix, keyPrefix + ConfigSchema.TYPE, type, keys);
        }

        /**
         * Which processor key names a sink selector from the registry, as the installed processor type says;
         * null when the type is not installed (its own check reports that) or names none.
         */
        String sinkSelectorKey(String processorType, Map<String, String> processorKeys) {
            if (blank(processorType)) {
                return null;
            }
            Optional<TypeCatalog.TypeInfo> provider = catalog.lookup(ComponentKind.SINK_PROCESSOR, processorType.trim());
            if (provider.isEmpty()) {
                return null;
            }
            try {
                return provider.get().sinkSelectorKeyFor(processorKeys);
            } catch (RuntimeException e) {
                problems.add(Problem.error(agent, ownerKind, owner, ConfigSchema.PROCESSOR_PREFIX + ConfigSchema.TYPE,
                        "sink processor '" + processorType.trim() + "' (" + provider.get().bundle() + ") cannot tell"
                        + " which sink selector it needs: " + e));
                return null;
            }
        }

        /** @param typeKey the owner's key that names the part's type */
        void check(ComponentKind kind, String keyPrefix, String typeKey, String type, Map<String, String> keys) {
            if (blank(type)) {
                return;
            }
            Optional<TypeCatalog.TypeInfo> provider = catalog.lookup(kind, type.trim());
            if (provider.isEmpty()) {
                problems.add(Problem.error(agent, ownerKind, owner, typeKey, "no installed"
                        + " bundle provides " + describe(kind) + " of type '" + type.trim() + "'"));
                return;
            }
            Class<?> configurationType = provider.get().configurationType();
            if (configurationType == null) {
                return;
            }
            String component = keyPrefix.isEmpty() ? owner
                    : owner + "." + keyPrefix.substring(0, keyPrefix.length() - 1);
            try {
                for (ConfigurationException violation : TypedConfiguration.violations(configurationType, keys,
                        agent, component)) {
                    problems.add(Problem.error(agent, ownerKind, owner, keyPrefix + violation.key(),
                            Problem.detailOf(violation)));
                }
                for (ConfigurationException fallback : TypedConfiguration.warnings(configurationType, keys, agent,
                        component)) {
                    problems.add(Problem.warning(agent, ownerKind, owner, keyPrefix + fallback.key(),
                            Problem.detailOf(fallback)));
                }
                Set<String> declared = TypedConfiguration.keys(configurationType);
                Set<String> open = provider.get().openKeyPrefixes() == null ? Set.of()
                        : provider.get().openKeyPrefixes();
                for (String key : keys.keySet()) {
                    if (!declared.contains(key) && open.stream().noneMatch(key::startsWith)
                            && !ConfigSchema.BOOKKEEPING.contains(key)) {
                        problems.add(Problem.warning(agent, ownerKind, owner, keyPrefix + key, "is not a key of "
                                + describe(kind) + " of type '" + type.trim() + "' (" + provider.get().bundle()
                                + "); ignored"));
                    }
                }
            } catch (RuntimeException e) {
                // A factory whose configuration type cannot be read is a plugin bug; say so rather than fail the check.
                problems.add(Problem.error(agent, ownerKind, owner, typeKey, "the configuration"
                        + " type of '" + type.trim() + "' (" + provider.get().bundle() + ") cannot be read: " + e));
            }
        }
    }

    private static String describe(ComponentKind kind) {
        switch (kind) {
            case SOURCE:
                return "a source";
            case CHANNEL:
                return "a channel";
            case SINK:
                return "a sink";
            case INTERCEPTOR:
                return "an interceptor";
            case CHANNEL_SELECTOR:
                return "a channel selector";
            case SINK_PROCESSOR:
                return "a sink processor";
            case SINK_SELECTOR:
                return "a sink selector";
            default:
                return "a " + kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static void requireType(String agent, ComponentKind kind, String name, Map<String, String> properties,
            List<Problem> problems) {
        if (blank(properties.get(ConfigSchema.TYPE))) {
            problems.add(Problem.error(agent, kind, name, ConfigSchema.TYPE,
                    "has no type; the " + kind.name().toLowerCase(java.util.Locale.ROOT) + " is not started"));
        }
    }

    private static List<String> interceptors(Map<String, String> properties) {
        return ComponentDefinition.splitList(properties.get(ConfigSchema.INTERCEPTORS));
    }

    /** A source's own keys: everything but type, channels, the selector's and the interceptors'. */
    private static Map<String, String> sourceKeys(Map<String, String> properties) {
        Map<String, String> keys = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            if (!key.equals(ConfigSchema.TYPE) && !key.equals(ConfigSchema.CHANNELS)
                    && !key.startsWith(ConfigSchema.SELECTOR_PREFIX) && !key.equals(ConfigSchema.INTERCEPTORS)
                    && !key.startsWith(INTERCEPTORS_PREFIX)) {
                keys.put(key, value);
            }
        });
        return keys;
    }

    private static Map<String, String> withoutBookkeeping(Map<String, String> properties) {
        return without(properties, ConfigSchema.BOOKKEEPING);
    }

    private static Map<String, String> withoutType(Map<String, String> properties) {
        return without(properties, Set.of(ConfigSchema.TYPE));
    }

    private static Map<String, String> without(Map<String, String> properties, Set<String> excluded) {
        Map<String, String> kept = new LinkedHashMap<>(properties);
        kept.keySet().removeAll(excluded);
        return kept;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}

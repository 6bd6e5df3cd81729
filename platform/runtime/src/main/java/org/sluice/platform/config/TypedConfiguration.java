package org.sluice.platform.config;

import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.DefaultWhenUnparsable;
import org.sluice.api.component.IncludeKeys;
import org.sluice.api.component.Range;

/**
 * Reads a component's string properties through an annotation type whose elements name the keys, the way
 * OSGi component property types do ({@code sink_directory} is {@code sink.directory}, {@code keep$_$alive}
 * is {@code keep-alive}, {@code a__b} is {@code a_b}). Every element is converted when the view is made, so
 * a bad value fails at configuration time with the key in the message, never later inside a running
 * component.
 *
 * <p>Written here rather than taken from the OSGi Converter because errors must name the agent, component
 * and Flume key, and the same key mapping tells the validator which keys a component does not know.
 *
 * <p>It is the one rule set of a running agent and of {@code validate}: an element's {@link Range} and Flume's
 * tolerance ({@link DefaultWhenUnparsable}, {@link Range#fallBack()}) are applied here, for both. A value Flume
 * would replace by its default gives the default and a warning (logged by {@link #view}, reported by
 * {@link #warnings}); secret values ({@link SecretKeys}) are never quoted.
 *
 * <p>The keys a type includes ({@link IncludeKeys}) count as its own for every check here; the view itself has
 * only the type's own elements.
 */
public final class TypedConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(TypedConfiguration.class);

    private TypedConfiguration() {
    }

    /** The typed view of {@code properties}; elements without a value take their declared default. */
    public static <A> A view(Class<A> type, Map<String, String> properties, String agent, String component)
            throws ConfigurationException {
        requireAnnotation(type);
        Map<String, Object> values = new LinkedHashMap<>();
        List<ConfigurationException> warnings = new ArrayList<>();
        for (Method element : type.getDeclaredMethods()) {
            values.put(element.getName(), valueOf(element, properties, agent, component, warnings));
        }
        for (Method element : elements(type)) {
            if (element.getDeclaringClass() != type) {
                // Converted only to fail here, by key, as the type's own elements do.
                valueOf(element, properties, agent, component, warnings);
            }
        }
        for (ConfigurationException warning : warnings) {
            LOG.warn("{}", warning.getMessage());
        }
        Map<String, String> shownProperties = properties;
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "annotationType":
                            return type;
                        case "toString":
                            return type.getSimpleName() + render(values, shownProperties);
                        case "hashCode":
                            return values.hashCode();
                        case "equals":
                            return proxy == args[0];
                        default:
                            Object value = values.get(method.getName());
                            return value != null && value.getClass().isArray() ? cloneArray(value) : value;
                    }
                }));
    }

    /**
     * Every problem {@link #view} would throw for, not only the first: a validator reports them all at once.
     * Empty when {@code view} succeeds. (Added for the validator, beside the lead's view.)
     */
    public static List<ConfigurationException> violations(Class<?> type, Map<String, String> properties,
            String agent, String component) {
        requireAnnotation(type);
        List<ConfigurationException> violations = new ArrayList<>();
        List<ConfigurationException> ignored = new ArrayList<>();
        for (Method element : elements(type)) {
            try {
                valueOf(element, properties, agent, component, ignored);
            } catch (ConfigurationException e) {
                violations.add(e);
            }
        }
        return violations;
    }

    /**
     * The values Flume's tolerance replaces by their default, each as a message naming the key: what
     * {@link #view} logs as warnings, for the validator to report the same.
     */
    public static List<ConfigurationException> warnings(Class<?> type, Map<String, String> properties,
            String agent, String component) {
        requireAnnotation(type);
        List<ConfigurationException> warnings = new ArrayList<>();
        for (Method element : elements(type)) {
            try {
                valueOf(element, properties, agent, component, warnings);
            } catch (ConfigurationException e) {
                // An error, which violations() reports.
            }
        }
        return warnings;
    }

    private static Object valueOf(Method element, Map<String, String> properties, String agent, String component,
            List<ConfigurationException> warnings) throws ConfigurationException {
        String key = keyOf(element);
        String raw = properties.get(key);
        if (raw == null) {
            Object value = element.getDefaultValue();
            if (value == null) {
                throw new ConfigurationException(agent, component, key, "is required and has no value");
            }
            return value;
        }
        String shown = "'" + SecretKeys.shown(key, raw.trim(), properties) + "'";
        Object value;
        try {
            value = convert(raw.trim(), element.getReturnType(), agent, component, key, shown);
        } catch (ConfigurationException e) {
            if (element.isAnnotationPresent(DefaultWhenUnparsable.class) && element.getDefaultValue() != null) {
                warnings.add(new ConfigurationException(agent, component, key, shown + " is not a valid "
                        + element.getReturnType().getSimpleName() + "; using the default, " + element.getDefaultValue()
                        + ", as Flume does"));
                return element.getDefaultValue();
            }
            throw e;
        }
        Range range = element.getAnnotation(Range.class);
        if (range != null && value instanceof Number number) {
            long given = number.longValue();
            if (given < range.min() || given > range.max()) {
                String allowed = range.max() == Long.MAX_VALUE ? "at least " + range.min()
                        : range.min() == Long.MIN_VALUE ? "at most " + range.max()
                        : "between " + range.min() + " and " + range.max();
                if (range.fallBack() && element.getDefaultValue() != null) {
                    warnings.add(new ConfigurationException(agent, component, key, "must be " + allowed + ", was "
                            + SecretKeys.shown(key, raw.trim(), properties) + "; using the default, "
                            + element.getDefaultValue() + ", as Flume does"));
                    return element.getDefaultValue();
                }
                throw new ConfigurationException(agent, component, key, "must be " + allowed + ", was "
                        + SecretKeys.shown(key, raw.trim(), properties));
            }
        }
        return value;
    }

    /** The keys an annotation type declares and includes ({@link IncludeKeys}), in declaration order. */
    public static Set<String> keys(Class<?> type) {
        requireAnnotation(type);
        Set<String> keys = new LinkedHashSet<>();
        for (Method element : elements(type)) {
            keys.add(keyOf(element));
        }
        return keys;
    }

    /**
     * The elements of {@code type} and of every type it includes, recursively, each type once; a key declared
     * twice on the way counts once (the first).
     */
    static List<Method> elements(Class<?> type) {
        Map<String, Method> byKey = new LinkedHashMap<>();
        collect(type, new LinkedHashSet<>(), byKey);
        return new ArrayList<>(byKey.values());
    }

    private static void collect(Class<?> type, Set<Class<?>> seen, Map<String, Method> byKey) {
        requireAnnotation(type);
        if (!seen.add(type)) {
            return;
        }
        for (Method element : type.getDeclaredMethods()) {
            byKey.putIfAbsent(keyOf(element), element);
        }
        IncludeKeys included = type.getAnnotation(IncludeKeys.class);
        if (included != null) {
            for (Class<?> other : included.value()) {
                collect(other, seen, byKey);
            }
        }
    }

    /** The property key of an element name by the component property type rules. */
    public static String keyOf(Method element) {
        return keyOf(element.getName());
    }

    static String keyOf(String name) {
        StringBuilder key = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '$') {
                if (i + 1 < name.length() && name.charAt(i + 1) == '$') {
                    key.append('$');
                    i++;
                } else if (i + 2 < name.length() && name.charAt(i + 1) == '_' && name.charAt(i + 2) == '$') {
                    key.append('-');
                    i += 2;
                }
                // a lone '$' stands for nothing
            } else if (c == '_') {
                if (i + 1 < name.length() && name.charAt(i + 1) == '_') {
                    key.append('_');
                    i++;
                } else {
                    key.append('.');
                }
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    /** @param shown how the value may appear in a message: quoted, or redacted if secret */
    private static Object convert(String raw, Class<?> target, String agent, String component, String key,
            String shown) throws ConfigurationException {
        try {
            if (target == String.class) {
                return raw;
            }
            if (target == int.class) {
                return Integer.parseInt(raw);
            }
            if (target == long.class) {
                return Long.parseLong(raw);
            }
            if (target == boolean.class) {
                if (raw.equalsIgnoreCase("true")) {
                    return true;
                }
                if (raw.equalsIgnoreCase("false")) {
                    return false;
                }
                throw new IllegalArgumentException();
            }
            if (target == double.class) {
                return Double.parseDouble(raw);
            }
            if (target == float.class) {
                return Float.parseFloat(raw);
            }
            if (target == short.class) {
                return Short.parseShort(raw);
            }
            if (target == byte.class) {
                return Byte.parseByte(raw);
            }
            if (target == char.class) {
                if (raw.length() != 1) {
                    throw new IllegalArgumentException();
                }
                return raw.charAt(0);
            }
            if (target.isEnum()) {
                for (Object constant : target.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equalsIgnoreCase(raw)) {
                        return constant;
                    }
                }
                throw new ConfigurationException(agent, component, key, shown + " is not one of "
                        + Arrays.toString(target.getEnumConstants()));
            }
            if (target.isArray()) {
                // Flume lists are separated by white space ("channels = c1 c2"); commas are accepted too.
                String[] parts = raw.isEmpty() ? new String[0] : raw.split("[\\s,]+");
                Object array = Array.newInstance(target.getComponentType(), parts.length);
                for (int i = 0; i < parts.length; i++) {
                    Array.set(array, i, convert(parts[i], target.getComponentType(), agent, component, key, shown));
                }
                return array;
            }
        } catch (IllegalArgumentException e) {
            // NumberFormatException included.
            throw new ConfigurationException(agent, component, key, shown + " is not a valid "
                    + target.getSimpleName(), e);
        }
        throw new IllegalArgumentException("configuration element of unsupported type " + target + " for " + key);
    }

    private static Object cloneArray(Object array) {
        int length = Array.getLength(array);
        Object copy = Array.newInstance(array.getClass().getComponentType(), length);
        System.arraycopy(array, 0, copy, 0, length);
        return copy;
    }

    /** The view as text, with secret values redacted: it may end up in a log line. */
    private static String render(Map<String, Object> values, Map<String, String> properties) {
        StringBuilder out = new StringBuilder("{");
        values.forEach((name, value) -> {
            String key = keyOf(name);
            out.append(out.length() > 1 ? ", " : "").append(key).append('=');
            if (SecretKeys.isSecret(key, properties)) {
                out.append(SecretKeys.REDACTED);
            } else {
                out.append(value != null && value.getClass().isArray() ? arrayToString(value) : value);
            }
        });
        return out.append('}').toString();
    }

    private static String arrayToString(Object array) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < Array.getLength(array); i++) {
            out.append(i > 0 ? ", " : "").append(Array.get(array, i));
        }
        return out.append(']').toString();
    }

    private static void requireAnnotation(Class<?> type) {
        if (!type.isAnnotation() || !Annotation.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(type + " is not an annotation type");
        }
    }
}

package org.sluice.api.component;

import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * How a component's keys are read through its configuration type ({@link ComponentFactory#configurationType()}):
 * the one rule set of a running agent, of {@code validate} and of the API test kit, so a plugin's unit tests see
 * the keys, bounds and defaults the agent applies.
 *
 * <ul>
 * <li>An element names its key as OSGi component property types do: {@code sink_directory()} reads
 * {@code sink.directory}, {@code keep$_$alive()} reads {@code keep-alive}, {@code a__b()} reads {@code a_b},
 * {@code a$$b()} reads {@code a$b}; a lone {@code $} stands for nothing.</li>
 * <li>A value is trimmed and converted to the element's type: {@code String}, the primitives, an enum by name in
 * any case, or an array of these (Flume's lists: separated by white space or commas). A missing key takes the
 * element's default; an element without one is required.</li>
 * <li>{@link Range} bounds a number. {@link Range#fallBack()} and {@link DefaultWhenUnparsable} are Flume's
 * tolerance: the value is replaced by the element's default, with a warning.</li>
 * <li>The keys of the types a type includes ({@link IncludeKeys}) are converted and checked as its own; the view
 * has only the type's own elements.</li>
 * </ul>
 *
 * <p>Every problem is a {@link ConfigurationException} naming agent, component and key. Errors and warnings are
 * returned, never logged: the caller decides (the agent logs the warnings, {@code validate} reports them). How a
 * value appears in a message and in the view's {@code toString} is the caller's {@link ValueShown}, so the
 * platform can redact secrets.
 *
 * <p>Written here rather than taken from the OSGi Converter because errors must name the agent, component and
 * Flume key, and the same key mapping tells the validator which keys a component does not know. A plugin does not
 * call this: it gets its view from {@link ComponentContext#config(Class)}.
 */
public final class ConfigurationRules {

    /** How a configured value may be shown in a message or a view's text. */
    @ConsumerType
    @FunctionalInterface
    public interface ValueShown {
        /**
         * @param key the key the value belongs to
         * @param value the value as configured (trimmed), or as converted
         * @return the text to show in its place
         */
        String show(String key, String value);
    }

    /** Every value shown as it is: nothing is secret. */
    public static final ValueShown AS_CONFIGURED = (key, value) -> value;

    private ConfigurationRules() {
    }

    /**
     * Reads {@code properties}, the keys of component {@code component} of {@code agent}, through annotation type
     * {@code type} and the types it includes.
     *
     * @throws IllegalArgumentException if {@code type} is not an annotation type or an element has a type these
     *         rules do not convert: a mistake of the plugin, not of the configuration
     */
    public static <A> Reading<A> read(Class<A> type, Map<String, String> properties, String agent,
            String component, ValueShown shown) {
        requireAnnotation(type);
        Reader reader = new Reader(properties, agent, component, shown);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Method element : type.getDeclaredMethods()) {
            Object value = reader.valueOf(element);
            if (value != null) {
                values.put(element.getName(), value);
            }
        }
        for (Method element : elements(type)) {
            if (element.getDeclaringClass() != type) {
                // Converted only to report its problems, by key, as the type's own elements do.
                reader.valueOf(element);
            }
        }
        return new Reading<>(type, values, reader.violations, reader.warnings, shown);
    }

    /** The keys an annotation type declares and includes ({@link IncludeKeys}), in declaration order. */
    public static Set<String> keys(Class<?> type) {
        requireAnnotation(type);
        Set<String> keys = new LinkedHashSet<>();
        for (Method element : elements(type)) {
            keys.add(keyOf(element.getName()));
        }
        return keys;
    }

    /** The key an element name reads, by the component property type rules. */
    public static String keyOf(String elementName) {
        StringBuilder key = new StringBuilder(elementName.length());
        for (int i = 0; i < elementName.length(); i++) {
            char c = elementName.charAt(i);
            if (c == '$') {
                if (i + 1 < elementName.length() && elementName.charAt(i + 1) == '$') {
                    key.append('$');
                    i++;
                } else if (i + 2 < elementName.length() && elementName.charAt(i + 1) == '_'
                        && elementName.charAt(i + 2) == '$') {
                    key.append('-');
                    i += 2;
                }
                // a lone '$' stands for nothing
            } else if (c == '_') {
                if (i + 1 < elementName.length() && elementName.charAt(i + 1) == '_') {
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

    /** What {@link #read} found: the view, or why there is none, and the values Flume's tolerance replaced. */
    public static final class Reading<A> {
        private final Class<A> type;
        private final Map<String, Object> values;
        private final List<ConfigurationException> violations;
        private final List<ConfigurationException> warnings;
        private final ValueShown shown;

        private Reading(Class<A> type, Map<String, Object> values, List<ConfigurationException> violations,
                List<ConfigurationException> warnings, ValueShown shown) {
            this.type = type;
            this.values = values;
            this.violations = Collections.unmodifiableList(violations);
            this.warnings = Collections.unmodifiableList(warnings);
            this.shown = shown;
        }

        /**
         * The typed view: its elements return the converted values (a fresh copy of an array each time), its
         * {@code toString} lists keys and values as {@link ValueShown} shows them.
         *
         * @throws ConfigurationException the first of the {@link #violations()}
         */
        public A view() throws ConfigurationException {
            if (!violations.isEmpty()) {
                throw violations.get(0);
            }
            return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "annotationType" -> type;
                        case "toString" -> type.getSimpleName() + render();
                        case "hashCode" -> values.hashCode();
                        case "equals" -> proxy == args[0];
                        default -> copyIfArray(values.get(method.getName()));
                    }));
        }

        /** Every value that is an error, in the order of the type's elements and then the included ones. */
        public List<ConfigurationException> violations() {
            return violations;
        }

        /** Every value replaced by its element's default as Flume does, each naming its key. */
        public List<ConfigurationException> warnings() {
            return warnings;
        }

        private String render() {
            StringBuilder out = new StringBuilder("{");
            values.forEach((name, value) -> {
                String key = keyOf(name);
                out.append(out.length() > 1 ? ", " : "").append(key).append('=')
                        .append(shown.show(key, value.getClass().isArray() ? arrayToString(value) : value.toString()));
            });
            return out.append('}').toString();
        }
    }

    /** Reads the elements of one component's configuration, collecting what is wrong. */
    private static final class Reader {
        private final Map<String, String> properties;
        private final String agent;
        private final String component;
        private final ValueShown shown;
        private final List<ConfigurationException> violations = new ArrayList<>();
        private final List<ConfigurationException> warnings = new ArrayList<>();

        Reader(Map<String, String> properties, String agent, String component, ValueShown shown) {
            this.properties = properties;
            this.agent = agent;
            this.component = component;
            this.shown = shown;
        }

        /** The element's value, or null after adding why it has none to the violations. */
        Object valueOf(Method element) {
            String key = keyOf(element.getName());
            String raw = properties.get(key);
            Object fallback = element.getDefaultValue();
            if (raw == null) {
                if (fallback == null) {
                    violations.add(new ConfigurationException(agent, component, key, "is required and has no value"));
                }
                return fallback;
            }
            String value = raw.trim();
            String quoted = "'" + shown.show(key, value) + "'";
            Object converted;
            try {
                converted = convert(value, element.getReturnType(), key, quoted);
            } catch (ConfigurationException e) {
                if (element.isAnnotationPresent(DefaultWhenUnparsable.class) && fallback != null) {
                    warnings.add(new ConfigurationException(agent, component, key, quoted + " is not a valid "
                            + element.getReturnType().getSimpleName() + "; using the default, " + fallback
                            + ", as Flume does"));
                    return fallback;
                }
                violations.add(e);
                return null;
            }
            Range range = element.getAnnotation(Range.class);
            if (range != null && converted instanceof Number number && outside(number, range)) {
                String outside = "must be " + allowed(range) + ", was " + shown.show(key, value);
                if (range.fallBack() && fallback != null) {
                    warnings.add(new ConfigurationException(agent, component, key, outside + "; using the default, "
                            + fallback + ", as Flume does"));
                    return fallback;
                }
                violations.add(new ConfigurationException(agent, component, key, outside));
                return null;
            }
            return converted;
        }

        /**
         * Whether a value lies outside its bounds. A fractional value is compared as it is (1.5 is above a maximum
         * of 1; its {@code longValue()} would not be), and NaN is outside every range.
         */
        private static boolean outside(Number number, Range range) {
            if (number instanceof Double || number instanceof Float) {
                double value = number.doubleValue();
                return Double.isNaN(value)
                        || (range.min() != Long.MIN_VALUE && value < range.min())
                        || (range.max() != Long.MAX_VALUE && value > range.max());
            }
            return number.longValue() < range.min() || number.longValue() > range.max();
        }

        /** @param quoted how the value may appear in a message: quoted, as {@link ValueShown} shows it */
        private Object convert(String raw, Class<?> target, String key, String quoted) throws ConfigurationException {
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
                    throw new ConfigurationException(agent, component, key, quoted + " is not one of "
                            + Arrays.toString(target.getEnumConstants()));
                }
                if (target.isArray()) {
                    // Flume lists are separated by white space ("channels = c1 c2"); commas are accepted too.
                    String[] parts = raw.isEmpty() ? new String[0] : raw.split("[\\s,]+");
                    Object array = Array.newInstance(target.getComponentType(), parts.length);
                    for (int i = 0; i < parts.length; i++) {
                        Array.set(array, i, convert(parts[i], target.getComponentType(), key, quoted));
                    }
                    return array;
                }
            } catch (IllegalArgumentException e) {
                // NumberFormatException included.
                throw new ConfigurationException(agent, component, key, quoted + " is not a valid "
                        + target.getSimpleName(), e);
            }
            throw new IllegalArgumentException("configuration element of unsupported type " + target + " for " + key);
        }
    }

    private static String allowed(Range range) {
        if (range.max() == Long.MAX_VALUE) {
            return "at least " + range.min();
        }
        if (range.min() == Long.MIN_VALUE) {
            return "at most " + range.max();
        }
        return "between " + range.min() + " and " + range.max();
    }

    /**
     * The elements of {@code type} and of every type it includes, recursively, each type once; a key declared
     * twice on the way counts once (the first).
     */
    private static List<Method> elements(Class<?> type) {
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
            byKey.putIfAbsent(keyOf(element.getName()), element);
        }
        IncludeKeys included = type.getAnnotation(IncludeKeys.class);
        if (included != null) {
            for (Class<?> other : included.value()) {
                collect(other, seen, byKey);
            }
        }
    }

    private static Object copyIfArray(Object value) {
        if (value == null || !value.getClass().isArray()) {
            return value;
        }
        int length = Array.getLength(value);
        Object copy = Array.newInstance(value.getClass().getComponentType(), length);
        System.arraycopy(value, 0, copy, 0, length);
        return copy;
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

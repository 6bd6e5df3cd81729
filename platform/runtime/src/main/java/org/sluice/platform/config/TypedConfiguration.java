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

import org.sluice.api.component.ConfigurationException;

/**
 * Reads a component's string properties through an annotation type whose elements name the keys, the way
 * OSGi component property types do ({@code sink_directory} is {@code sink.directory}, {@code keep$_$alive}
 * is {@code keep-alive}, {@code a__b} is {@code a_b}). Every element is converted when the view is made, so
 * a bad value fails at configuration time with the key in the message, never later inside a running
 * component.
 *
 * <p>Written here rather than taken from the OSGi Converter because errors must name the agent, component
 * and Flume key, and the same key mapping tells the validator which keys a component does not know.
 */
public final class TypedConfiguration {

    private TypedConfiguration() {
    }

    /** The typed view of {@code properties}; elements without a value take their declared default. */
    public static <A> A view(Class<A> type, Map<String, String> properties, String agent, String component)
            throws ConfigurationException {
        requireAnnotation(type);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Method element : type.getDeclaredMethods()) {
            values.put(element.getName(), valueOf(element, properties, agent, component));
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "annotationType":
                            return type;
                        case "toString":
                            return type.getSimpleName() + render(values);
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
        for (Method element : type.getDeclaredMethods()) {
            try {
                valueOf(element, properties, agent, component);
            } catch (ConfigurationException e) {
                violations.add(e);
            }
        }
        return violations;
    }

    private static Object valueOf(Method element, Map<String, String> properties, String agent, String component)
            throws ConfigurationException {
        String key = keyOf(element);
        String raw = properties.get(key);
        if (raw == null) {
            Object value = element.getDefaultValue();
            if (value == null) {
                throw new ConfigurationException(agent, component, key, "is required and has no value");
            }
            return value;
        }
        return convert(raw.trim(), element.getReturnType(), agent, component, key);
    }

    /** The keys an annotation type declares, in declaration order. */
    public static Set<String> keys(Class<?> type) {
        requireAnnotation(type);
        Set<String> keys = new LinkedHashSet<>();
        for (Method element : type.getDeclaredMethods()) {
            keys.add(keyOf(element));
        }
        return keys;
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

    private static Object convert(String raw, Class<?> target, String agent, String component, String key)
            throws ConfigurationException {
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
                throw new ConfigurationException(agent, component, key, "'" + raw + "' is not one of "
                        + Arrays.toString(target.getEnumConstants()));
            }
            if (target.isArray()) {
                // Flume lists are separated by white space ("channels = c1 c2"); commas are accepted too.
                String[] parts = raw.isEmpty() ? new String[0] : raw.split("[\\s,]+");
                Object array = Array.newInstance(target.getComponentType(), parts.length);
                for (int i = 0; i < parts.length; i++) {
                    Array.set(array, i, convert(parts[i], target.getComponentType(), agent, component, key));
                }
                return array;
            }
        } catch (NumberFormatException e) {
            throw new ConfigurationException(agent, component, key,
                    "'" + raw + "' is not a valid " + target.getSimpleName(), e);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(agent, component, key,
                    "'" + raw + "' is not a valid " + target.getSimpleName(), e);
        }
        throw new IllegalArgumentException("configuration element of unsupported type " + target + " for " + key);
    }

    private static Object cloneArray(Object array) {
        int length = Array.getLength(array);
        Object copy = Array.newInstance(array.getClass().getComponentType(), length);
        System.arraycopy(array, 0, copy, 0, length);
        return copy;
    }

    private static String render(Map<String, Object> values) {
        StringBuilder out = new StringBuilder("{");
        values.forEach((name, value) -> out.append(out.length() > 1 ? ", " : "").append(keyOf(name)).append('=')
                .append(value != null && value.getClass().isArray() ? arrayToString(value) : value));
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

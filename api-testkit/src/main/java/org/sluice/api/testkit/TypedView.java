package org.sluice.api.testkit;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sluice.api.component.ConfigurationException;

/**
 * {@link org.sluice.api.component.ComponentContext#config(Class)} by the rules the API documents, for tests
 * that run without the platform: an annotation element names its key as OSGi component property types do
 * ({@code sink_directory()} reads {@code sink.directory}, {@code keep$_$alive()} reads {@code keep-alive},
 * {@code a__b()} reads {@code a_b}); values are trimmed and converted to the element's type (String, the
 * primitives, enums by name in any case, arrays of them separated by white space or commas); a missing key
 * takes the element's default, and has no value at all when there is none. A value that does not convert
 * throws {@link ConfigurationException} naming the key, as the platform does. The platform's own tests check
 * that this view and the platform's agree.
 */
public final class TypedView {

    /** The escapes of an element name, matched left to right as the OSGi rules read them. */
    private static final Pattern ESCAPES = Pattern.compile("\\$_\\$|\\$\\$|\\$|__|_");

    private static final Pattern LIST_SEPARATORS = Pattern.compile("[\\s,]+");

    private static final Map<Class<?>, Function<String, Object>> SCALARS = Map.of(
            String.class, value -> value,
            int.class, Integer::valueOf,
            long.class, Long::valueOf,
            short.class, Short::valueOf,
            byte.class, Byte::valueOf,
            double.class, Double::valueOf,
            float.class, Float::valueOf,
            boolean.class, TypedView::strictBoolean,
            char.class, TypedView::singleChar);

    private TypedView() {
    }

    /** The typed view of {@code properties} through annotation type {@code type}, for component {@code component} of {@code agent}. */
    public static <A> A of(Class<A> type, Map<String, String> properties, String agent, String component)
            throws ConfigurationException {
        if (!type.isAnnotation()) {
            throw new IllegalArgumentException(type + " is not an annotation type");
        }
        Map<String, Object> values = new HashMap<>();
        for (Method element : type.getDeclaredMethods()) {
            String key = keyOf(element.getName());
            String raw = properties.get(key);
            Object value = raw == null ? element.getDefaultValue()
                    : convert(raw.trim(), element.getReturnType(), agent, component, key);
            if (value == null) {
                throw new ConfigurationException(agent, component, key, "is required and has no value");
            }
            values.put(element.getName(), value);
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> type.getSimpleName() + values;
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> copyIfArray(values.get(method.getName()));
                }));
    }

    /** The key an annotation element reads. */
    public static String keyOf(String elementName) {
        Matcher escapes = ESCAPES.matcher(elementName);
        return escapes.replaceAll(match -> Matcher.quoteReplacement(switch (match.group()) {
            case "$_$" -> "-";
            case "$$" -> "$";
            case "__" -> "_";
            case "_" -> ".";
            default -> "";
        }));
    }

    private static Object convert(String raw, Class<?> target, String agent, String component, String key)
            throws ConfigurationException {
        if (target.isArray()) {
            // A Flume list: white space between the items, or commas.
            List<Object> items = new ArrayList<>();
            for (String item : raw.isEmpty() ? new String[0] : LIST_SEPARATORS.split(raw)) {
                items.add(convert(item, target.getComponentType(), agent, component, key));
            }
            Object array = Array.newInstance(target.getComponentType(), items.size());
            for (ListIterator<Object> it = items.listIterator(); it.hasNext(); ) {
                Array.set(array, it.nextIndex(), it.next());
            }
            return array;
        }
        if (target.isEnum()) {
            return Arrays.stream(target.getEnumConstants())
                    .filter(constant -> ((Enum<?>) constant).name().equalsIgnoreCase(raw))
                    .findFirst()
                    .orElseThrow(() -> new ConfigurationException(agent, component, key, "'" + raw
                            + "' is not one of " + Arrays.toString(target.getEnumConstants())));
        }
        Function<String, Object> parser = SCALARS.get(target);
        if (parser == null) {
            throw new IllegalArgumentException("configuration element of unsupported type " + target + " for " + key);
        }
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(agent, component, key,
                    "'" + raw + "' is not a valid " + target.getSimpleName().toLowerCase(Locale.ROOT), e);
        }
    }

    private static Object strictBoolean(String raw) {
        if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
            return Boolean.valueOf(raw);
        }
        throw new IllegalArgumentException(raw);
    }

    private static Object singleChar(String raw) {
        if (raw.length() != 1) {
            throw new IllegalArgumentException(raw);
        }
        return raw.charAt(0);
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
}

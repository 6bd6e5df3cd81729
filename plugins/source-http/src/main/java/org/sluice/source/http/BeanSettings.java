package org.sluice.source.http;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Locale;
import java.util.Map;

import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/**
 * Flume's Jetty pass-through keys ({@code HttpConfiguration.sendServerVersion = false}): each key under a prefix is
 * given to the Jetty object's setter of that name ({@code setSendServerVersion}), its value converted to the setter's
 * parameter type. A key with no such setter, or a value that does not convert, fails the configuration naming the key.
 */
final class BeanSettings {
    private BeanSettings() {
    }

    static void apply(ComponentContext context, String prefix, Object bean) throws ConfigurationException {
        for (Map.Entry<String, String> setting : context.subProperties(prefix).entrySet()) {
            String key = prefix + setting.getKey();
            String name = setting.getKey();
            String setter = "set" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
            String value = setting.getValue().trim();
            boolean found = false;
            boolean applied = false;
            for (Method method : bean.getClass().getMethods()) {
                if (applied || !method.getName().equals(setter) || method.getParameterCount() != 1
                        || Modifier.isStatic(method.getModifiers())) {
                    continue;
                }
                found = true;
                Object argument = convert(method.getParameterTypes()[0], value);
                if (argument != null) {
                    invoke(context, key, bean, method, argument);
                    applied = true;
                }
            }
            if (!found) {
                throw context.configurationError(key, bean.getClass().getSimpleName() + " has no setting '" + name + "'");
            }
            if (!applied) {
                throw context.configurationError(key, "'" + value + "' is not a value " + bean.getClass().getSimpleName()
                        + "." + setter + " takes");
            }
        }
    }

    private static void invoke(ComponentContext context, String key, Object bean, Method method, Object argument)
            throws ConfigurationException {
        try {
            method.invoke(bean, argument);
        } catch (IllegalAccessException | InvocationTargetException e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            throw new ConfigurationException(context.agentName(), context.componentName(), key,
                    bean.getClass().getSimpleName() + "." + method.getName() + "(" + argument + ") failed: " + cause,
                    cause);
        }
    }

    /** The value as {@code type}, or null if it does not convert. */
    private static Object convert(Class<?> type, String value) {
        try {
            if (type == String.class) {
                return value;
            }
            if (type == int.class || type == Integer.class) {
                return Integer.valueOf(value);
            }
            if (type == long.class || type == Long.class) {
                return Long.valueOf(value);
            }
            if (type == boolean.class || type == Boolean.class) {
                String lower = value.toLowerCase(Locale.ROOT);
                return lower.equals("true") || lower.equals("false") ? Boolean.valueOf(lower) : null;
            }
            if (type == double.class || type == Double.class) {
                return Double.valueOf(value);
            }
            if (type == String[].class) {
                return value.isEmpty() ? new String[0] : value.split("[\\s,]+");
            }
            if (type.isEnum()) {
                for (Object constant : type.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equalsIgnoreCase(value)) {
                        return constant;
                    }
                }
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }
}

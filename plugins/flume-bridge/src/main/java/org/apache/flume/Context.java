package org.apache.flume;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import com.google.common.collect.ImmutableMap;

/**
 * Sluice's own implementation of Flume's component configuration, with Flume 1.11's public signatures and behaviour,
 * in Flume's package: this bundle's class path puts it before Flume's copy in flume-ng-configuration.
 *
 * <p>Why Sluice has its own: Flume 1.10 changed the declared return type of {@link #getParameters()} and
 * {@link #getSubProperties(String)} from Guava's {@code ImmutableMap} to {@code java.util.Map} (the returned object
 * stayed an ImmutableMap). A method's return type is part of how compiled code calls it, so every plugin built
 * against Flume 1.9 or earlier that calls either method fails in Flume 1.11 with a {@link NoSuchMethodError}. This
 * class declares the old return type and, through {@link MapTypedContextGetters}, also has the new one: plugins built
 * against any Flume 1.x run.
 */
public class Context implements MapTypedContextGetters {

    private final Map<String, String> parameters = Collections.synchronizedMap(new HashMap<>());

    public Context() {
    }

    public Context(Map<String, String> parameters) {
        putAll(parameters);
    }

    /** A copy of every key and value. */
    @Override
    public ImmutableMap<String, String> getParameters() {
        synchronized (parameters) {
            return ImmutableMap.copyOf(parameters);
        }
    }

    public void clear() {
        parameters.clear();
    }

    /**
     * The keys that start with {@code prefix}, without it, and their values; {@code prefix} must end with a period.
     *
     * @throws IllegalArgumentException if {@code prefix} does not end with a period
     */
    @Override
    public ImmutableMap<String, String> getSubProperties(String prefix) {
        if (!prefix.endsWith(".")) {
            throw new IllegalArgumentException("The given prefix does not end with a period (" + prefix + ")");
        }
        Map<String, String> below = new HashMap<>();
        synchronized (parameters) {
            parameters.forEach((key, value) -> {
                if (key.startsWith(prefix)) {
                    below.put(key.substring(prefix.length()), value);
                }
            });
        }
        return ImmutableMap.copyOf(below);
    }

    public void putAll(Map<String, String> map) {
        parameters.putAll(map);
    }

    public void put(String key, String value) {
        parameters.put(key, value);
    }

    public boolean containsKey(String key) {
        return parameters.containsKey(key);
    }

    public Boolean getBoolean(String key, Boolean defaultValue) {
        return trimmed(key, defaultValue, Boolean::valueOf);
    }

    public Boolean getBoolean(String key) {
        return getBoolean(key, null);
    }

    /** @throws NumberFormatException if the value, trimmed, is not an int */
    public Integer getInteger(String key, Integer defaultValue) {
        return trimmed(key, defaultValue, Integer::valueOf);
    }

    public Integer getInteger(String key) {
        return getInteger(key, null);
    }

    /** @throws NumberFormatException if the value, trimmed, is not a long */
    public Long getLong(String key, Long defaultValue) {
        return trimmed(key, defaultValue, Long::valueOf);
    }

    public Long getLong(String key) {
        return getLong(key, null);
    }

    /** The value as given, not trimmed. */
    public String getString(String key, String defaultValue) {
        String value = parameters.get(key);
        return value == null ? defaultValue : value;
    }

    public String getString(String key) {
        return getString(key, null);
    }

    /** @throws NumberFormatException if the value, trimmed, is not a float */
    public Float getFloat(String key, Float defaultValue) {
        return trimmed(key, defaultValue, Float::valueOf);
    }

    public Float getFloat(String key) {
        return getFloat(key, null);
    }

    /** @throws NumberFormatException if the value, trimmed, is not a double */
    public Double getDouble(String key, Double defaultValue) {
        return trimmed(key, defaultValue, Double::valueOf);
    }

    public Double getDouble(String key) {
        return getDouble(key, null);
    }

    /** The value of {@code key}, trimmed, parsed; {@code defaultValue} if there is none. */
    private <T> T trimmed(String key, T defaultValue, Function<String, T> parse) {
        String value = parameters.get(key);
        return value == null ? defaultValue : parse.apply(value.trim());
    }

    /** As Flume writes a context in its logs. */
    @Override
    public String toString() {
        return "{ parameters:" + parameters + " }";
    }
}

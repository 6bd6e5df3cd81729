package org.sluice.platform.config;

import java.util.Map;
import java.util.function.Function;

/**
 * Where {@code ${env:X}} and {@code ${sys:X}} references (and Flume's {@code env} config filter) look
 * their values up; an interface so tests and the platform choose the source.
 */
public interface Environment {

    /** The environment variable {@code name}, or null. */
    String variable(String name);

    /** The system (or framework) property {@code name}, or null. */
    String property(String name);

    /** The process environment and the JVM's system properties. */
    static Environment system() {
        return of(System::getenv, System::getProperty);
    }

    /** Variables from the process environment, properties from {@code properties} (a framework's). */
    static Environment withProperties(Function<String, String> properties) {
        return of(System::getenv, properties);
    }

    static Environment of(Function<String, String> variables, Function<String, String> properties) {
        return new Environment() {
            @Override
            public String variable(String name) {
                return variables.apply(name);
            }

            @Override
            public String property(String name) {
                return properties.apply(name);
            }
        };
    }

    /** Fixed values, for tests. */
    static Environment of(Map<String, String> variables, Map<String, String> properties) {
        return of(variables::get, properties::get);
    }
}

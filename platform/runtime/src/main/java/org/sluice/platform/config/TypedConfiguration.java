package org.sluice.platform.config;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.ConfigurationRules;

/**
 * A component's typed configuration as the agent and {@code validate} read it: the API's
 * {@link ConfigurationRules} (key mapping, conversion, ranges, Flume's tolerance, included keys), which the API test
 * kit applies too, with what only the platform adds: secret values ({@link SecretKeys}) are never quoted in a
 * message or in a view's text, and a value Flume would replace by its default is logged as a warning by
 * {@link #view} (and reported by {@link #warnings} for the validator).
 */
public final class TypedConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(TypedConfiguration.class);

    private TypedConfiguration() {
    }

    /** The typed view of {@code properties}; elements without a value take their declared default. */
    public static <A> A view(Class<A> type, Map<String, String> properties, String agent, String component)
            throws ConfigurationException {
        ConfigurationRules.Reading<A> reading = read(type, properties, agent, component);
        A view = reading.view();
        for (ConfigurationException warning : reading.warnings()) {
            LOG.warn("{}", warning.getMessage());
        }
        return view;
    }

    /**
     * Every problem {@link #view} would throw for, not only the first: a validator reports them all at once.
     * Empty when {@code view} succeeds.
     */
    public static List<ConfigurationException> violations(Class<?> type, Map<String, String> properties,
            String agent, String component) {
        return read(type, properties, agent, component).violations();
    }

    /**
     * The values Flume's tolerance replaces by their default, each as a message naming the key: what
     * {@link #view} logs as warnings, for the validator to report the same.
     */
    public static List<ConfigurationException> warnings(Class<?> type, Map<String, String> properties,
            String agent, String component) {
        return read(type, properties, agent, component).warnings();
    }

    /** The keys an annotation type declares and includes, in declaration order. */
    public static Set<String> keys(Class<?> type) {
        return ConfigurationRules.keys(type);
    }

    /** The property key of an element. */
    public static String keyOf(Method element) {
        return ConfigurationRules.keyOf(element.getName());
    }

    private static <A> ConfigurationRules.Reading<A> read(Class<A> type, Map<String, String> properties,
            String agent, String component) {
        return ConfigurationRules.read(type, properties, agent, component,
                (key, value) -> SecretKeys.shown(key, value, properties));
    }
}

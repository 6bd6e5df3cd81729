package org.sluice.interceptor.core;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/** Checks shared by the interceptor factories, so every one reports a bad value the same way. */
final class Headers {
    private Headers() {
    }

    /** A header name must not be empty: an empty key would be written into every event. */
    static void requireName(ComponentContext context, String key, String value) throws ConfigurationException {
        if (value.isEmpty()) {
            throw context.configurationError(key, "must not be empty");
        }
    }

    /** Compiles a configured regular expression, naming the key when it does not compile. */
    static Pattern pattern(ComponentContext context, String key, String regex) throws ConfigurationException {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ConfigurationException(context.agentName(), context.componentName(), key,
                    "'" + regex + "' is not a valid regular expression: " + e.getDescription(), e);
        }
    }

    /** The raw configured value, untrimmed: for values where leading or trailing spaces are meant. */
    static String raw(ComponentContext context, String key, String fallback) {
        return context.properties().getOrDefault(key, fallback);
    }
}

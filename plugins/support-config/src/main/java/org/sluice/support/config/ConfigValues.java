package org.sluice.support.config;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.sluice.api.component.ComponentContext;
import org.sluice.api.component.ConfigurationException;

/**
 * Configured values that need more than a type to be valid, checked when a component is created so that a
 * mistake fails the configuration, naming agent, component and key, instead of every event later. Each check
 * returns the value it accepted.
 *
 * <p>The bounds of one key are not checked here: they are an {@link org.sluice.api.component.Range} on the
 * element of the configuration type, with {@link org.sluice.api.component.DefaultWhenUnparsable} where Flume is
 * tolerant. The platform applies those annotations for the running agent and for {@code validate} alike, and
 * {@code validate} never creates a component, so a rule written here is one it cannot report: the two would
 * disagree on the file (as they did on a thrift source's {@code threads = 0}). The annotations are therefore the
 * one rule set; {@link #atLeast} and {@link #between} are for what no annotation can say: an item of a list, a
 * bound that depends on another key, a value taken from one of several keys.
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    /**
     * A path as Flume reads one: {@code ~/} at its start is the home directory of the user the agent runs as; null
     * when the value is blank (the key's default applies). A value that is not a path fails naming the key.
     */
    public static Path path(ComponentContext context, String key, String value) throws ConfigurationException {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Path.of(withHome(value));
        } catch (InvalidPathException e) {
            throw context.configurationError(key, "'" + value + "' is not a valid path: " + e.getMessage());
        }
    }

    /** {@code value} with a leading {@code ~/} replaced by the user's home directory, as Flume's channels do. */
    public static String withHome(String value) {
        return value.startsWith("~/") ? System.getProperty("user.home") + value.substring(1) : value;
    }

    /** The value, which must not be empty (a header name, a key): an empty one would be written everywhere. */
    public static String nonEmpty(ComponentContext context, String key, String value) throws ConfigurationException {
        if (value.isEmpty()) {
            throw context.configurationError(key, "must not be empty");
        }
        return value;
    }

    /** The value, which must be at least {@code min} (a batch size of at least 1, a timeout of at least 1000 ms). */
    public static int atLeast(ComponentContext context, String key, int value, int min) throws ConfigurationException {
        return (int) atLeast(context, key, (long) value, min);
    }

    /** The value, which must be at least {@code min}. */
    public static long atLeast(ComponentContext context, String key, long value, long min)
            throws ConfigurationException {
        if (value < min) {
            throw context.configurationError(key, "must be at least " + min + ", was " + value);
        }
        return value;
    }

    /** The value, which must lie between {@code min} and {@code max}, both included (a port, a level). */
    public static int between(ComponentContext context, String key, int value, int min, int max)
            throws ConfigurationException {
        if (value < min || value > max) {
            throw context.configurationError(key, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /** A regular expression, compiled. */
    public static Pattern pattern(ComponentContext context, String key, String regex) throws ConfigurationException {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ConfigurationException(context.agentName(), context.componentName(), key,
                    "'" + regex + "' is not a valid regular expression: " + e.getDescription(), e);
        }
    }

    /** A character set by any of its names. */
    public static Charset charset(ComponentContext context, String key, String name) throws ConfigurationException {
        try {
            return Charset.forName(name.trim());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new ConfigurationException(context.agentName(), context.componentName(), key,
                    "'" + name + "' is not a character set this JVM supports", e);
        }
    }

    /**
     * The value exactly as configured, spaces kept, for values where leading or trailing spaces are meant (a
     * replacement string); {@code fallback} when the key is not set.
     */
    public static String untrimmed(ComponentContext context, String key, String fallback) {
        return context.properties().getOrDefault(key, fallback);
    }
}

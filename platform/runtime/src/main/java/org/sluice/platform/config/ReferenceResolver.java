package org.sluice.platform.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces references in configuration values:
 * <ul>
 * <li>{@code ${f1['KEY']}}, {@code ${f1["KEY"]}}, {@code ${f1[KEY]}}: Flume's config filter {@code f1};</li>
 * <li>{@code ${env:NAME}}: an environment variable; {@code ${sys:NAME}}: a system (framework) property;</li>
 * <li>{@code ${NAME}}: an environment variable, only when Flume's
 *     {@code propertiesImplementation=org.apache.flume.node.EnvVarResolverProperties} is asked for.</li>
 * </ul>
 * Anything else in {@code ${...}} is left as written, as Flume does. A reference that has no value stays as
 * written too and is reported, so a component never starts with a silently empty password.
 */
final class ReferenceResolver {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)\\}");
    private static final Pattern FILTER_REFERENCE = Pattern.compile("([^\\[\\]]+)\\[(['\"]?)([-_a-zA-Z0-9]+)\\2\\]");
    private static final Pattern PLAIN_VARIABLE = Pattern.compile("\\w+");

    private final Environment environment;
    private final boolean plainVariables;
    private final Map<String, ConfigFilter> filters;
    /** Filters run external commands: each key is asked once per file read. */
    private final Map<String, Resolution> cache = new HashMap<>();

    /**
     * The outcome for one value: the text, what could not be resolved (empty when all was), and whether a config
     * filter supplied part of it (then the value is secret: see {@link SecretKeys}).
     */
    record Resolved(String value, List<String> failures, List<String> notes, boolean fromFilter) {
    }

    /** A value, or why there is none: a failure (an error), or a filter deliberately not run (a note). */
    private record Resolution(String value, String failure, String skipped) {
        Resolution(String value, String failure) {
            this(value, failure, null);
        }
    }

    ReferenceResolver(Environment environment, boolean plainVariables, Map<String, ConfigFilter> filters) {
        this.environment = environment;
        this.plainVariables = plainVariables;
        this.filters = filters;
    }

    Resolved resolve(String value) {
        if (value.indexOf("${") < 0) {
            return new Resolved(value, List.of(), List.of(), false);
        }
        List<String> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        boolean fromFilter = false;
        while (matcher.find()) {
            String reference = matcher.group(1).trim();
            Resolution resolution = cache.computeIfAbsent(reference, this::lookup);
            String replacement = matcher.group();
            if (resolution == null) {
                Matcher filterReference = FILTER_REFERENCE.matcher(reference);
                if (filterReference.matches()) {
                    notes.add(matcher.group() + " looks like a reference to config filter '"
                            + filterReference.group(1).trim() + "', which the agent's configfilters does not list;"
                            + " kept as written");
                }
            } else if (resolution.skipped() != null) {
                notes.add(matcher.group() + " is kept as written: " + resolution.skipped());
            } else if (resolution.failure() != null) {
                failures.add(matcher.group() + " is not resolved: " + resolution.failure());
            } else {
                replacement = resolution.value();
                fromFilter |= FILTER_REFERENCE.matcher(reference).matches();
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return new Resolved(out.toString(), failures, notes, fromFilter);
    }

    /** The value of a reference, a failure, or null when the text is not a reference this resolver handles. */
    private Resolution lookup(String reference) {
        if (reference.startsWith("env:")) {
            String name = reference.substring(4).trim();
            return found(environment.variable(name), "environment variable " + name + " is not set");
        }
        if (reference.startsWith("sys:")) {
            String name = reference.substring(4).trim();
            return found(environment.property(name), "system property " + name + " is not set");
        }
        Matcher filterReference = FILTER_REFERENCE.matcher(reference);
        if (filterReference.matches()) {
            String filterName = filterReference.group(1).trim();
            ConfigFilter filter = filters.get(filterName);
            if (filter == null) {
                return null;
            }
            String key = filterReference.group(3);
            try {
                return found(filter.filter(key), "config filter " + filterName + " has no value for " + key);
            } catch (ConfigFilter.NotRunException e) {
                return new Resolution(null, null, e.getMessage());
            } catch (ConfigFilter.ConfigFilterException e) {
                return new Resolution(null, "config filter " + filterName + " failed: " + e.getMessage());
            }
        }
        if (plainVariables && PLAIN_VARIABLE.matcher(reference).matches()) {
            return found(environment.variable(reference), "environment variable " + reference + " is not set");
        }
        return null;
    }

    private static Resolution found(String value, String failure) {
        return value == null ? new Resolution(null, failure) : new Resolution(value, null);
    }
}

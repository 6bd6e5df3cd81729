package org.sluice.platform.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces references in configuration values the way Flume 1.10+ does, in its two steps.
 *
 * <p>First, Flume's substitution (Commons Text's StringSubstitutor syntax, which Flume resolves every value with):
 * <ul>
 * <li>{@code ${env:NAME}}: an environment variable; {@code ${sys:NAME}}: a system (framework) property;</li>
 * <li>{@code ${NAME}}: the property {@code NAME} of the configuration itself (any key of the merged files, an
 *     agent's or not, as in {@code NC_PORT = 44444}); when Flume's
 *     {@code propertiesImplementation=org.apache.flume.node.EnvVarResolverProperties} is asked for, an
 *     environment variable when the configuration has no such property;</li>
 * <li>{@code ${NAME:-default}}: the default when there is no value; {@code $${...}}: the text {@code ${...}};
 *     a reference inside a name ({@code ${${ENV_NAME}.port}}) is resolved first;</li>
 * <li>a value found is resolved again (a property may refer to another), and a reference to itself, directly or
 *     through others, is an error.</li>
 * </ul>
 * Then Flume's config filters: {@code ${f1['KEY']}}, {@code ${f1["KEY"]}}, {@code ${f1[KEY]}} for a filter the
 * agent lists; what a filter returns (a secret) is taken as it is, never resolved again.
 *
 * <p>Where Flume differs, Sluice is deliberate: Flume resolves {@code ${NAME}} from the properties it happened to
 * resolve before (in hash order), so whether a reference works depends on the key names; here every property of
 * the configuration counts. A {@code ${env:}} or {@code ${sys:}} reference without a value (and without a
 * default) stays as written and is reported, so a component never starts with a silently wrong password; so does a
 * plain {@code ${NAME}} under the environment resolver. A plain {@code ${NAME}} that is nothing stays as written
 * without a word, as in Flume (regular expressions use {@code ${group}}). Flume's {@code ${java:...}} and
 * {@code ${date:...}} look-ups are not provided: such a reference stays as written, with a warning.
 *
 * <p>A file cannot exhaust the reading thread: references nest or chain at most {@value #MAX_DEPTH} deep and make a
 * value of at most {@value #MAX_VALUE_CHARS} characters, beyond which the value is an error of its key; each property
 * is resolved once however often it is referred to.
 */
final class ReferenceResolver {

    private static final Pattern FILTER_REFERENCE_IN_TEXT = Pattern.compile("\\$\\{([^}]*)\\}");
    private static final Pattern FILTER_REFERENCE = Pattern.compile("([^\\[\\]]+)\\[(['\"]?)([-_a-zA-Z0-9]+)\\2\\]");
    private static final String PREFIX = "${";
    private static final String ESCAPED_PREFIX = "$${";
    private static final String DEFAULT_SEPARATOR = ":-";
    /** How deep references may nest or refer on: far beyond any real file, far below a thread's stack. */
    static final int MAX_DEPTH = 64;
    /** The longest value references may make (a million characters): no real value comes near it. */
    static final int MAX_VALUE_CHARS = 1 << 20;

    private final Environment environment;
    private final boolean plainVariables;
    private final Map<String, String> configuration;
    private final Map<String, ConfigFilter> filters;
    /** Filters run external commands: each key is asked once per read of the configuration. */
    private final Map<String, Resolution> filterCache = new HashMap<>();
    /** Properties of the configuration whose references resolved, by name. */
    private final Map<String, String> resolvedProperties = new HashMap<>();
    /** Properties of the configuration whose references did not resolve. */
    private final Set<String> unresolvedProperties = new HashSet<>();

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

    /**
     * @param plainVariables whether {@code ${NAME}} falls back to the environment (Flume's EnvVarResolverProperties)
     * @param configuration  every key of the configuration and its value as written (trimmed), for {@code ${NAME}}
     */
    ReferenceResolver(Environment environment, boolean plainVariables, Map<String, String> configuration,
            Map<String, ConfigFilter> filters) {
        this.environment = environment;
        this.plainVariables = plainVariables;
        this.configuration = configuration;
        this.filters = filters;
    }

    Resolved resolve(String value) {
        if (value.indexOf(PREFIX) < 0) {
            return new Resolved(value, List.of(), List.of(), false);
        }
        List<String> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String substituted = substitute(value, new ArrayDeque<>(), failures, notes, 0);
        Filtered filtered = applyFilters(substituted, failures, notes);
        return new Resolved(filtered.value(), failures, notes, filtered.fromFilter());
    }

    // ---------------------------------------------------------------- step 1: Flume's substitution

    private String substitute(String text, Deque<String> resolving, List<String> failures, List<String> notes,
            int depth) {
        if (depth > MAX_DEPTH) {
            // A file must not be able to exhaust the stack of the thread that reads it.
            failures.add("references are nested or chained more than " + MAX_DEPTH + " deep; kept as written");
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith(ESCAPED_PREFIX, i)) {
                out.append(PREFIX);
                i += ESCAPED_PREFIX.length();
            } else if (text.startsWith(PREFIX, i)) {
                int end = closingBrace(text, i + PREFIX.length());
                if (end < 0) {
                    out.append(text, i, text.length());
                    break;
                }
                String literal = text.substring(i, end + 1);
                String inner = text.substring(i + PREFIX.length(), end);
                String name = inner.contains(PREFIX) ? substitute(inner, resolving, failures, notes, depth + 1)
                        : inner;
                out.append(variable(name, literal, resolving, failures, notes, depth));
                i = end + 1;
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    /** The index of the brace closing a reference whose name starts at {@code from}; nested references count. */
    private static int closingBrace(String text, int from) {
        int depth = 0;
        for (int i = from; i < text.length(); i++) {
            if (text.startsWith(PREFIX, i)) {
                depth++;
                i++;
            } else if (text.charAt(i) == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }

    private String variable(String reference, String literal, Deque<String> resolving, List<String> failures,
            List<String> notes, int depth) {
        String name = reference;
        String defaultValue = null;
        int separator = reference.indexOf(DEFAULT_SEPARATOR);
        if (separator >= 0) {
            name = reference.substring(0, separator);
            defaultValue = reference.substring(separator + DEFAULT_SEPARATOR.length());
        }
        name = name.trim();
        Matcher filterReference = FILTER_REFERENCE.matcher(name);
        if (filterReference.matches()) {
            // Step 2's; one to a filter the agent does not list is kept and pointed out.
            if (!filters.containsKey(filterReference.group(1).trim())) {
                notes.add(literal + " looks like a reference to config filter '" + filterReference.group(1).trim()
                        + "', which the agent's configfilters does not list; kept as written");
            }
            return literal;
        }
        String value;
        String failure = null;
        if (name.startsWith("env:")) {
            String variable = name.substring(4).trim();
            value = environment.variable(variable);
            failure = "environment variable " + variable + " is not set";
        } else if (name.startsWith("sys:")) {
            String property = name.substring(4).trim();
            value = environment.property(property);
            failure = "system property " + property + " is not set";
        } else if (configuration.containsKey(name)) {
            String resolved = resolvedProperties.get(name);
            if (resolved != null) {
                return resolved;
            }
            if (unresolvedProperties.contains(name)) {
                // Said once per value: a value whose references already failed needs no second error.
                if (failures.isEmpty()) {
                    failures.add(literal + " is not resolved: property " + name + " refers to what is not resolved"
                            + " (said where it was first met)");
                }
                return literal;
            }
            value = configuration.get(name);
        } else if (name.startsWith("java:") || name.startsWith("date:")) {
            notes.add(literal + ": Flume's " + name.substring(0, 4) + " look-up is not available in Sluice; kept as"
                    + " written");
            value = null;
        } else if (plainVariables) {
            value = environment.variable(name);
            failure = "there is no property " + name + " and environment variable " + name + " is not set";
        } else {
            value = null;
        }
        if (value == null) {
            if (defaultValue != null) {
                value = defaultValue;
            } else {
                if (failure != null) {
                    failures.add(literal + " is not resolved: " + failure);
                }
                return literal;
            }
        }
        if (resolving.contains(name)) {
            List<String> chain = new ArrayList<>(resolving);
            java.util.Collections.reverse(chain);
            chain.add(name);
            failures.add(literal + " is not resolved: it refers to itself (" + String.join(" -> ", chain) + ")");
            return literal;
        }
        int failuresBefore = failures.size();
        resolving.push(name);
        String resolved;
        try {
            resolved = substitute(value, resolving, failures, notes, depth + 1);
        } finally {
            resolving.pop();
        }
        boolean property = defaultValue == null && configuration.containsKey(name);
        if (resolved.length() > MAX_VALUE_CHARS) {
            failures.add(literal + " is not resolved: it would be more than " + MAX_VALUE_CHARS + " characters long");
            resolved = literal;
        }
        // A property is resolved once, whatever refers to it, and what it says is said where it is first met: a
        // file whose properties each refer twice to the one before takes linear time, not exponential.
        if (property && failures.size() > failuresBefore) {
            unresolvedProperties.add(name);
        } else if (property) {
            resolvedProperties.put(name, resolved);
        }
        return resolved;
    }

    // ---------------------------------------------------------------- step 2: config filters

    /** A value after step 2, and whether a config filter supplied part of it. */
    private record Filtered(String value, boolean fromFilter) {
    }

    private Filtered applyFilters(String value, List<String> failures, List<String> notes) {
        if (value.indexOf(PREFIX) < 0 || filters.isEmpty()) {
            return new Filtered(value, false);
        }
        Matcher matcher = FILTER_REFERENCE_IN_TEXT.matcher(value);
        StringBuilder out = new StringBuilder();
        boolean fromFilter = false;
        while (matcher.find()) {
            String replacement = matcher.group();
            Matcher filterReference = FILTER_REFERENCE.matcher(matcher.group(1).trim());
            if (filterReference.matches()) {
                ConfigFilter filter = filters.get(filterReference.group(1).trim());
                if (filter != null) {
                    Resolution resolution = filterCache.computeIfAbsent(matcher.group(1).trim(),
                            reference -> filter(filter, filterReference.group(1).trim(), filterReference.group(3)));
                    if (resolution.skipped() != null) {
                        notes.add(matcher.group() + " is kept as written: " + resolution.skipped());
                    } else if (resolution.failure() != null) {
                        failures.add(matcher.group() + " is not resolved: " + resolution.failure());
                    } else {
                        replacement = resolution.value();
                        fromFilter = true;
                    }
                }
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return new Filtered(out.toString(), fromFilter);
    }

    private static Resolution filter(ConfigFilter filter, String filterName, String key) {
        try {
            String value = filter.filter(key);
            return value == null ? new Resolution(null, "config filter " + filterName + " has no value for " + key)
                    : new Resolution(value, null);
        } catch (ConfigFilter.NotRunException e) {
            return new Resolution(null, null, e.getMessage());
        } catch (ConfigFilter.ConfigFilterException e) {
            return new Resolution(null, "config filter " + filterName + " failed: " + e.getMessage());
        }
    }
}

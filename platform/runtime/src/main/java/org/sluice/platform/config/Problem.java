package org.sluice.platform.config;

import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;

/**
 * One thing wrong (or suspicious) in an agent configuration, located the way a user finds it in the
 * properties file: {@code a1.sinks.k1.channel}.
 *
 * @param severity  ERROR: the component (or the key) is not used as written; WARNING: it is, but look at it
 * @param agent     the agent's name
 * @param kind      the component's kind (SOURCE, CHANNEL, SINK or SINKGROUP; nested interceptors, selectors
 *                  and sink processors are reported on their owner); null for a key of the agent itself
 * @param component the component's name, or null for a key of the agent itself ({@code channels},
 *                  {@code configfilters.f1.type})
 * @param key       the key after {@code <agent>.<section>.<component>.}, or after {@code <agent>.} when
 *                  component is null; null when the problem is about the component as a whole
 * @param message   what is wrong, in words a user can act on
 */
public record Problem(Severity severity, String agent, ComponentKind kind, String component, String key,
        String message) {

    public enum Severity {
        ERROR, WARNING
    }

    public Problem {
        if (severity == null || agent == null || message == null) {
            throw new NullPointerException("severity, agent and message are required");
        }
        if ((kind == null) != (component == null)) {
            throw new IllegalArgumentException("kind and component go together: " + kind + ", " + component);
        }
    }

    public static Problem error(String agent, ComponentKind kind, String component, String key, String message) {
        return new Problem(Severity.ERROR, agent, kind, component, key, message);
    }

    public static Problem warning(String agent, ComponentKind kind, String component, String key,
            String message) {
        return new Problem(Severity.WARNING, agent, kind, component, key, message);
    }

    /** An error about a key of the agent itself, such as {@code channels}. */
    public static Problem agentError(String agent, String key, String message) {
        return error(agent, null, null, key, message);
    }

    /** A warning about a key of the agent itself. */
    public static Problem agentWarning(String agent, String key, String message) {
        return warning(agent, null, null, key, message);
    }

    /** The message of a {@link ConfigurationException} without its agent, component and key prefix. */
    static String detailOf(ConfigurationException e) {
        String prefix = new ConfigurationException(e.agent(), e.component(), e.key(), "").getMessage();
        String message = e.getMessage();
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The properties file key the problem is about: {@code a1.sinks.k1.channel}, {@code a1.channels}. */
    public String location() {
        StringBuilder location = new StringBuilder(agent);
        if (component != null) {
            location.append('.').append(kind.section()).append('.').append(component);
        }
        if (key != null) {
            location.append('.').append(key);
        }
        return location.toString();
    }

    /** {@code ERROR a1.sinks.k1.channel: names 2 channels; a sink takes events from exactly one}. */
    @Override
    public String toString() {
        return severity + " " + location() + ": " + message;
    }
}

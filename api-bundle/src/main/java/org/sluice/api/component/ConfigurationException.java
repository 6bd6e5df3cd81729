package org.sluice.api.component;

/**
 * A configuration problem, always naming the agent, the component and the key it is about, so a user can
 * find the line in the properties file: {@code a1.channels.c1.capacity}.
 */
public class ConfigurationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String agent;
    private final String component;
    private final String key;

    public ConfigurationException(String agent, String component, String key, String message) {
        this(agent, component, key, message, null);
    }

    public ConfigurationException(String agent, String component, String key, String message, Throwable cause) {
        super(describe(agent, component, key, message), cause);
        this.agent = agent;
        this.component = component;
        this.key = key;
    }

    public String agent() {
        return agent;
    }

    public String component() {
        return component;
    }

    /** The key the problem is about, or null when it is about the component as a whole. */
    public String key() {
        return key;
    }

    private static String describe(String agent, String component, String key, String message) {
        return "agent '" + agent + "', component '" + component + "'"
                + (key == null ? "" : ", key '" + key + "'") + ": " + message;
    }
}

package org.sluice.api.component;

/**
 * No installed bundle provides a named part a component needs ({@link ComponentContext#lookup}): the component
 * cannot be made yet, and waits. The platform shows it as waiting, with this message, and makes it again when a
 * provider is installed; a component's factory lets it pass through {@code create}.
 */
public class ProviderUnavailableException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    public ProviderUnavailableException(String agent, String component, String key, String message) {
        super(agent, component, key, message);
    }
}

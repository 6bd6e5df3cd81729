package org.sluice.api.component;

import java.nio.file.Path;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** What the platform tells a component at creation: who it is and how it is configured. */
@ProviderType
public interface ComponentContext {

    /** The agent's name ({@code a1}). */
    String agentName();

    /** The component's name within the agent ({@code r1}); for a nested component (interceptor, selector) the
     *  owner's name and its own, as in {@code r1.i1}. */
    String componentName();

    ComponentKind kind();

    /**
     * The component's keys and values exactly as configured, without the agent and component prefix:
     * {@code a1.sinks.k1.sink.directory = /x} is {@code sink.directory -> /x}. Unmodifiable.
     */
    Map<String, String> properties();

    /**
     * The configuration as a typed view: {@code type} is an annotation whose elements are read from
     * {@link #properties()} by {@link ConfigurationRules} (the naming rules of
     * {@link ComponentFactory#configurationType()}, the element defaults, {@link Range} and Flume's tolerance). A
     * value that does not convert or is out of range throws {@link ConfigurationException} naming the key.
     */
    <A> A config(Class<A> type) throws ConfigurationException;

    /** The keys that start with {@code prefix}, with the prefix removed. */
    Map<String, String> subProperties(String prefix);

    /**
     * A directory for this component's files, {@code <data>/<agent>/<component>}; created on first call.
     * Two components never share one.
     */
    Path dataDirectory();

    /**
     * The service a plugin registered under the interface {@code service} (such as
     * {@code org.sluice.api.format.EventSerializerFactory}) with {@value ComponentFactory#TYPE} naming
     * {@code type}, found by the rules component types are found by (Flume's aliases in any case, class names
     * exactly; the highest ranking wins). The platform remembers what the component looked up: when the bundle
     * that provides it stops or is updated, the component is stopped first, and made again when a provider is back.
     *
     * @param key the configuration key that names {@code type}, for the reason the component waits
     * @throws ProviderUnavailableException no installed bundle provides it: the component waits
     */
    default <S> S lookup(Class<S> service, String type, String key) throws ConfigurationException {
        throw new ProviderUnavailableException(agentName(), componentName(), key, "no installed bundle provides "
                + service.getSimpleName() + " '" + type + "'");
    }

    /** A configuration error for this component, naming agent, component and key. */
    default ConfigurationException configurationError(String key, String message) {
        return new ConfigurationException(agentName(), componentName(), key, message);
    }
}

package org.sluice.api.component;

import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Makes components of one type. Plugins register each factory as an OSGi service under its family's
 * interface (SourceFactory, ChannelFactory, ...) with the service property {@link #TYPE} listing the type
 * names (see {@link SluiceType}); the platform finds it by the {@code type} key of a component's
 * configuration. While no factory is registered for a type, the components of that type wait.
 *
 * @param <C> the context the component is created with
 * @param <T> the component
 */
@ConsumerType
public interface ComponentFactory<C extends ComponentContext, T> {

    /** Service property: the type names (String or String[]) this factory answers to. */
    String TYPE = "sluice.type";

    /**
     * An annotation type whose elements are the keys this component reads, named by the rules of OSGi
     * component property types ({@code sink_directory()} is {@code sink.directory},
     * {@code keep$_$alive()} is {@code keep-alive}), with Flume's defaults as element defaults. The platform
     * converts the configuration to it ({@link ComponentContext#config(Class)}), rejects values of the
     * wrong type before creating the component, and reports keys it does not declare. Null: any key.
     * {@link Range} and {@link DefaultWhenUnparsable} on an element give its allowed values and Flume's tolerance:
     * {@link ConfigurationRules} applies them the same way to a running agent, to {@code validate} and to the API
     * test kit's contexts, so none of them disagrees on a key; prefer them to checks of one key in {@code create}.
     */
    default Class<?> configurationType() {
        return null;
    }

    /**
     * Key prefixes this component accepts beyond {@link #configurationType()}, for open-ended settings such
     * as {@code "serializer."}. Each prefix ends with a dot.
     */
    default Set<String> openKeyPrefixes() {
        return Set.of();
    }

    /**
     * True if the component keeps its events across a restart of the process (a file channel); false if
     * they live only in memory, in which case the platform hands a stopping channel's events over to the
     * instance that replaces it.
     */
    default boolean durable() {
        return false;
    }

    /** Creates a component; not started yet. A bad configuration throws {@link ConfigurationException}. */
    T create(C context) throws ConfigurationException;
}

package org.sluice.api.sink;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.component.ComponentContext;

/**
 * A sink processor's context. Its {@link #properties()} are the group's {@code processor.*} keys without
 * the {@code processor.} prefix ({@code type}, {@code priority.k1}, {@code maxpenalty}, ...).
 */
@ProviderType
public interface SinkProcessorContext extends ComponentContext {

    /** The group's sinks in the order of the group's {@code sinks} key. */
    List<Sink> sinks();

    /** The same sinks by name. */
    Map<String, Sink> sinksByName();

    /**
     * The sink selector the platform created from the service registry for the key
     * {@link SinkProcessorFactory#sinkSelectorKey} named, already started; empty when the factory named none.
     * The platform owns its lifecycle: the processor uses it and never stops it.
     */
    Optional<SinkSelector> sinkSelector();
}

package org.sluice.api.sink;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.component.ComponentContext;

/**
 * A sink selector's context. Its {@link #properties()} are the group's {@code processor.selector.*} keys
 * without the {@code processor.selector.} prefix ({@code maxTimeOut}, {@code weight.k1}, ...), and
 * {@link #config(Class)} reads them typed, as for every other component.
 */
@ProviderType
public interface SinkSelectorContext extends ComponentContext {

    /** The group's sinks in the order of the group's {@code sinks} key. */
    List<Sink> sinks();

    /** The same sinks by name, in the same order. */
    Map<String, Sink> sinksByName();
}

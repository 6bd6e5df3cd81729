package org.sluice.api.sink;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.ComponentFactory;

/** Service interface of sink processor plugins ({@code default}, {@code failover}, {@code load_balance}). */
@ConsumerType
public interface SinkProcessorFactory extends ComponentFactory<SinkProcessorContext, SinkProcessor> {

    /**
     * The key of this processor configuration whose value names a {@link SinkSelector} to take from the
     * service registry ({@code "selector"} for {@code load_balance} with {@code selector = com.example.X}), or
     * null when the configuration needs none (its selector is built in). With a key, the platform looks the
     * value up among the {@link SinkSelectorFactory} services: while none answers to it, the group waits and
     * says so; the selector gets the keys under {@code <key>.}, and the processor finds it in
     * {@link SinkProcessorContext#sinkSelector()}. When the selector's bundle goes away the group stops
     * (its events stay in the channels) and waits again.
     *
     * @param properties the group's {@code processor.*} keys without the prefix, as in the context
     */
    default String sinkSelectorKey(Map<String, String> properties) {
        return null;
    }
}

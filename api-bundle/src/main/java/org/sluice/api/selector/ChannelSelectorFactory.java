package org.sluice.api.selector;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.ComponentFactory;

/** Service interface of channel selector plugins ({@code replicating}, {@code multiplexing}). */
@ConsumerType
public interface ChannelSelectorFactory extends ComponentFactory<SelectorContext, ChannelSelector> {
}

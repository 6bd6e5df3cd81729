package org.sluice.api.sink;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.ComponentFactory;

/**
 * Service interface of sink selector plugins, the custom selectors of the {@code load_balance} sink
 * processor. A selector bundle registers one per selector, with {@link org.sluice.api.component.SluiceType}
 * naming it: a short name and the class name a Flume configuration gives in {@code processor.selector}
 * ({@code com.example.flume.WeightedSelector}), so the file runs unchanged once the bundle is deployed.
 * Short names match in any case; class names exactly.
 */
@ConsumerType
public interface SinkSelectorFactory extends ComponentFactory<SinkSelectorContext, SinkSelector> {
}

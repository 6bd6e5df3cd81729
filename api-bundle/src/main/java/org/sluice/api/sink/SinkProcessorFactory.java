package org.sluice.api.sink;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.ComponentFactory;

/** Service interface of sink processor plugins ({@code default}, {@code failover}, {@code load_balance}). */
@ConsumerType
public interface SinkProcessorFactory extends ComponentFactory<SinkProcessorContext, SinkProcessor> {
}

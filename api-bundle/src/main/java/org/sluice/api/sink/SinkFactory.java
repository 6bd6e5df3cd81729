package org.sluice.api.sink;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.ComponentFactory;

/** Service interface of sink plugins. */
@ConsumerType
public interface SinkFactory extends ComponentFactory<SinkContext, Sink> {
}

package org.sluice.api.source;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.ComponentFactory;

/** Service interface of source plugins. */
@ConsumerType
public interface SourceFactory extends ComponentFactory<SourceContext, Source> {
}

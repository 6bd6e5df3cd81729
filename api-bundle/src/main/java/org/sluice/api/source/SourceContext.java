package org.sluice.api.source;

import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.counter.SourceCounter;

/** A source's context: where its events go, and its counters. */
@ProviderType
public interface SourceContext extends ComponentContext {

    ChannelProcessor channelProcessor();

    SourceCounter counter();
}

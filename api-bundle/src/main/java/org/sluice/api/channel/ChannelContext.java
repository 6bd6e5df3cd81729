package org.sluice.api.channel;

import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.counter.ChannelCounter;

/** A channel's context: its counters. */
@ProviderType
public interface ChannelContext extends ComponentContext {

    ChannelCounter counter();
}

package org.sluice.api.sink;

import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.channel.Channel;
import org.sluice.api.component.ComponentContext;
import org.sluice.api.counter.SinkCounter;

/** A sink's context: the one channel it takes from, and its counters. */
@ProviderType
public interface SinkContext extends ComponentContext {

    Channel channel();

    SinkCounter counter();
}

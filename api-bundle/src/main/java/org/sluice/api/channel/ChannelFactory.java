package org.sluice.api.channel;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.component.ComponentFactory;

/** Service interface of channel plugins. */
@ConsumerType
public interface ChannelFactory extends ComponentFactory<ChannelContext, Channel> {
}

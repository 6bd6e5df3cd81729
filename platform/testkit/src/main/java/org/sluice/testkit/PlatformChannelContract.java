package org.sluice.testkit;

import java.util.Map;

import org.sluice.api.channel.ChannelContext;
import org.sluice.api.testkit.channel.ChannelContract;

/**
 * The channel contract for Sluice's own channels: the channel is made with the platform's typed configuration
 * and counters ({@link TestContexts}), as the agent makes it.
 */
public abstract class PlatformChannelContract extends ChannelContract {

    @Override
    protected ChannelContext context(String name, Map<String, String> properties) {
        return TestContexts.channel(name, properties, dataRoot);
    }
}

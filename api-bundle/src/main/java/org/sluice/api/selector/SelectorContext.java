package org.sluice.api.selector;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.channel.Channel;
import org.sluice.api.component.ComponentContext;

/**
 * A channel selector's context. Its {@link #properties()} are the source's {@code selector.*} keys without
 * the {@code selector.} prefix ({@code type}, {@code header}, {@code mapping.CZ}, {@code optional}, ...).
 */
@ProviderType
public interface SelectorContext extends ComponentContext {

    /** The source's channels in the order of its {@code channels} key. */
    List<Channel> channels();

    /** The same channels by name. */
    Map<String, Channel> channelsByName();
}

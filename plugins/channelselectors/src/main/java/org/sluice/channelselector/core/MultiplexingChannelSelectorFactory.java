package org.sluice.channelselector.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.channel.Channel;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.selector.ChannelSelector;
import org.sluice.api.selector.ChannelSelectorFactory;
import org.sluice.api.selector.SelectorContext;

/**
 * Flume's {@code multiplexing} selector: an event goes to the channels that {@code mapping.<value>} names
 * for the value of its {@code header}, or to {@code default} when the header is missing, blank or has no
 * mapping; {@code optional.<value>} adds channels that may miss it.
 */
@Component(service = ChannelSelectorFactory.class)
@SluiceType({"multiplexing", "org.apache.flume.channel.MultiplexingChannelSelector",
        "org.sluice.channelselector.core.MultiplexingChannelSelector"})
public class MultiplexingChannelSelectorFactory implements ChannelSelectorFactory {

    static final String MAPPING_PREFIX = "mapping.";
    static final String OPTIONAL_PREFIX = "optional.";

    /** Flume's keys (without the source's {@code selector.} prefix) and defaults; see also the open prefixes. */
    public @interface Config {
        /** The header whose value chooses the channels. */
        String header() default "flume.selector.header";

        /** Channels for events whose value has no mapping (key {@code default}). */
        String[] default$() default {};
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    /** {@code mapping.<value>} and {@code optional.<value>}: channels per header value. */
    @Override
    public Set<String> openKeyPrefixes() {
        return Set.of(MAPPING_PREFIX, OPTIONAL_PREFIX);
    }

    @Override
    public ChannelSelector create(SelectorContext context) throws ConfigurationException {
        Config config = context.config(Config.class);
        List<Channel> defaults = ChannelNames.resolve(context, "default", config.default$());

        Map<String, List<Channel>> required = new HashMap<>();
        for (Map.Entry<String, String> mapping : context.subProperties(MAPPING_PREFIX).entrySet()) {
            String key = MAPPING_PREFIX + mapping.getKey();
            List<Channel> channels = ChannelNames.resolve(context, key, mapping.getValue());
            if (channels.isEmpty()) {
                // Flume refuses this rather than send the value's events to the default channels.
                throw context.configurationError(key, "names no channel");
            }
            required.put(mapping.getKey(), channels);
        }

        Map<String, List<Channel>> optional = new HashMap<>();
        for (Map.Entry<String, String> mapping : context.subProperties(OPTIONAL_PREFIX).entrySet()) {
            String value = mapping.getKey();
            List<Channel> channels = new ArrayList<>(
                    ChannelNames.resolve(context, OPTIONAL_PREFIX + value, mapping.getValue()));
            // As in Flume: a channel that is already required for this value (its mapping, or the default
            // channels when it has none) is required only, so a failure there still fails the put.
            channels.removeAll(required.getOrDefault(value, defaults));
            optional.put(value, List.copyOf(channels));
        }
        return new MultiplexingChannelSelector(config.header(), required, defaults, optional);
    }
}

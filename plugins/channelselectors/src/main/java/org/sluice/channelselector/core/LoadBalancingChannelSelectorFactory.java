package org.sluice.channelselector.core;

import java.util.Locale;

import org.osgi.service.component.annotations.Component;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.component.SluiceType;
import org.sluice.api.selector.ChannelSelector;
import org.sluice.api.selector.ChannelSelectorFactory;
import org.sluice.api.selector.SelectorContext;

/**
 * Flume 1.10+'s {@code load_balancing} selector: each event goes to one of the source's channels, chosen in turn
 * ({@code policy = round_robin}, the default) or at random ({@code random}), so that the sinks of several channels
 * share a source's load on threads of their own.
 */
@Component(service = ChannelSelectorFactory.class)
@SluiceType({"load_balancing", "org.apache.flume.channel.LoadBalancingChannelSelector",
        "org.sluice.channelselector.core.LoadBalancingChannelSelector"})
public class LoadBalancingChannelSelectorFactory implements ChannelSelectorFactory {

    /** Flume's keys (without the source's {@code selector.} prefix) and defaults. */
    public @interface Config {
        /** {@code round_robin} or {@code random}, in any case. */
        String policy() default "round_robin";
    }

    @Override
    public Class<?> configurationType() {
        return Config.class;
    }

    @Override
    public ChannelSelector create(SelectorContext context) throws ConfigurationException {
        String policy = context.config(Config.class).policy().trim();
        return switch (policy.toLowerCase(Locale.ROOT)) {
            case "round_robin" -> LoadBalancingChannelSelector.roundRobin(context.channels());
            case "random" -> LoadBalancingChannelSelector.random(context.channels());
            default -> throw context.configurationError("policy", "'" + policy + "' is not a policy: round_robin or"
                    + " random");
        };
    }
}

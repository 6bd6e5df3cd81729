package org.sluice.platform.runtime;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.event.Event;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.selector.ChannelSelector;
import org.sluice.platform.tap.TapPoint;

/**
 * A source's channel processor: runs events through the interceptors, groups them by the channels the
 * selector names, and puts each group into its channel in one transaction. A required channel that fails
 * fails the call (the source tells its client to retry); an optional channel that fails is logged and
 * skipped, as in Flume. Events the required channels took are shown to the source's taps ({@code sluice:tap}).
 */
final class RoutingChannelProcessor implements org.sluice.api.source.ChannelProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingChannelProcessor.class);

    private final String source;
    private final List<Interceptor> interceptors;
    private final ChannelSelector selector;
    private final TapPoint tap;

    /** A processor no tap can watch: {@code sluice test}'s pipeline, which puts into no channel. */
    RoutingChannelProcessor(String source, List<Interceptor> interceptors, ChannelSelector selector) {
        this(source, interceptors, selector, new TapPoint());
    }

    RoutingChannelProcessor(String source, List<Interceptor> interceptors, ChannelSelector selector, TapPoint tap) {
        this.source = source;
        this.interceptors = List.copyOf(interceptors);
        this.selector = selector;
        this.tap = tap;
    }

    @Override
    public void processEvent(Event event) throws ChannelException {
        Event kept = event;
        for (Interceptor interceptor : interceptors) {
            kept = interceptor.intercept(kept);
            if (kept == null) {
                return;
            }
        }
        List<Event> single = List.of(kept);
        for (Channel channel : selector.requiredChannels(kept)) {
            putRequired(channel, single);
        }
        tap.offer("out", kept);
        for (Channel channel : selector.optionalChannels(kept)) {
            putOptional(channel, single);
        }
    }

    @Override
    public void processEventBatch(List<Event> events) throws ChannelException {
        List<Event> kept = intercept(events);
        if (kept.isEmpty()) {
            return;
        }
        Map<Channel, List<Event>> required = groupBy(kept, true);
        Map<Channel, List<Event>> optional = groupBy(kept, false);
        for (Map.Entry<Channel, List<Event>> group : required.entrySet()) {
            putRequired(group.getKey(), group.getValue());
        }
        if (tap.active()) {
            for (Event event : kept) {
                tap.offer("out", event);
            }
        }
        for (Map.Entry<Channel, List<Event>> group : optional.entrySet()) {
            putOptional(group.getKey(), group.getValue());
        }
    }

    /** The events the interceptors keep, as they leave the last one (also what {@code sluice test} checks). */
    List<Event> intercept(List<Event> events) {
        List<Event> kept = events;
        for (Interceptor interceptor : interceptors) {
            kept = interceptor.intercept(kept);
        }
        return kept;
    }

    /**
     * Events per channel, in order. The selector is asked once per event (a load-balancing selector answers each
     * call with the next channel). When it answers every event with the same list (replicating does), the whole
     * batch goes to each channel without per-event grouping.
     */
    private Map<Channel, List<Event>> groupBy(List<Event> events, boolean required) {
        Map<Channel, List<Event>> groups = new IdentityHashMap<>();
        List<Channel> first = channelsFor(events.get(0), required);
        int size = events.size();
        int uniformUpTo = 1;
        List<Channel> differing = null;
        while (uniformUpTo < size) {
            List<Channel> channels = channelsFor(events.get(uniformUpTo), required);
            if (channels != first) {
                differing = channels;
                break;
            }
            uniformUpTo++;
        }
        if (differing == null) {
            for (Channel channel : first) {
                groups.put(channel, events);
            }
            return groups;
        }
        for (int i = 0; i < size; i++) {
            List<Channel> channels = i < uniformUpTo ? first : i == uniformUpTo ? differing
                    : channelsFor(events.get(i), required);
            for (Channel channel : channels) {
                groups.computeIfAbsent(channel, c -> new ArrayList<>()).add(events.get(i));
            }
        }
        return groups;
    }

    private List<Channel> channelsFor(Event event, boolean required) {
        return required ? selector.requiredChannels(event) : selector.optionalChannels(event);
    }

    private void putRequired(Channel channel, List<Event> events) {
        try {
            Transactions.putAll(channel, events);
        } catch (ChannelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ChannelException("source " + source + ": put of " + events.size()
                    + " events to required " + channel + " failed", e);
        }
    }

    private void putOptional(Channel channel, List<Event> events) {
        try {
            Transactions.putAll(channel, events);
        } catch (RuntimeException e) {
            // Optional by configuration: the user chose that this channel may miss events.
            LOG.warn("source {}: put of {} events to optional {} failed; they go to the required channels only",
                    source, events.size(), channel, e);
        }
    }
}

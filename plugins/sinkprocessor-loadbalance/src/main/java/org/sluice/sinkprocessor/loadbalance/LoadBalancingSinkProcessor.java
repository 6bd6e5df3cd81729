package org.sluice.sinkprocessor.loadbalance;

import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkProcessor;
import org.sluice.api.sink.SinkSelector;

/**
 * Offers each batch to the group's sinks in the order the selector gives, until one takes it: a sink that
 * throws has rolled its take back, so the next sink gets the same events in the same call, and the selector
 * is told of the failure. A BACKOFF (an empty channel) ends the call, as in Flume. When no sink takes the
 * batch the call fails and the events stay in the channels.
 *
 * <p>The selector is either built in ({@code round_robin}, {@code random}, with this plugin's backoff) or a
 * custom one from the service registry, which then decides alone about leaving failed sinks out, as in Flume.
 */
final class LoadBalancingSinkProcessor implements SinkProcessor {
    /** Flume's logger name, so existing log configurations keep working. */
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.sink.LoadBalancingSinkProcessor");

    private final String group;
    private final SinkSelector selector;
    /** The same selector when it is a built-in one (it also hears of deliveries); null for a custom one. */
    private final BuiltInSinkSelector builtIn;
    private final String selectorName;
    private final Map<Sink, String> names = new IdentityHashMap<>();

    private LoadBalancingSinkProcessor(String group, Map<String, Sink> sinks, SinkSelector selector,
            BuiltInSinkSelector builtIn, String selectorName) {
        this.group = group;
        this.selector = selector;
        this.builtIn = builtIn;
        this.selectorName = selectorName;
        sinks.forEach((name, sink) -> names.put(sink, name));
    }

    /** With round_robin or random. */
    static LoadBalancingSinkProcessor builtIn(String group, Map<String, Sink> sinks, BuiltInSinkSelector selector,
            String selectorName) {
        return new LoadBalancingSinkProcessor(group, sinks, selector, selector, selectorName);
    }

    /** With a selector from the registry; the platform starts and stops it. */
    static LoadBalancingSinkProcessor custom(String group, Map<String, Sink> sinks, SinkSelector selector,
            String selectorName) {
        return new LoadBalancingSinkProcessor(group, sinks, selector, null, selectorName);
    }

    @Override
    public Sink.Status process() throws EventDeliveryException {
        Iterator<Sink> order = selector.createSinkIterator();
        EventDeliveryException failures = null;
        while (order.hasNext()) {
            Sink candidate = order.next();
            String name = names.get(candidate);
            if (name == null) {
                throw new EventDeliveryException("load-balancing sink processor " + group + ": selector '"
                        + selectorName + "' offered " + candidate + ", which is not a sink of the group " + names.values()
                        + "; the events stay in the channel");
            }
            try {
                Sink.Status status = candidate.process();
                if (status == Sink.Status.READY && builtIn != null) {
                    builtIn.delivered(candidate);
                }
                return status;
            } catch (EventDeliveryException | RuntimeException e) {
                String outcome;
                if (builtIn != null) {
                    outcome = builtIn.failed(candidate);
                } else {
                    selector.informSinkFailed(candidate);
                    outcome = "offered again when selector '" + selectorName + "' says so";
                }
                LOG.warn("Load-balancing sink processor {}: sink {} failed; its batch stays in the channel for the "
                        + "next sink, and it is {}", group, name, outcome, e);
                if (failures == null) {
                    failures = new EventDeliveryException("load-balancing sink processor " + group + ": no sink "
                            + "could deliver; the events stay in the channel", e);
                } else {
                    failures.addSuppressed(e);
                }
            }
        }
        if (failures != null) {
            throw failures;
        }
        throw new EventDeliveryException("load-balancing sink processor " + group + ": "
                + (builtIn != null ? builtIn.whyNoSink() : "selector '" + selectorName + "' offered no sink")
                + "; the events stay in the channel until one is offered");
    }

    @Override
    public String toString() {
        return "load-balancing sink processor " + group + " over " + names.values() + " with selector '"
                + selectorName + "'";
    }
}

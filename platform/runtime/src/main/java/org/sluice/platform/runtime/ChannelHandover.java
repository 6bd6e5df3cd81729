package org.sluice.platform.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;

/**
 * The events of one agent's stopped memory channels, kept by the runtime until the channel of the same name
 * runs again (a changed configuration, a bundle update): a memory channel that stops hands out what it holds,
 * and its successor gets it back first. Not thread-safe: the agent calls it under its lock.
 */
final class ChannelHandover {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelHandover.class);
    private static final int BATCH = 100;

    private final String agent;
    private final Map<String, Deque<Event>> held = new LinkedHashMap<>();

    ChannelHandover(String agent) {
        this.agent = agent;
    }

    /**
     * Takes every event out of a stopped memory channel into the runtime's hands. The channel is stopped first:
     * a stopped channel hands out what it holds without waiting for more ({@link Channel#take}).
     */
    void takeFrom(String name, Channel channel) {
        Deque<Event> into = held.computeIfAbsent(name, n -> new ArrayDeque<>());
        int before = into.size();
        while (true) {
            List<Event> batch = new ArrayList<>(BATCH);
            Transaction tx = channel.getTransaction();
            tx.begin();
            try {
                for (int i = 0; i < BATCH; i++) {
                    Event event = channel.take();
                    if (event == null) {
                        break;
                    }
                    // A copy: the event's class may belong to the bundle that is going away.
                    batch.add(EventBuilder.copyOf(event));
                }
                tx.commit();
            } catch (Throwable t) {
                tx.rollback();
                LOG.error("Agent {}: could not take the events of stopping channel {} into safe keeping; "
                        + "they stay in the stopped channel instance and are lost with it", agent, name, t);
                if (t instanceof Error) {
                    throw (Error) t;
                }
                break;
            } finally {
                tx.close();
            }
            into.addAll(batch);
            if (batch.size() < BATCH) {
                break;
            }
        }
        if (into.isEmpty()) {
            held.remove(name);
        } else if (into.size() > before) {
            LOG.info("Agent {}: took {} events of channel {} into safe keeping until it runs again", agent,
                    into.size() - before, name);
        }
    }

    /**
     * Puts the held events of {@code name} into its new instance, oldest first, one per transaction so any
     * transactionCapacity fits. What a full channel refuses stays held and is tried again later.
     */
    void giveTo(String name, Channel channel) {
        Deque<Event> events = held.get(name);
        if (events == null) {
            return;
        }
        int restored = 0;
        while (!events.isEmpty()) {
            try {
                Transactions.putAll(channel, List.of(events.peekFirst()));
            } catch (RuntimeException e) {
                LOG.warn("Agent {}: channel {} took {} held events and refuses more for now ({}); the other {} stay "
                        + "held and are retried", agent, name, restored, e.toString(), events.size());
                break;
            }
            events.pollFirst();
            restored++;
        }
        if (events.isEmpty()) {
            held.remove(name);
        }
        if (restored > 0) {
            LOG.info("Agent {}: put {} held events back into channel {}", agent, restored, name);
        }
    }

    /** The channels that have events held for them. */
    List<String> channels() {
        return List.copyOf(held.keySet());
    }

    /** Held events by channel. */
    Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        held.forEach((name, events) -> out.put(name, events.size()));
        return Collections.unmodifiableMap(out);
    }

    /** The process is stopping: what is still held is lost with it, and said so. */
    void dropAll() {
        held.forEach((channel, events) -> {
            if (!events.isEmpty()) {
                LOG.error("Agent {}: {} events of memory channel {} were not delivered before shutdown and are lost "
                        + "with this process (a memory channel keeps events only while the agent runs)", agent,
                        events.size(), channel);
            }
        });
        held.clear();
    }
}

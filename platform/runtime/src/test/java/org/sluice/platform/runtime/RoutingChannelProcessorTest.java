package org.sluice.platform.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.sluice.api.channel.Channel;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.selector.ChannelSelector;
import org.sluice.api.testkit.ChannelTransactions;
import org.sluice.api.testkit.TestChannel;

/** A source's channel processor asks its selector once per event, as Flume's does, and keeps each channel's order. */
class RoutingChannelProcessorTest {

    private final TestChannel c1 = new TestChannel(100);
    private final TestChannel c2 = new TestChannel(100);

    private static List<Event> events(int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(EventBuilder.withBody(Integer.toString(i), StandardCharsets.UTF_8));
        }
        return events;
    }

    private static List<String> bodies(Channel channel) {
        return ChannelTransactions.takeAllBodies(channel, 100);
    }

    @Test
    void aSelectorThatAnswersEachCallWithTheNextChannelIsAskedOncePerEvent() {
        AtomicInteger calls = new AtomicInteger();
        ChannelSelector alternating = new ChannelSelector() {
            @Override
            public List<Channel> requiredChannels(Event event) {
                return calls.getAndIncrement() % 2 == 0 ? List.of(c1) : List.of(c2);
            }

            @Override
            public List<Channel> optionalChannels(Event event) {
                return List.of();
            }
        };
        RoutingChannelProcessor processor = new RoutingChannelProcessor("a1.r1", List.of(), alternating);

        processor.processEventBatch(events(5));
        processor.processEvent(EventBuilder.withBody("5", StandardCharsets.UTF_8));

        assertEquals(6, calls.get());
        assertEquals(List.of("0", "2", "4"), bodies(c1));
        assertEquals(List.of("1", "3", "5"), bodies(c2));
    }

    @Test
    void aSelectorAnsweringTheSameListSendsTheWholeBatchToEachChannel() {
        List<Channel> both = List.of(c1, c2);
        ChannelSelector replicating = new ChannelSelector() {
            @Override
            public List<Channel> requiredChannels(Event event) {
                return both;
            }

            @Override
            public List<Channel> optionalChannels(Event event) {
                return List.of();
            }
        };

        new RoutingChannelProcessor("a1.r1", List.of(), replicating).processEventBatch(events(3));

        assertEquals(List.of("0", "1", "2"), bodies(c1));
        assertEquals(List.of("0", "1", "2"), bodies(c2));
    }
}

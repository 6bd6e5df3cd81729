package org.sluice.platform.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.sluice.api.channel.AbstractChannel;
import org.sluice.api.channel.AbstractTransaction;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.testkit.TestChannel;
import org.sluice.platform.metrics.ComponentCounters;
import org.sluice.platform.tap.TapPoint;

/** Flume's put and take counters kept around a plugin's channel, and where puts and takes land. */
class ManagedChannelTest {
    private final ComponentCounters counters = ComponentCounters.forChannel("a1", "c1");

    private ManagedChannel managed(org.sluice.api.channel.Channel plugin) {
        return new ManagedChannel("c1", plugin, counters, new TapPoint());
    }

    @Test
    void countsAttemptsPerCallAndSuccessesOnCommit() {
        TestChannel plugin = new TestChannel(10);
        ManagedChannel channel = managed(plugin);
        Transactions.putAll(channel, events("a", "b", "c"));
        SinkChannel sink = new SinkChannel(channel, new TapPoint());

        Transaction rolledBack = sink.getTransaction();
        rolledBack.begin();
        sink.take();
        sink.take();
        rolledBack.rollback();
        rolledBack.close();

        Transaction committed = sink.getTransaction();
        committed.begin();
        List<String> taken = new ArrayList<>();
        for (Event event; (event = sink.take()) != null; ) {
            taken.add(new String(event.getBody(), UTF_8));
        }
        committed.commit();
        committed.close();

        assertEquals(List.of("a", "b", "c"), taken);
        assertEquals(3, counters.get(ChannelCounter.EVENT_PUT_ATTEMPT));
        assertEquals(3, counters.get(ChannelCounter.EVENT_PUT_SUCCESS));
        assertEquals(2 + 4, counters.get(ChannelCounter.EVENT_TAKE_ATTEMPT), "the take that found none counts");
        assertEquals(3, counters.get(ChannelCounter.EVENT_TAKE_SUCCESS), "the rolled back takes do not");
        assertEquals(0, plugin.size());
    }

    @Test
    void aPutFollowsTheTransactionThePluginsChannelRoutesTo() {
        TestChannel plugin = new TestChannel(10);
        ManagedChannel channel = managed(plugin);
        Transactions.putAll(channel, events("a"));
        // The runtime's own hand-over works on the plugin's channel directly: the thread's transaction there is
        // then one the managed channel did not hand out.
        Transaction direct = plugin.getTransaction();
        direct.begin();
        channel.put(EventBuilder.withBody("b", UTF_8));
        direct.commit();
        direct.close();
        assertEquals(2, plugin.size());

        assertThrows(IllegalStateException.class, () -> channel.put(EventBuilder.withBody("c", UTF_8)),
                "outside a transaction");
        assertEquals(2, plugin.size());
    }

    @Test
    void aChannelWithItsOwnPutAndTakeGetsEveryCall() {
        List<String> seen = new ArrayList<>();
        TestChannel inner = new TestChannel(10);
        AbstractChannel plugin = new AbstractChannel() {
            @Override
            protected AbstractTransaction createTransaction() {
                return (AbstractTransaction) inner.getTransaction();
            }

            @Override
            public void put(Event event) throws ChannelException {
                seen.add("put");
                inner.put(event);
            }

            @Override
            public Event take() throws ChannelException {
                seen.add("take");
                return inner.take();
            }
        };
        ManagedChannel channel = managed(plugin);
        Transactions.putAll(channel, events("a"));
        Transaction tx = channel.getTransaction();
        tx.begin();
        assertEquals("a", new String(channel.take().getBody(), UTF_8));
        assertNull(channel.take());
        tx.commit();
        tx.close();

        assertEquals(List.of("put", "take", "take"), seen);
    }

    private static List<Event> events(String... bodies) {
        List<Event> events = new ArrayList<>();
        for (String body : bodies) {
            events.add(EventBuilder.withBody(body, UTF_8));
        }
        return events;
    }
}

package org.sluice.channel.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.api.testkit.channel.ChannelContract;
import org.sluice.testkit.TestContexts;

/** The memory channel keeps the channel contract, with Flume's keys: capacity, transactionCapacity, keep-alive. */
class MemoryChannelContractTest extends ChannelContract {

    @Override
    protected ChannelFactory factory() {
        return new MemoryChannelFactory();
    }

    @Override
    protected ChannelContext context(String name, Map<String, String> properties) {
        return TestContexts.channel(name, properties, dataRoot);
    }

    @Override
    protected Optional<Map<String, String>> capacity(int events) {
        String n = Integer.toString(events);
        return Optional.of(Map.of("capacity", n, "transactionCapacity", n, "keep-alive", "0"));
    }

    @Override
    protected Optional<Map<String, String>> transactionCapacity(int events) {
        return Optional.of(Map.of("transactionCapacity", Integer.toString(events)));
    }

    @Override
    protected Optional<Map<String, String>> keepAlive(int events, int seconds) {
        String n = Integer.toString(events);
        return Optional.of(Map.of("capacity", n, "transactionCapacity", n, "keep-alive", Integer.toString(seconds)));
    }

    /** keep-alive is 3 s by default, and a take waits at most half a second of it. */
    @Override
    protected Duration takeWait() {
        return Duration.ofNanos(EventStore.MAX_TAKE_WAIT_NANOS);
    }

    /** Its own accounting too: nothing held or outstanding, no byte slot left in use. */
    @Override
    protected void assertHoldsNothing(Channel channel) {
        super.assertHoldsNothing(channel);
        assertEquals(0, ((MemoryChannel) channel).size());
        assertEquals(0, ((MemoryChannel) channel).usedByteSlots());
    }

    @Override
    protected int concurrentEvents() {
        return 80_000;
    }
}

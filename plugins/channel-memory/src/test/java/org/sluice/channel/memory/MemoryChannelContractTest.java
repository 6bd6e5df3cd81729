package org.sluice.channel.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.testkit.PlatformChannelContract;

/** The memory channel keeps the channel contract, with Flume's keys: capacity, transactionCapacity, keep-alive. */
class MemoryChannelContractTest extends PlatformChannelContract {

    @Override
    protected ChannelFactory factory() {
        return new MemoryChannelFactory();
    }

    @Override
    protected Optional<Map<String, String>> capacity(int events) {
        return flumeCapacityKeys(events, 0);
    }

    @Override
    protected Optional<Map<String, String>> transactionCapacity(int events) {
        return Optional.of(Map.of("transactionCapacity", Integer.toString(events)));
    }

    @Override
    protected Optional<Map<String, String>> keepAlive(int events, int seconds) {
        return flumeCapacityKeys(events, seconds);
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

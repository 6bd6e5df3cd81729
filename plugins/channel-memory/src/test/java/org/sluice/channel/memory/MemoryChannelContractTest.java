package org.sluice.channel.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.testkit.PlatformChannelContract;

/** The memory channel keeps the channel contract, with Flume's keys: capacity, transactionCapacity, keep-alive. */
class MemoryChannelContractTest extends PlatformChannelContract {

    @Override
    protected ChannelFactory factory() {
        return new MemoryChannelFactory();
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

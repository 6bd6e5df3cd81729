package org.sluice.channel.spillable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.testkit.PlatformChannelContract;

/**
 * The spillable memory channel keeps the channel contract, durable (a clean stop saves its memory to the
 * overflow). Memory holds three events and a put never waits for it, so most of the contract's transactions
 * spill into the overflow or cross from one store to the other. Bounded, it is memory alone
 * ({@code overflowCapacity = 0}), and overflowTimeout is its keep-alive.
 */
class SpillableChannelContractTest extends PlatformChannelContract {

    @Override
    protected ChannelFactory factory() {
        return new SpillableChannelFactory();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("memoryCapacity", "3", "overflowTimeout", "0", "minimumRequiredSpace", "0");
    }

    @Override
    protected Optional<Map<String, String>> capacity(int events) {
        return Optional.of(Map.of("memoryCapacity", Integer.toString(events), "overflowCapacity", "0"));
    }

    @Override
    protected Optional<Map<String, String>> keepAlive(int events, int seconds) {
        return Optional.of(Map.of("memoryCapacity", Integer.toString(events), "overflowCapacity", "0",
                "overflowTimeout", Integer.toString(seconds)));
    }

    @Override
    protected Duration takeWait() {
        return Duration.ofNanos(SpillableChannel.MAX_TAKE_WAIT_NANOS);
    }

    @Override
    protected void assertHoldsNothing(Channel channel) {
        super.assertHoldsNothing(channel);
        assertEquals(0, ((SpillableChannel) channel).size());
    }

    @Override
    protected int concurrentEvents() {
        return 4000;
    }
}

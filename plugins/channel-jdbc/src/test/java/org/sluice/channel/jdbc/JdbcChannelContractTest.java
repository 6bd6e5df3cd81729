package org.sluice.channel.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.testkit.PlatformChannelContract;

/**
 * The JDBC channel keeps the channel contract, durable. As in Flume it bounds only the events it holds
 * ({@code maximum.capacity}, refused at once), not a transaction, and has no keep-alive; a transaction's first
 * take waits half a second.
 */
class JdbcChannelContractTest extends PlatformChannelContract {

    @Override
    protected ChannelFactory factory() {
        return new JdbcChannelFactory();
    }

    /** Fewer connections than the many-threads test has threads: takers and committers wait for one. */
    @Override
    protected Map<String, String> settings() {
        return Map.of("maximum.connections", "4");
    }

    @Override
    protected Optional<Map<String, String>> capacity(int events) {
        return Optional.of(Map.of("maximum.capacity", Integer.toString(events)));
    }

    @Override
    protected Optional<Map<String, String>> transactionCapacity(int events) {
        return Optional.empty();
    }

    @Override
    protected Optional<Map<String, String>> keepAlive(int events, int seconds) {
        return Optional.empty();
    }

    @Override
    protected Duration takeWait() {
        return Duration.ofNanos(JdbcChannel.MAX_TAKE_WAIT_NANOS);
    }

    @Override
    protected void assertHoldsNothing(Channel channel) {
        super.assertHoldsNothing(channel);
        assertEquals(0, ((JdbcChannel) channel).size());
    }

    /** Every commit is a Derby transaction forced to the disk. */
    @Override
    protected int concurrentEvents() {
        return 1200;
    }
}

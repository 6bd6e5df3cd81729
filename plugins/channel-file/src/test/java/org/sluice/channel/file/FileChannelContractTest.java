package org.sluice.channel.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelFactory;
import org.sluice.testkit.PlatformChannelContract;

/**
 * The file channel keeps the channel contract, durable: restarts replay the data files (no checkpoint on a
 * timer or at close, so every restart takes the longer way), with Flume's capacity, transactionCapacity and
 * keep-alive keys.
 */
class FileChannelContractTest extends PlatformChannelContract {

    @Override
    protected ChannelFactory factory() {
        return new FileChannelFactory(directory -> Long.MAX_VALUE);
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("checkpointInterval", "600000", "checkpointOnClose", "false");
    }

    /** keep-alive is 3 s by default, and a take waits at most half a second of it. */
    @Override
    protected Duration takeWait() {
        return Duration.ofNanos(FileChannel.MAX_TAKE_WAIT_NANOS);
    }

    @Override
    protected void assertHoldsNothing(Channel channel) {
        super.assertHoldsNothing(channel);
        assertEquals(0, ((FileChannel) channel).size());
    }

    @Override
    protected int concurrentEvents() {
        return 6000;
    }
}

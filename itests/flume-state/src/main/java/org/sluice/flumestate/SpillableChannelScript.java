package org.sluice.flumestate;

import org.apache.flume.channel.SpillableMemoryChannel;

/**
 * Runs a {@link ChannelScript} on Apache Flume 1.11.0's own spillable memory channel: {@code SpillableChannelScript
 * <channel.properties> <script>}. Its overflow is a Flume file channel in the channel's {@code checkpointDir} and
 * {@code dataDirs}; with {@code memoryCapacity = 0} every put goes there.
 */
public final class SpillableChannelScript {
    private SpillableChannelScript() {
    }

    public static void main(String[] args) throws Exception {
        ChannelScript.run(new SpillableMemoryChannel(), ChannelScript.context(args[0]), args[1], () -> {
            throw new IllegalArgumentException("the spillable memory channel's overflow checkpoints by itself");
        });
    }
}

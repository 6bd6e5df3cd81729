package org.sluice.flumestate;

import org.apache.flume.channel.jdbc.JdbcChannel;

/**
 * Runs a {@link ChannelScript} on Apache Flume 1.11.0's own jdbc channel (embedded Derby): {@code JdbcChannelScript
 * <channel.properties> <script>}. It has no checkpoint: every commit is in the database.
 */
public final class JdbcChannelScript {
    private JdbcChannelScript() {
    }

    public static void main(String[] args) throws Exception {
        ChannelScript.run(new JdbcChannel(), ChannelScript.context(args[0]), args[1], () -> {
            throw new IllegalArgumentException("the jdbc channel has no checkpoint");
        });
    }
}

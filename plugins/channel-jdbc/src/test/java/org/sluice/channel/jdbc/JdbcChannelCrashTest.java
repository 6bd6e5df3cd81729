package org.sluice.channel.jdbc;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.testkit.crash.ChannelCrashRounds;

/**
 * Kills a process that writes to a JDBC channel (SIGKILL, so no stop and no database shutdown) at random
 * moments; every acknowledged put must survive and no acknowledged take may come back (see ChannelCrashRounds).
 */
class JdbcChannelCrashTest {
    @TempDir
    Path root;

    @Test
    void acknowledgedEventsSurviveAKill() throws Exception {
        ChannelCrashRounds.run(JdbcChannelFactory.class, Map.of("maximum.connections", "4"),
                List.of("-Dderby.stream.error.file=" + root.resolve("derby-child.log")), root);
    }
}

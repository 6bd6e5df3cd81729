package org.sluice.channel.spillable;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.testkit.crash.ChannelCrashRounds;

/**
 * Kills a process that writes to a spillable memory channel's overflow (SIGKILL, so no stop) at random moments;
 * every acknowledged put must survive and no acknowledged take may come back (see ChannelCrashRounds).
 */
class SpillableChannelCrashTest {
    /**
     * Every commit goes to the overflow (memoryCapacity 0), the part of the channel that promises to survive
     * a crash; small files, so that rolls and deletions happen during the run.
     */
    private static final Map<String, String> PROPERTIES = Map.of("memoryCapacity", "0", "maxFileSize", "65536",
            "minimumRequiredSpace", "0", "transactionCapacity", "100");

    @TempDir
    Path root;

    @Test
    void acknowledgedEventsSurviveAKill() throws Exception {
        ChannelCrashRounds.run(SpillableChannelFactory.class, PROPERTIES, List.of(), root);
    }
}

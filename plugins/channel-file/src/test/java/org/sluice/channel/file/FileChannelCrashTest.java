package org.sluice.channel.file;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.testkit.crash.ChannelCrashRounds;

/**
 * Kills a process that writes to a file channel (SIGKILL, so no stop and no checkpoint on close) at random
 * moments; every acknowledged put must survive and no acknowledged take may come back (see ChannelCrashRounds).
 */
class FileChannelCrashTest {
    /** Small files and frequent checkpoints, so that rolls, checkpoints and deletions happen during the run. */
    private static final Map<String, String> PROPERTIES = Map.of("checkpointInterval", "1000", "maxFileSize",
            "65536", "minimumRequiredSpace", "0", "keep-alive", "1", "capacity", "1000000",
            "transactionCapacity", "100");

    @TempDir
    Path root;

    @Test
    void acknowledgedEventsSurviveAKill() throws Exception {
        ChannelCrashRounds.run(FileChannelFactory.class, PROPERTIES, List.of(), root);
    }
}

package org.sluice.channel.spillable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.component.ConfigurationException;
import org.sluice.flumestate.FlumeJvm;
import org.sluice.flumestate.ScriptRun;
import org.sluice.support.log.FileOpener;
import org.sluice.testkit.TestContexts;

/**
 * The overflow Flume 1.11.0's own spillable memory channel left (a Flume file channel, killed with events in it) is
 * not taken over, so a start on it is refused, naming the key and the directory, rather than starting empty beside
 * it: with the directories configured, and with Flume's defaults under the user's home when they are not.
 */
class FlumeOverflowTest {
    @TempDir
    Path temp;

    @Test
    void aStartBesideTheOverflowFlumeLeftIsRefusedNamingItsDirectory() throws Exception {
        Path defaults = temp.resolve("home/.flume/file-channel");
        Path data = defaults.resolve("data");
        Map<String, String> keys = Map.of("memoryCapacity", "0", "checkpointDir",
                defaults.resolve("checkpoint").toString(), "dataDirs", data.toString());
        ScriptRun flume = ScriptRun.run(FlumeJvm.SPILLABLE_CHANNEL_SCRIPT, temp.resolve("flume"), keys,
                List.of("put 1 20", "hold"));
        assertEquals(20, flume.puts().size(), flume.flumeLog());
        SpillableChannelFactory factory = new SpillableChannelFactory(FileOpener.DEFAULT, defaults);

        ConfigurationException configured = assertThrows(ConfigurationException.class,
                () -> factory.create(TestContexts.channel("c1", keys, temp.resolve("sluice"))));
        assertTrue(configured.getMessage().contains("dataDirs") && configured.getMessage().contains(data.toString()),
                configured.getMessage());

        ConfigurationException byDefault = assertThrows(ConfigurationException.class,
                () -> factory.create(TestContexts.channel("c1", Map.of(), temp.resolve("sluice"))));
        assertTrue(byDefault.getMessage().contains(data.toString()), byDefault.getMessage());
    }
}

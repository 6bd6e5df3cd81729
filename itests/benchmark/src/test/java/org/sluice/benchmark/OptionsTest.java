package org.sluice.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void quickRunsTheHeadlineScenariosInTwoShortRounds() {
        Options options = Options.parse(new String[] {"--quick", "--sluice-home", "/opt/sluice"});
        assertEquals(Options.QUICK_SCENARIOS, options.scenarios());
        assertEquals(2, options.rounds());
        assertEquals(Duration.ofSeconds(5), options.warmUp());
        assertEquals(Duration.ofSeconds(10), options.window());
    }

    @Test
    void optionsGivenBesideQuickWinWhereverTheyStand() {
        Options options = Options.parse(new String[] {"--rounds", "3", "--quick", "--scenario", "seq-file-null",
                "--sluice-home", "/opt/sluice", "--window", "20"});
        assertEquals(List.of("seq-file-null"), options.scenarios());
        assertEquals(3, options.rounds());
        assertEquals(Duration.ofSeconds(5), options.warmUp());
        assertEquals(Duration.ofSeconds(20), options.window());
    }

    @Test
    void withoutQuickEveryScenarioRunsAtTheFullLength() {
        Options options = Options.parse(new String[] {"--sluice-home", "/opt/sluice"});
        assertEquals(List.of(), options.scenarios(), "empty: every scenario of the directory");
        assertEquals(3, options.rounds());
        assertEquals(Duration.ofSeconds(30), options.window());
    }

    @Test
    void everyQuickScenarioHasAFile() {
        for (String scenario : Options.QUICK_SCENARIOS) {
            assertTrue(Files.isRegularFile(Path.of("scenarios", scenario + ".properties")), scenario);
        }
    }

    @Test
    void anOptionWithoutItsValueIsRefusedByName() {
        Options.UsageException e = assertThrows(Options.UsageException.class,
                () -> Options.parse(new String[] {"--quick", "--rounds"}));
        assertEquals("--rounds needs a value", e.getMessage());
    }

    @Test
    void startupMeasuresTheNetcatAgentInFiveRoundsIntoItsOwnReport() {
        Options options = Options.parse(new String[] {"--startup", "--sluice-home", "/opt/sluice"});
        assertTrue(options.startup());
        assertEquals(List.of(Options.STARTUP_SCENARIO), options.scenarios());
        assertEquals(5, options.rounds());
        assertEquals(Duration.ofSeconds(10), options.idle());
        assertEquals(Path.of("target/startup-results.md"), options.report());
        assertTrue(Files.isRegularFile(Path.of("scenarios", Options.STARTUP_SCENARIO + ".properties")));
    }

    @Test
    void startupTakesOneScenarioAndNotQuick() {
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"--startup", "--quick",
                "--sluice-home", "/opt/sluice"}));
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"--startup", "--scenario",
                "seq-memory-null,netcat-memory-fileroll", "--sluice-home", "/opt/sluice"}));
        Options idle = Options.parse(new String[] {"--startup", "--idle", "30", "--rounds", "3", "--agents", "flume"});
        assertEquals(Duration.ofSeconds(30), idle.idle());
        assertEquals(3, idle.rounds());
    }
}

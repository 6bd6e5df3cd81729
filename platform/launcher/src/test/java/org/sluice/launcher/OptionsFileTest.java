package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flume 1.10+'s flume.opts: the User Guide's example, the command line winning, and what Flume would refuse. */
class OptionsFileTest {
    @TempDir
    Path directory;

    private Path options(String... lines) throws Exception {
        return Files.writeString(directory.resolve(OptionsFile.NAME), String.join("\n", lines) + "\n");
    }

    @Test
    void theUserGuidesExampleMergesBothFilesInOrderAndNamesTheAgent() throws Exception {
        Path file = options("conf-file = example.conf", "conf-file = override.conf", "name = a1");

        Invocation invocation = CommandLine.parse(OptionsFile.merge(new String[] {"agent", "--no-shell"}, file));

        assertEquals("a1", invocation.agentName());
        assertEquals(List.of(Path.of("example.conf"), Path.of("override.conf")), invocation.configuration().files());
    }

    @Test
    void anOptionTheCommandLineGivesWinsOverTheFilesInAnySpelling() throws Exception {
        Path file = options("n = from-file", "f = file.conf", "poll-interval = 5", "no-reload-conf = true",
                "-user = alice", "conf-password = s3cret");

        String[] merged = OptionsFile.merge(new String[] {"agent", "--name", "a2", "-f", "cli.conf",
            "--conf-poll-interval=7"}, file);
        Invocation invocation = CommandLine.parse(merged);

        assertEquals("a2", invocation.agentName());
        assertEquals(List.of(Path.of("cli.conf")), invocation.configuration().files());
        assertEquals(7, invocation.configuration().pollIntervalSeconds());
        assertFalse(invocation.configuration().reload());
        assertEquals(Optional.of("alice"), invocation.configuration().user());
        assertEquals(Optional.of("s3cret"), invocation.configuration().password());
        String shown = OptionsFile.shown(merged);
        assertFalse(shown.contains("s3cret"), shown);
        assertTrue(shown.contains("--conf-password ****"), shown);
    }

    @Test
    void aFlagCountsOnlyWhenTrueAsInCommonsCli() throws Exception {
        for (String value : List.of("false", "no", "0", "")) {
            Path file = options("name = a1", "conf-file = a.conf", "no-reload-conf = " + value);
            assertTrue(CommandLine.parse(OptionsFile.merge(new String[] {"agent"}, file)).configuration().reload(),
                    value);
        }
        Path file = options("name = a1", "conf-file = a.conf", "no-reload-conf = YES");
        assertFalse(CommandLine.parse(OptionsFile.merge(new String[] {"agent"}, file)).configuration().reload());
    }

    @Test
    void anOptionFlumesAgentDoesNotHaveIsRefusedNamingTheFile() throws Exception {
        Path file = options("name = a1", "conf-files = a.conf");

        UsageException e = assertThrows(UsageException.class, () -> OptionsFile.merge(new String[] {"agent"}, file));

        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("'conf-files'"),
                e.getMessage());
    }

    @Test
    void theSystemFileComesFirstThenTheConfigurationDirectorysOne() throws Exception {
        Path inConf = options("name = a1");
        Path system = directory.resolve("etc-flume.opts");

        assertEquals(Optional.of(inConf), OptionsFile.locate(system, directory));
        Files.writeString(system, "name = a2\n");
        assertEquals(Optional.of(system), OptionsFile.locate(system, directory));
        assertEquals(Optional.empty(), OptionsFile.locate(directory.resolve("none"), directory.resolve("nowhere")));
        assertEquals(Optional.of(Path.of("conf")), OptionsFile.confDirectory(new String[] {"agent", "-c", "conf"}));
        assertEquals(Optional.of(Path.of("c2")), OptionsFile.confDirectory(new String[] {"agent", "--conf=c2"}));
    }

    @Test
    void onlyFlumesAgentCommandReadsIt() throws Exception {
        options("name = a1", "conf-file = a.conf");
        String[] args = {"agent", "-c", directory.toString()};
        String previous = System.getProperty(OptionsFile.ENABLED_PROPERTY);
        try {
            System.clearProperty(OptionsFile.ENABLED_PROPERTY);
            assertEquals(List.of(args), List.of(Main.withOptionsFile(args)), "sluice agent does not read it");
            System.setProperty(OptionsFile.ENABLED_PROPERTY, "true");
            // Unless this machine has Flume's own /etc/flume/flume.opts, the -c directory's file is read.
            if (!Files.exists(OptionsFile.SYSTEM_FILE)) {
                assertEquals("a1", CommandLine.parse(Main.withOptionsFile(args)).agentName());
            }
            String[] validate = {"validate", "-c", directory.toString(), "-n", "a1", "-f", "x"};
            assertEquals(List.of(validate), List.of(Main.withOptionsFile(validate)));
        } finally {
            if (previous == null) {
                System.clearProperty(OptionsFile.ENABLED_PROPERTY);
            } else {
                System.setProperty(OptionsFile.ENABLED_PROPERTY, previous);
            }
        }
    }
}

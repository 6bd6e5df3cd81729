package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent keeps under data/ and logs/ is its user's alone (issue 15). */
class PrivateStateTest {
    @TempDir
    Path home;

    @Test
    void dataAndLogsArePrivateEvenWhenTheyWereNot() throws IOException {
        // The finding: data/ was world-readable, Config Admin's files in it too.
        Files.createDirectories(home.resolve("data"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Layout layout = Layout.resolve(LayoutTest.properties("sluice.home", home.toString()), Map.of(),
                Optional.empty());
        List<Path> narrowed = layout.createWritableDirectories();
        assertEquals(List.of(layout.data(), layout.logs()), narrowed);
        for (Path directory : List.of(layout.data(), layout.logs())) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)),
                    directory.toString());
        }
        assertTrue(layout.createWritableDirectories().isEmpty(), "nothing to narrow the second time");
    }

    @Test
    void configAdminKeepsConfigurationsInMemoryOnly() throws Exception {
        Layout layout = Layout.resolve(LayoutTest.properties("sluice.home", home.toString()), Map.of(),
                Optional.empty());
        Map<String, Object> agent = FrameworkProperties.forAgent(layout, CommandLine.parse("agent"),
                List.of(home.resolve("agent.properties").toString()), new java.util.Properties(), false);
        assertEquals("sluice.memory", agent.get("felix.cm.pm"));
        Map<String, Object> validate = FrameworkProperties.forCommand(layout,
                CommandLine.parse("validate", "-n", "a1", "-f", "f"), List.of(Path.of("f").toAbsolutePath().toString()),
                new java.util.Properties(), FrameworkProperties.MODE_VALIDATE);
        assertEquals("sluice.memory", validate.get("felix.cm.pm"));
    }

    @Test
    void theLogFileIsWrittenForItsOwnerOnly() throws IOException {
        String configuration = Files.readString(Path.of("../../distribution/src/main/dist/conf/log4j2.xml"));
        assertTrue(configuration.contains("filePermissions=\"rw-------\""), "sluice.log must be 0600");
    }

    @Test
    void validateRunsExternalFiltersOnlyWhenAsked() throws Exception {
        assertTrue(CommandLine.parse("validate", "-f", "f", "-n", "a1").definitions().isEmpty());
        assertEquals(Map.of("sluice.validate.resolveFilters", "true"),
                CommandLine.parse("validate", "-f", "f", "-n", "a1", "--resolve-filters").definitions());
        org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> CommandLine.parse("agent", "-f", "f", "-n", "a1", "--resolve-filters"));
    }
}

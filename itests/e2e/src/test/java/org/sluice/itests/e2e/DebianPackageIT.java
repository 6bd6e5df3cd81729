package org.sluice.itests.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code bin/sluice dist -o NAME.deb}: the Debian package is built, installed with dpkg, its systemd unit
 * checked by {@code systemd-analyze verify}, the agent started the way the unit starts it and stopped with
 * SIGTERM, then the package purged.
 *
 * <p>The package is installed under a root of the test's own ({@code dpkg --root}, maintainer scripts run
 * without chroot), not into this machine's /: the machine is shared, has no systemd running to start a service,
 * and a test must not leave a user and a service behind. The maintainer scripts see {@code DPKG_ROOT} and skip
 * what belongs to the machine (the user, systemctl); the unit's command line is run as systemd would run it, its
 * specifiers (%N, %S, %L) and paths taken under that root.
 */
class DebianPackageIT {

    private static final String NAME = "sluice-e2e";

    @Test
    void theDebianPackageInstallsRunsItsDefaultAgentAsItsUnitDoesAndPurges() throws Exception {
        assumeTrue(onPath("dpkg-deb") && onPath("dpkg"), "dpkg and dpkg-deb (Debian's dpkg package) are needed");
        Installation sluice = Installation.fresh();
        Path work = Installation.workDirectory("deb-");
        Path output = Files.createDirectories(work.resolve("file-roll"));
        Path conf = CustomDistributionIT.writeSeqConfig(work.resolve("my.conf"), output);
        Path mySink = Files.copy(sluice.deployedJar("org.sluice.sink.nullsink"), work.resolve("my-sink.jar"));
        Path deb = work.resolve(NAME + ".deb");

        AgentProcess dist = AgentProcess.run(sluice, "dist", "--plugins", "seq,memory,fileroll", "--add",
                mySink.toString(), "--conf", conf.toString(), "--name", NAME, "-o", deb.toString());
        assertEquals(0, dist.exitValue(), dist::outputOrReason);

        String info = CustomDistributionIT.run(work, "dpkg-deb", "--field", deb.toString(), "Package", "Version",
                "Architecture");
        assertTrue(info.contains("Package: " + NAME) && info.contains("Architecture: all"), info);
        String contents = CustomDistributionIT.run(work, "dpkg-deb", "--contents", deb.toString());
        for (String path : List.of("./opt/" + NAME + "/bin/sluice", "./lib/systemd/system/" + NAME + ".service",
                "./etc/" + NAME + "/my.conf", "./etc/" + NAME + "/sluice-env.sh", "./usr/bin/" + NAME)) {
            assertTrue(contents.contains(path), path + " in the package:\n" + contents);
        }

        Path root = emptyDpkgRoot(work.resolve("root"));
        String install = dpkg(root, "--force-depends", "-i", deb.toString());
        assertTrue(install.contains("Setting up " + NAME), install);
        assertTrue(dpkg(root, "-s", NAME).contains("Status: install ok installed"));
        String conffiles = Files.readString(root.resolve("var/lib/dpkg/info/" + NAME + ".conffiles"));
        assertTrue(conffiles.contains("/etc/" + NAME + "/my.conf"), "the agent configuration is a conffile: "
                + conffiles);

        Path unit = root.resolve("lib/systemd/system/" + NAME + ".service");
        verifyUnit(root, unit);
        Map<String, String> settings = unitSettings(unit);
        assertEquals("on-failure", settings.get("Restart"));
        assertEquals("mixed", settings.get("KillMode"), "SIGTERM to the JVM alone, which drains");

        // What systemd does before ExecStart: StateDirectory= and LogsDirectory=, then the command line.
        Path state = Files.createDirectories(root.resolve("var/lib/" + NAME));
        Path logs = Files.createDirectories(root.resolve("var/log/" + NAME));
        List<String> command = execStart(settings.get("ExecStart"), root);
        Installation installed = Installation.at(root.resolve("opt/" + NAME));
        assertEquals(installed.resolve("bin/sluice").toString(), command.get(0));
        Map<String, String> environment = new HashMap<>();
        String logDir = specifiers(settings.get("Environment"), root);
        environment.put(logDir.substring(0, logDir.indexOf('=')), logDir.substring(logDir.indexOf('=') + 1));
        try (AgentProcess agent = AgentProcess.start(installed, environment,
                command.subList(1, command.size()).toArray(String[]::new))) {
            await("the installed agent's events in the file_roll output").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!agent.isAlive()) {
                            throw new AssertionError("the agent ended: " + agent.output());
                        }
                        return DistributionIT.fileRollLines(output).size() >= CustomDistributionIT.EVENTS;
                    });
            assertEquals(0, agent.terminate(), agent::outputOrReason);
        }
        assertEquals(CustomDistributionIT.EVENTS, DistributionIT.fileRollLines(output).size());
        assertTrue(Files.isRegularFile(logs.resolve("sluice.log")), "the log in /var/log/" + NAME);
        assertTrue(Files.isDirectory(state.resolve("cache")), "the framework's state in /var/lib/" + NAME);
        assertFalse(Files.exists(installed.resolve("data")), "nothing written under /opt");

        String purge = dpkg(root, "--purge", NAME);
        assertTrue(purge.contains("Purging configuration files for " + NAME), purge);
        // (opt/NAME itself stays: the test's console capture of the agent is in it, not a file of the package.)
        assertFalse(Files.exists(installed.resolve("bin")), "purge removes the installation");
        assertFalse(Files.exists(installed.resolve("deploy")), "purge removes the installation");
        assertFalse(Files.exists(root.resolve("etc/" + NAME)), "purge removes the conffiles");
        assertFalse(Files.exists(state), "purge removes the agent's data");
        assertFalse(Files.exists(logs), "purge removes the agent's logs");
    }

    /** The status database dpkg needs under a new root. */
    private static Path emptyDpkgRoot(Path root) throws IOException {
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.createDirectories(root.resolve("var/log"));
        Files.writeString(root.resolve("var/lib/dpkg/status"), "");
        return root;
    }

    private static String dpkg(Path root, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("dpkg", "--root=" + root, "--force-script-chrootless",
                "--log=" + root.resolve("var/log/dpkg.log")));
        if (!"root".equals(System.getProperty("user.name"))) {
            command.add("--force-not-root");
        }
        command.addAll(List.of(arguments));
        return CustomDistributionIT.run(root, command.toArray(String[]::new));
    }

    /**
     * {@code systemd-analyze verify} of the installed unit, under the test's root: the units it depends on
     * (multi-user.target, ...) are this machine's, copied in beside it.
     */
    private static void verifyUnit(Path root, Path unit) throws IOException, InterruptedException {
        if (!onPath("systemd-analyze") || !Files.isDirectory(Path.of("/lib/systemd/system"))) {
            System.err.println("systemd-analyze or /lib/systemd/system is missing: the unit is not verified");
            return;
        }
        try (Stream<Path> units = Files.list(Path.of("/lib/systemd/system"))) {
            for (Path system : (Iterable<Path>) units::iterator) {
                Path copy = unit.getParent().resolve(system.getFileName().toString());
                if (Files.isRegularFile(system) && !Files.exists(copy)) {
                    Files.copy(system, copy);
                }
            }
        }
        String verdict = CustomDistributionIT.run(root, "systemd-analyze", "verify", "--root=" + root,
                "/lib/systemd/system/" + unit.getFileName());
        assertFalse(verdict.contains(unit.getFileName().toString()), "systemd finds fault with the unit:\n" + verdict);
    }

    /** The unit's Key=Value lines (the last of each key). */
    private static Map<String, String> unitSettings(Path unit) throws IOException {
        Map<String, String> settings = new HashMap<>();
        for (String line : Files.readAllLines(unit, StandardCharsets.UTF_8)) {
            if (!line.startsWith("#") && line.indexOf('=') > 0) {
                settings.put(line.substring(0, line.indexOf('=')).trim(), line.substring(line.indexOf('=') + 1).trim());
            }
        }
        return settings;
    }

    /** ExecStart's words as systemd runs them here: specifiers resolved, unset $VARIABLES dropped. */
    private static List<String> execStart(String line, Path root) {
        List<String> words = new ArrayList<>();
        for (String word : specifiers(line, root).split("\\s+")) {
            if (!word.startsWith("$")) {
                words.add(word);
            }
        }
        return words;
    }

    /** %N, %S, %L of a system unit, with its absolute paths under the test's root. */
    private static String specifiers(String value, Path root) {
        return value.replace("/opt/%N", root + "/opt/%N").replace("%N", NAME)
                .replace("%S", root + "/var/lib").replace("%L", root + "/var/log");
    }

    private static boolean onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }
}

package org.sluice.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code bin/sluice check-file-channel} on what the distribution's file channel wrote: lines sent to a netcat
 * source stay in a file channel that no sink drains; the check runs while the agent runs (it must not disturb
 * it), after SIGTERM (OK, every line counted) and on a copy with a flipped byte (DAMAGED, file and offset named).
 */
class FileChannelCheckIT {
    private static final int LINES = 200;

    @Test
    void checksAChannelWrittenByTheAgentAndADamagedCopy() throws Exception {
        Installation sluice = Installation.fresh();
        int port = NetcatClient.freePort();
        Files.writeString(sluice.resolve("conf").resolve("check.properties"), String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1 c2",
                "a1.sinks = k1",
                "a1.sources.r1.type = netcat",
                "a1.sources.r1.bind = 127.0.0.1",
                "a1.sources.r1.port = " + port,
                "a1.sources.r1.channels = c1",
                // Nothing takes from c1: the lines stay in its files for the check to count.
                "a1.channels.c1.type = file",
                "a1.channels.c1.useDualCheckpoints = true",
                "a1.channels.c2.type = memory",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.channel = c2",
                ""), StandardCharsets.UTF_8);
        Path home = sluice.resolve("data/a1/c1");
        String[] byDirectories = {"check-file-channel", "--checkpointDir", home.resolve("checkpoint").toString(),
            "--dataDirs", home.resolve("data").toString(),
            "--backupCheckpointDir", home.resolve("backupCheckpoint").toString()};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < LINES; i++) {
            lines.add("line-" + i);
        }

        try (AgentProcess agent = AgentProcess.start(sluice, "agent", "-c", "conf", "-f", "conf/check.properties",
                "-n", "a1")) {
            agent.awaitListening(port);
            new NetcatClient(port).sendAll(lines);
            // Every line was acknowledged, so committed: the check of the live channel sees them all.
            AgentProcess live = AgentProcess.run(sluice, byDirectories);
            assertEquals(0, live.exitValue(), live.output());
            assertTrue(live.output().contains("In use: yes"), live.output());
            assertTrue(live.output().contains("Events a restart would deliver: " + LINES), live.output());
            assertTrue(agent.isAlive(), "the check stopped the agent");
            assertEquals(0, agent.terminate(), () -> "exit code after SIGTERM; output:\n" + output(agent));
        }

        AgentProcess stopped = AgentProcess.run(sluice, byDirectories);
        assertEquals(0, stopped.exitValue(), stopped.output());
        String report = stopped.output();
        assertTrue(report.contains("In use: no"), report);
        assertTrue(report.contains("Events a restart would deliver: " + LINES), report);
        assertTrue(report.contains("Result: OK"), report);
        assertTrue(report.contains("A restart recovers from: the checkpoint"), report);

        // The same channel found through the properties file, with the channel's default directories.
        AgentProcess byName = AgentProcess.run(sluice, "check-file-channel", "-f", "conf/check.properties",
                "-n", "a1", "--channel", "c1");
        assertEquals(0, byName.exitValue(), byName.output());
        assertTrue(byName.output().contains("Events a restart would deliver: " + LINES), byName.output());

        Path copy = sluice.resolve("damaged");
        copyTree(home, copy);
        Path dataFile;
        try (Stream<Path> files = Files.list(copy.resolve("data"))) {
            dataFile = files.filter(p -> p.getFileName().toString().startsWith("log-")).sorted().findFirst()
                    .orElseThrow(() -> new AssertionError("no data file in " + copy));
        }
        byte[] bytes = Files.readAllBytes(dataFile);
        // ISO-8859-1 maps every byte to one char: the string search is a byte search.
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("line-100");
        assertTrue(at >= 0, "line-100 is in the data file");
        bytes[at + 2] ^= 0x20;
        Files.write(dataFile, bytes);
        AgentProcess damaged = AgentProcess.run(sluice, "check-file-channel",
                "--checkpointDir=" + copy.resolve("checkpoint"), "--dataDirs=" + copy.resolve("data"));
        String damagedReport = damaged.output();
        assertEquals(1, damaged.exitValue(), damagedReport);
        assertTrue(damagedReport.contains(dataFile + " offset "), damagedReport);
        assertTrue(damagedReport.contains(": damaged record"), damagedReport);
        assertTrue(damagedReport.contains("Result: DAMAGED (damaged records: 1"), damagedReport);
        // The checkpoint still queues the event, whose record a take would find damaged.
        assertTrue(damagedReport.contains("Events a restart would deliver: " + (LINES - 1)), damagedReport);

        AgentProcess usage = AgentProcess.run(sluice, "check-file-channel", "--checkpointDir", copy.toString());
        assertEquals(2, usage.exitValue(), usage.output());
        assertTrue(usage.output().contains("Usage: sluice check-file-channel"), usage.output());
        AgentProcess help = AgentProcess.run(sluice, "help", "check-file-channel");
        assertEquals(0, help.exitValue(), help.output());
        assertTrue(help.output().startsWith("Usage: sluice check-file-channel"), help.output());
        AgentProcess general = AgentProcess.run(sluice, "help");
        assertTrue(general.output().contains("check-file-channel"), general.output());
    }

    private static String output(AgentProcess agent) {
        try {
            return agent.output();
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

}

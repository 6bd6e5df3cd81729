package org.sluice.itests.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code bin/sluice dist}: a distribution of one's own, built from the standard one with chosen plugins, a bundle
 * of the user's, a default agent configuration and a name, unpacked and run as a user would.
 */
class CustomDistributionIT {

    static final int EVENTS = 300;

    @Test
    void aCustomTarballHoldsTheChosenPluginsAndRunsItsDefaultAgent() throws Exception {
        Installation sluice = Installation.fresh();
        Path work = Installation.workDirectory("dist-");
        Path output = Files.createDirectories(work.resolve("file-roll"));
        Path conf = writeSeqConfig(work.resolve("my.conf"), output);
        // The user's own bundle: a sink plugin from outside deploy/ (the null sink's jar, copied out).
        Path mySink = Files.copy(sluice.deployedJar("org.sluice.sink.nullsink"), work.resolve("my-sink.jar"));

        AgentProcess dist = AgentProcess.run(sluice, "dist", "--plugins", "seq,memory,fileroll", "--add",
                mySink.toString(), "--conf", conf.toString(), "-o", work.resolve("mydist.tar.gz").toString());
        assertEquals(0, dist.exitValue(), dist::outputOrReason);
        assertTrue(Files.isRegularFile(work.resolve("mydist.tar.gz")), dist::outputOrReason);

        Path unpacked = Files.createDirectories(work.resolve("unpacked"));
        run(unpacked, "tar", "xzf", work.resolve("mydist.tar.gz").toString());
        Installation mine = Installation.at(unpacked.resolve("mydist"));
        // The plugins named, the added one (in place of deploy/'s bundle of the same name), and the selectors and
        // the default sink processor every agent uses.
        assertEquals(Set.of("org.sluice.source.seq", "org.sluice.channel.memory", "org.sluice.sink.fileroll",
                "my-sink.jar", "org.sluice.channelselector.core", "org.sluice.sinkprocessor.defaultprocessor"), deployed(mine),
                "deploy/ of the custom distribution");
        assertTrue(Files.isRegularFile(mine.resolve("conf/my.conf")));
        String description = Files.readString(mine.resolve("dist.properties"), StandardCharsets.UTF_8);
        assertTrue(description.contains("name = mydist"), description);
        assertTrue(description.contains("default.agent = agent7"), description);
        assertTrue(Files.isExecutable(mine.resolve("bin/sluice")), "bin/sluice keeps its execute bit");
        for (String kept : new String[] {"lib", "bundle", "etc", "plugins.d", "packaging/sluice.service",
                "contrib/grafana/sluice-dashboard.json", "conf/log4j2.xml"}) {
            assertTrue(Files.exists(mine.resolve(kept)), kept + " comes along from the standard distribution");
        }

        // No -f: the distribution's default agent, which uses the added sink too.
        try (AgentProcess agent = AgentProcess.start(mine, "agent", "--no-shell")) {
            await("all " + EVENTS + " events in the file_roll output").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!agent.isAlive()) {
                            throw new AssertionError("the agent ended: " + agent.output());
                        }
                        return DistributionIT.fileRollLines(output).size() >= EVENTS;
                    });
            assertEquals(0, agent.terminate(), agent::outputOrReason);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            expected.add(String.valueOf(i));
        }
        assertEquals(expected, DistributionIT.fileRollLines(output), "the seq source's events, each once, in order");
        String log = mine.logText();
        assertTrue(log.contains("sink k2 started (null from org.sluice.sink.nullsink"), "the added bundle ran k2: "
                + log);
    }

    @Test
    void aConfigurationUsingAPluginLeftOutIsRefusedAndNothingWritten() throws Exception {
        Installation sluice = Installation.fresh();
        Path work = Installation.workDirectory("dist-");
        Path conf = writeSeqConfig(work.resolve("my.conf"), work.resolve("out"));

        AgentProcess dist = AgentProcess.run(sluice, "dist", "--plugins", "seq,memory,fileroll", "--conf",
                conf.toString(), "-o", work.resolve("broken.tar.gz").toString());
        assertEquals(1, dist.exitValue(), dist::outputOrReason);
        assertTrue(dist.output().contains("'null'"), "names the type no plugin provides: " + dist.output());
        assertFalse(Files.exists(work.resolve("broken.tar.gz")));
    }

    @Test
    void anUnknownPluginNameIsAUsageErrorListingThePlugins() throws Exception {
        Installation sluice = Installation.fresh();
        Path work = Installation.workDirectory("dist-");
        AgentProcess dist = AgentProcess.run(sluice, "dist", "--plugins", "seq,nosuch", "-o",
                work.resolve("x.tar.gz").toString());
        assertEquals(2, dist.exitValue(), dist::outputOrReason);
        assertTrue(dist.output().contains("no plugin 'nosuch'") && dist.output().contains("sink.hdfs"),
                dist.output());
    }

    @Test
    void aPluginBringsTheLibraryBundlesItImportsFrom() throws Exception {
        Installation sluice = Installation.fresh();
        Path work = Installation.workDirectory("dist-");
        AgentProcess dist = AgentProcess.run(sluice, "dist", "--plugins", "spooldir", "-o",
                work.resolve("spool").toString());
        assertEquals(0, dist.exitValue(), dist::outputOrReason);
        Set<String> deployed = deployed(Installation.at(work.resolve("spool")));
        // The spooldir source reads Avro containers and compressed files through shared library bundles.
        assertTrue(deployed.contains("org.sluice.source.spooldir"), deployed::toString);
        assertTrue(deployed.stream().anyMatch(name -> name.contains("avro") && !name.startsWith("org.sluice")),
                "Avro's bundle came along: " + deployed);
        assertFalse(deployed.contains("org.sluice.sink.hdfs"), "nothing not wired to spooldir: " + deployed);
    }

    /** seq -> memory -> file_roll, replicated to a second channel drained by the null sink (the added bundle). */
    static Path writeSeqConfig(Path file, Path output) throws IOException {
        Files.writeString(file, String.join("\n",
                "agent7.sources = r1",
                "agent7.channels = c1 c2",
                "agent7.sinks = k1 k2",
                "agent7.sources.r1.type = seq",
                "agent7.sources.r1.totalEvents = " + EVENTS,
                "agent7.sources.r1.channels = c1 c2",
                "agent7.channels.c1.type = memory",
                "agent7.channels.c2.type = memory",
                "agent7.sinks.k1.type = file_roll",
                "agent7.sinks.k1.channel = c1",
                "agent7.sinks.k1.sink.directory = " + output,
                "agent7.sinks.k1.sink.rollInterval = 0",
                "agent7.sinks.k2.type = null",
                "agent7.sinks.k2.channel = c2",
                ""), StandardCharsets.UTF_8);
        return file;
    }

    /** The bundles of deploy/ by symbolic name as its file names start (the added jar by its file name). */
    static Set<String> deployed(Installation installation) throws IOException {
        try (Stream<Path> jars = Files.list(installation.deploy())) {
            return jars.map(jar -> jar.getFileName().toString())
                    .map(name -> name.startsWith("org.") ? name.replaceFirst("-\\d.*\\.jar$", "") : name)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    static String run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }
}

package org.sluice.itests.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.flumestate.FlumeJvm;

/**
 * The upgrade a Flume user makes: a real Apache Flume 1.11.0 agent (a spooldir and a TAILDIR source, a file channel,
 * an avro sink whose collector is down) is killed with its work half done: one spool file finished, one read in
 * part, the tailed file read to its end, the file channel full (in its data files: Flume never checkpointed it). The
 * application goes on writing the tailed file. Then
 * Sluice's agent is started on the very same properties file. Every line reaches the collector exactly once: the file
 * channel's backlog is taken over, the half-read spool file goes on where Flume stopped, the finished one is not read
 * again, and the tailed file goes on from the position in Flume's position file.
 *
 * <p>Exactly once, not merely at least once: at-least-once lets a restart repeat only what was in flight when the
 * process died, and the test kills Flume at rest (its channel full, its sources refused, every position saved), so a
 * line delivered twice here is one Sluice read again although Flume's state said it was done.
 */
class FlumeUpgradeIT {
    private static final int CAPACITY = 1000;
    private static final int SPOOL_BATCH = 50;
    /** Spool files, oldest first, and their lines: more than the channel holds, so Flume stops inside b.log. */
    private static final Map<String, Integer> SPOOL_FILES = new TreeMap<>(Map.of("a.log", 300, "b.log", 3000,
            "c.log", 200));
    private static final int TAILED_BEFORE = 200;
    private static final int TAILED_AFTER = 300;
    private static final Duration PATIENCE = Duration.ofSeconds(180);

    private final List<AgentProcess> agents = new ArrayList<>();
    private FlumeJvm flume;

    @AfterEach
    void stopAll() throws InterruptedException {
        if (flume != null) {
            flume.close();
        }
        for (AgentProcess agent : agents) {
            agent.close();
        }
    }

    @Test
    void everyLineArrivesOnceAfterSluiceTakesOverFromAKilledFlume() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of(System.getProperty(
                "sluice.itests.work", "target/work")).toAbsolutePath()), "flume-upgrade-");
        Path spool = Files.createDirectories(work.resolve("spool"));
        Path incoming = Files.createDirectories(work.resolve("incoming"));
        Path tailed = Files.createDirectories(work.resolve("logs")).resolve("app.log");
        Path positions = work.resolve("taildir/taildir_position.json");
        Set<String> expected = new LinkedHashSet<>();

        long mtime = System.currentTimeMillis() - 600_000;
        for (Map.Entry<String, Integer> file : SPOOL_FILES.entrySet()) {
            Path path = incoming.resolve(file.getKey());
            expected.addAll(write(path, file.getKey(), 1, file.getValue()));
            // Flume reads the oldest first: a, then b, then c.
            Files.setLastModifiedTime(path, FileTime.fromMillis(mtime += 10_000));
        }
        expected.addAll(write(tailed, "app.log", 1, TAILED_BEFORE));

        int collectorPort = NetcatClient.freePort();
        String properties = String.join("\n",
                "a1.sources = r1 r2", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = spooldir", "a1.sources.r1.channels = c1",
                "a1.sources.r1.spoolDir = " + spool, "a1.sources.r1.batchSize = " + SPOOL_BATCH,
                "a1.sources.r2.type = TAILDIR", "a1.sources.r2.channels = c1",
                "a1.sources.r2.filegroups = f1", "a1.sources.r2.filegroups.f1 = " + tailed,
                "a1.sources.r2.positionFile = " + positions,
                "a1.channels.c1.type = file",
                "a1.channels.c1.checkpointDir = " + work.resolve("checkpoint"),
                "a1.channels.c1.dataDirs = " + work.resolve("data"),
                "a1.channels.c1.capacity = " + CAPACITY, "a1.channels.c1.transactionCapacity = 100",
                // No checkpoint after the one Flume writes at its start: the backlog is in its data files only.
                "a1.channels.c1.checkpointInterval = 600000",
                "a1.sinks.k1.type = avro", "a1.sinks.k1.channel = c1", "a1.sinks.k1.hostname = 127.0.0.1",
                "a1.sinks.k1.port = " + collectorPort, "a1.sinks.k1.batch-size = 100", "");

        // Flume, its collector down. The tailed file first, so that TAILDIR has its lines in before the channel is
        // full; then the spool files arrive as users deliver them, written elsewhere and moved in.
        int flumeMetrics = NetcatClient.freePort();
        flume = FlumeJvm.agent(work.resolve("flume"), "a1", properties, flumeMetrics);
        awaitFlume("TAILDIR to put the tailed file's lines",
                () -> FlumeJvm.metric(flumeMetrics, "SOURCE.r2", "EventAcceptedCount") == TAILED_BEFORE);
        for (String name : SPOOL_FILES.keySet()) {
            Files.move(incoming.resolve(name), spool.resolve(name));
        }
        // Flume at rest: the channel full and no put for longer than the 3 s between writes of TAILDIR's position
        // file, which names the end of the tailed file.
        long[] size = {-1};
        long[] since = {System.nanoTime()};
        awaitFlume("the channel to fill and stay full", () -> {
            long now = FlumeJvm.metric(flumeMetrics, "CHANNEL.c1", "ChannelSize");
            if (now != size[0]) {
                size[0] = now;
                since[0] = System.nanoTime();
            }
            return now > CAPACITY - SPOOL_BATCH && System.nanoTime() - since[0] > Duration.ofSeconds(4).toNanos();
        });
        long tailedSize = Files.size(tailed);
        awaitFlume("Flume's position file to name the end of app.log", () -> flumePosition(positions, tailed)
                == tailedSize);
        flume.kill();

        assertTrue(Files.exists(spool.resolve("a.log.COMPLETED")), "Flume finished a.log");
        assertTrue(Files.exists(spool.resolve("b.log")), "Flume was in the middle of b.log");
        assertTrue(Files.size(spool.resolve(".flumespool/.flumespool-main.meta")) > 0, "Flume's spooldir tracker");
        // The application writes on while the agents change.
        expected.addAll(write(tailed, "app.log", TAILED_BEFORE + 1, TAILED_AFTER));

        // The collector, then Sluice on Flume's own properties file.
        Installation collector = Installation.fresh();
        Path output = Files.createDirectories(collector.resolve("collected"));
        Files.writeString(collector.resolve("conf/collector.properties"), String.join("\n",
                "c.sources = r1", "c.channels = c1", "c.sinks = k1",
                "c.sources.r1.type = avro", "c.sources.r1.bind = 127.0.0.1", "c.sources.r1.port = " + collectorPort,
                "c.sources.r1.channels = c1", "c.channels.c1.type = memory", "c.channels.c1.capacity = 100000",
                "c.channels.c1.transactionCapacity = 1000", "c.sinks.k1.type = file_roll", "c.sinks.k1.channel = c1",
                "c.sinks.k1.sink.directory = " + output, "c.sinks.k1.sink.rollInterval = 0", ""),
                StandardCharsets.UTF_8);
        int collectorMetrics = NetcatClient.freePort();
        AgentProcess collecting = AgentProcess.start(collector, metrics(collectorMetrics), "agent", "-c", "conf",
                "-f", "conf/collector.properties", "-n", "c");
        agents.add(collecting);
        collecting.awaitListening(collectorPort);

        Installation edge = Installation.fresh();
        int edgeMetrics = NetcatClient.freePort();
        AgentProcess sluice = AgentProcess.start(edge, metrics(edgeMetrics), "agent", "-c", "conf", "-f",
                work.resolve("flume/flume.properties").toString(), "-n", "a1");
        agents.add(sluice);

        // Everything arrived and nothing is left on the way that could still arrive twice.
        try {
            await("every line at the collector, both channels empty").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(500))
                    .failFast(() -> assertTrue(sluice.isAlive() && collecting.isAlive(), "an agent ended"))
                    .until(() -> lines(output).keySet().containsAll(expected)
                            && Files.exists(spool.resolve("c.log.COMPLETED"))
                            && FlumeJvm.metric(edgeMetrics, "CHANNEL.c1", "ChannelSize") == 0
                            && FlumeJvm.metric(collectorMetrics, "CHANNEL.c1", "ChannelSize") == 0);
        } catch (ConditionTimeoutException | AssertionError e) {
            throw new AssertionError(e.getMessage() + "; lines missing, first ones: " + missing(expected, lines(output))
                    + "; Sluice's output:\n" + sluice.output() + "\n" + logs(edge), e);
        }
        assertEquals(0, sluice.terminate(), () -> "Sluice's exit code; " + logs(edge));
        assertEquals(0, collecting.terminate(), () -> "the collector's exit code; " + logs(collector));

        Map<String, Integer> counts = lines(output);
        List<String> twice = counts.entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey)
                .sorted().limit(20).toList();
        assertEquals(List.of(), twice, "lines delivered more than once");
        assertEquals(List.of(), missing(expected, counts), "lines lost");
        assertEquals(expected.size(), counts.size(), "lines nobody wrote: " + counts.keySet().stream()
                .filter(line -> !expected.contains(line)).limit(20).toList());
        // What Sluice keeps of Flume's state, for the operator to check or to go back with.
        assertTrue(Files.exists(work.resolve("checkpoint/flume-original/checkpoint")), "Flume's checkpoint kept");
        assertTrue(Files.exists(spool.resolve(".flumespool/.flumespool-main.meta.taken-over")),
                "Flume's spooldir tracker kept");
        System.out.printf("FlumeUpgradeIT: %d lines, each once, after Flume was killed with %d events in its file "
                + "channel%n", expected.size(), size[0]);
    }

    private void awaitFlume(String what, Callable<Boolean> condition) {
        try {
            await(what).atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                    .failFast(() -> assertTrue(flume.isAlive(), "Flume's JVM ended"))
                    .until(condition);
        } catch (ConditionTimeoutException | AssertionError e) {
            throw new AssertionError(e.getMessage() + "; Flume's log:\n" + flume.log(), e);
        }
    }

    /** The first lines of {@code expected} that did not arrive. */
    private static List<String> missing(Set<String> expected, Map<String, Integer> counts) {
        return expected.stream().filter(line -> !counts.containsKey(line)).limit(20).toList();
    }

    /** Flume's saved position of {@code file} in its TAILDIR position file (Flume's JSON), or -1. */
    private static long flumePosition(Path positions, Path file) throws IOException {
        if (!Files.exists(positions)) {
            return -1;
        }
        Matcher entry = Pattern.compile("\\{\"inode\":\\d+,\"pos\":(\\d+),\"file\":\"([^\"]*)\"}")
                .matcher(Files.readString(positions, StandardCharsets.UTF_8));
        while (entry.find()) {
            if (entry.group(2).equals(file.toString())) {
                return Long.parseLong(entry.group(1));
            }
        }
        return -1;
    }

    /** Appends lines {@code first} to {@code first + count - 1} of {@code name}; returns them. */
    private static List<String> write(Path path, String name, int first, int count) throws IOException {
        List<String> lines = IntStream.range(first, first + count).mapToObj(n -> name + " line " + n).toList();
        Files.writeString(path, lines.stream().map(line -> line + "\n").collect(Collectors.joining()),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return lines;
    }

    /** Flume's HTTP metrics on {@code port}, as a user turns them on for {@code bin/sluice}. */
    private static Map<String, String> metrics(int port) {
        return Map.of("JAVA_OPTS", "-Dflume.monitoring.type=http -Dflume.monitoring.port=" + port);
    }

    private static String logs(Installation installation) {
        try {
            return "log:\n" + installation.logText();
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Each line of file_roll's output with how often it arrived. */
    private static Map<String, Integer> lines(Path output) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        try (Stream<Path> files = Files.list(output)) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isEmpty()) {
                        counts.merge(line, 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }
}

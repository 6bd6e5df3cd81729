package org.sluice.source.spooldir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sluice.api.source.SourceContext;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.flumestate.FlumeJvm;
import org.sluice.testkit.TestContexts;

/**
 * A spooling directory the real Apache Flume 1.11.0 spooldir source left with work half done, taken over: Flume
 * finished a first file and read part of a second when its channel filled (its sink is down), then was killed. Sluice's
 * spooldir source on the same directory goes on from the position in Flume's {@code .flumespool-main.meta}: it
 * delivers exactly the lines Flume had not committed, and the finished file not at all. Flume's own counter of
 * accepted events says where it stopped.
 */
class FlumeSpoolTakeoverTest {
    private static final int FIRST = 30;
    private static final int SECOND = 400;
    /** The memory channel's capacity and the source's batch: Flume commits 3 batches of the second file, then waits. */
    private static final int CAPACITY = 100;
    private static final int BATCH = 20;

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"rename", "tracker_dir"})
    void sluiceGoesOnWhereFlumeStoppedAndSkipsWhatItFinished(String trackingPolicy) throws Exception {
        Path spool = Files.createDirectories(temp.resolve("spool"));
        Files.writeString(spool.resolve("a-first.log"), lines("first", 1, FIRST), StandardCharsets.UTF_8);
        Files.setLastModifiedTime(spool.resolve("a-first.log"), java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 60_000));
        Files.writeString(spool.resolve("b-second.log"), lines("second", 1, SECOND), StandardCharsets.UTF_8);

        long accepted = flumeUntilItsChannelIsFull(spool, trackingPolicy);
        long readInSecond = accepted - FIRST;
        assertTrue(readInSecond > 0 && readInSecond < SECOND, "Flume stopped in the second file: " + accepted);
        if (trackingPolicy.equals("rename")) {
            assertTrue(Files.exists(spool.resolve("a-first.log.COMPLETED")));
        } else {
            assertTrue(Files.exists(spool.resolve(".flumespool/a-first.log.COMPLETED")));
        }

        RecordingChannelProcessor processor = new RecordingChannelProcessor();
        Map<String, String> properties = new HashMap<>(Map.of("spoolDir", spool.toString(), "batchSize", "50",
                "trackingPolicy", trackingPolicy));
        SourceContext context = TestContexts.source("r1", properties, processor, temp.resolve("data"));
        SpoolDirectorySource source = (SpoolDirectorySource) new SpoolDirectorySourceFactory().create(context);
        source.open();
        for (int i = 0; i < 100 && source.step() == SpoolDirectorySource.Step.WORKED; i++) {
            // Until the source has nothing left to do.
        }
        List<String> bodies = processor.accepted().stream()
                .map(event -> new String(event.getBody(), StandardCharsets.UTF_8)).toList();
        assertEquals(numbered("second", (int) readInSecond + 1, SECOND), bodies);
        assertTrue(Files.exists(spool.resolve(".flumespool").resolve(FlumeTracker.TAKEN_OVER)));
        assertFalse(Files.exists(spool.resolve(".flumespool").resolve(FlumeTracker.META)));
    }

    @Test
    void aPathFlumeWroteRelativeToItsWorkingDirectoryIsFoundInSpoolDir() throws IOException {
        Path spool = Files.createDirectories(temp.resolve("var/spool"));
        Files.createDirectories(spool.resolve("sub"));
        Files.writeString(spool.resolve("sub/x.log"), "x\n");
        assertEquals(Path.of("sub", "x.log").toString(), FlumeTracker.relativeToSpoolDir(spool, "spool/sub/x.log"));
        assertEquals("x.log", FlumeTracker.relativeToSpoolDir(spool.resolve("sub"), "/elsewhere/x.log"));
        assertEquals(null, FlumeTracker.relativeToSpoolDir(spool, "spool/sub/gone.log"));
    }

    /** Runs Flume's spooldir source until its channel holds all it can, kills it, and returns what it accepted. */
    private long flumeUntilItsChannelIsFull(Path spool, String trackingPolicy) throws Exception {
        int metrics;
        int deadSink;
        try (ServerSocket one = new ServerSocket(0); ServerSocket two = new ServerSocket(0)) {
            metrics = one.getLocalPort();
            deadSink = two.getLocalPort();
        }
        String properties = String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = spooldir", "a1.sources.r1.channels = c1",
                "a1.sources.r1.spoolDir = " + spool, "a1.sources.r1.batchSize = " + BATCH,
                "a1.sources.r1.trackingPolicy = " + trackingPolicy,
                "a1.channels.c1.type = memory", "a1.channels.c1.capacity = " + CAPACITY,
                "a1.channels.c1.transactionCapacity = " + CAPACITY,
                // Nobody listens there: the sink takes nothing, so the channel fills and the source stops mid-file.
                "a1.sinks.k1.type = avro", "a1.sinks.k1.channel = c1", "a1.sinks.k1.hostname = 127.0.0.1",
                "a1.sinks.k1.port = " + deadSink, "");
        try (FlumeJvm flume = FlumeJvm.agent(temp.resolve("flume"), "a1", properties, metrics)) {
            AtomicLong accepted = new AtomicLong(-1);
            // Full: the next batch does not fit, and Flume retries it without committing.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                long now = FlumeJvm.metric(metrics, "SOURCE.r1", "EventAcceptedCount");
                boolean full = now > 0 && now == accepted.get() && CAPACITY - now < BATCH;
                accepted.set(now);
                return full;
            });
            flume.kill();
            return accepted.get();
        }
    }

    private static String lines(String prefix, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> prefix + " " + i + "\n").collect(Collectors.joining());
    }

    private static List<String> numbered(String prefix, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> prefix + " " + i).toList();
    }
}

package org.sluice.source.taildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.flume.Channel;
import org.apache.flume.ChannelSelector;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.Transaction;
import org.apache.flume.channel.ChannelProcessor;
import org.apache.flume.channel.MemoryChannel;
import org.apache.flume.channel.ReplicatingChannelSelector;
import org.apache.flume.conf.Configurables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sluice and Flume 1.11.0's own TaildirSource (flume-taildir-source from Maven Central, run in this JVM) on the
 * same files and position file: an agent that replaces Flume continues exactly where Flume stopped, and Flume
 * continues where Sluice stopped (a way back).
 */
class FlumePositionFileTest {

    @TempDir
    Path dir;

    @Test
    void sluiceContinuesWhereFlumeStopped() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path positions = dir.resolve("positions/taildir_position.json");
        TaildirFixture.appendLines(logs.resolve("app.log"), "flume", 0, 50);
        TaildirFixture.appendLines(logs.resolve("app.log.other"), "flume-other", 0, 20);

        List<String> flumeRead = runFlume(logs, positions, 70);
        assertEquals(70, flumeRead.size());
        String written = Files.readString(positions);

        TaildirFixture.appendLines(logs.resolve("app.log"), "sluice", 0, 30);
        TaildirFixture.appendLines(logs.resolve("app.log.other"), "sluice-other", 0, 5);
        try (TaildirFixture tail = new TaildirFixture(dir).open()) {
            tail.look();
            List<String> expected = new ArrayList<>(TaildirFixture.lines("sluice", 0, 30));
            expected.addAll(TaildirFixture.lines("sluice-other", 0, 5));
            assertEquals(expected.stream().sorted().toList(), tail.bodies().stream().sorted().toList(),
                    "only the lines after Flume's positions, read from Flume's file: " + written);
        }
    }

    @Test
    void sluiceReadsThePathsFlumeEscapesInItsJson() throws Exception {
        // Hive-style partition directories, common under tailed logs: Flume's JSON writer escapes their '='.
        Path root = dir.resolve("dt=2026-12-06");
        Path logs = Files.createDirectories(root.resolve("logs"));
        Path positions = root.resolve("positions/taildir_position.json");
        TaildirFixture.appendLines(logs.resolve("app.log"), "flume", 0, 30);
        assertEquals(30, runFlume(logs, positions, 30).size());
        String written = Files.readString(positions);
        assertTrue(written.contains("dt\\u003d2026-12-06"), "Flume wrote the '=' escaped: " + written);

        TaildirFixture.appendLines(logs.resolve("app.log"), "sluice", 0, 10);
        try (TaildirFixture tail = new TaildirFixture(root).open()) {
            tail.look();
            assertEquals(TaildirFixture.lines("sluice", 0, 10), tail.bodies(),
                    "only the lines after Flume's position, its path read unescaped from: " + written);
        }
    }

    @Test
    void flumeContinuesWhereSluiceStopped() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path positions = dir.resolve("positions/taildir_position.json");
        TaildirFixture.appendLines(logs.resolve("app.log"), "sluice", 0, 40);
        try (TaildirFixture tail = new TaildirFixture(dir).open()) {
            tail.look();
            assertEquals(40, tail.bodies().size());
        }
        TaildirFixture.appendLines(logs.resolve("app.log"), "flume", 0, 25);
        assertEquals(TaildirFixture.lines("flume", 0, 25), runFlume(logs, positions, 25),
                "Flume read Sluice's position file and only the new lines");
    }

    /** Runs Flume's TaildirSource until it has put {@code expected} events into its channel, then stops it. */
    private static List<String> runFlume(Path logs, Path positions, int expected) throws Exception {
        org.apache.flume.source.taildir.TaildirSource flume = new org.apache.flume.source.taildir.TaildirSource();
        flume.setName("flume-r1");
        Configurables.configure(flume, new Context(Map.of("filegroups", "f1",
                "filegroups.f1", logs.resolve("app\\.log.*").toString(),
                "positionFile", positions.toString())));
        MemoryChannel channel = new MemoryChannel();
        channel.setName("flume-c1");
        Configurables.configure(channel, new Context(Map.of("capacity", "10000", "transactionCapacity", "1000")));
        ChannelSelector selector = new ReplicatingChannelSelector();
        selector.setChannels(List.<Channel>of(channel));
        flume.setChannelProcessor(new ChannelProcessor(selector));
        channel.start();
        flume.start();
        List<String> read = new ArrayList<>();
        try {
            for (int i = 0; i < 100 && read.size() < expected; i++) {
                flume.process();
                read.addAll(take(channel));
            }
        } finally {
            flume.stop(); // writes the position file
            channel.stop();
        }
        return read;
    }

    private static List<String> take(Channel channel) {
        List<String> bodies = new ArrayList<>();
        Transaction transaction = channel.getTransaction();
        transaction.begin();
        for (Event event = channel.take(); event != null; event = channel.take()) {
            bodies.add(new String(event.getBody(), StandardCharsets.UTF_8));
        }
        transaction.commit();
        transaction.close();
        return bodies;
    }
}

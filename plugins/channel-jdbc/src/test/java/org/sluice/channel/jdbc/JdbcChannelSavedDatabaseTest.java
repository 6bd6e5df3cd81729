package org.sluice.channel.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.sluice.api.testkit.ChannelTransactions.putBodies;
import static org.sluice.api.testkit.ChannelTransactions.putCommitted;
import static org.sluice.api.testkit.ChannelTransactions.take;
import static org.sluice.api.testkit.ChannelTransactions.takeBodies;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.Transaction;
import org.sluice.api.counter.ChannelCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.testkit.TextEvents;
import org.sluice.testkit.TestContexts;

/**
 * A user's events must survive an upgrade of Sluice (or of its embedded Derby): {@code saved/jdbc-channel-db-1.zip}
 * is the database of channel {@code c1} as this channel wrote it when the sample was made (Sluice 0.1.0,
 * Derby 10.14.2.0, stopped cleanly), and today's code must open it and deliver exactly the events it held.
 * A change of the tables that cannot read it fails here; such a change needs a migration, and a new sample
 * beside this one (never in its place), written by {@link #writeTheSample()}.
 */
class JdbcChannelSavedDatabaseTest {
    private static final String SAMPLE = "/saved/jdbc-channel-db-1.zip";

    @TempDir
    Path data;

    /**
     * What the sample holds, in order: {@link #writeTheSample()} put "taken" and these, took "taken" (committed),
     * took the first of these and rolled that back, and stopped under an uncommitted put.
     */
    private static List<Event> expected() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "w\u00e9b1");
        headers.put("empty", "");
        headers.put("\u65e5\u672c", "\ud83d\ude00");
        headers.put("big", "h".repeat(5000));
        byte[] everyByte = new byte[256 * 40];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        return List.of(
                EventBuilder.withBody("h\u00e9llo \ud83d\ude00".getBytes(StandardCharsets.UTF_8), headers),
                EventBuilder.withBody(new byte[0], Map.of()),
                EventBuilder.withBody(everyByte, Map.of("binary", "true")),
                TextEvents.event("fourth"),
                TextEvents.event("second transaction"),
                TextEvents.event("last"));
    }

    @Test
    void todaysCodeOpensTheSavedDatabaseAndDeliversExactlyItsEvents() throws Exception {
        Path db = data.resolve(TestContexts.AGENT).resolve("c1").resolve("db");
        unzip(SAMPLE, db);

        var context = TestContexts.channel("c1", Map.of(), data);
        JdbcChannel channel = (JdbcChannel) new JdbcChannelFactory().create(context);
        channel.start();
        try {
            List<Event> want = expected();
            assertEquals(want.size(), context.counter().get(ChannelCounter.CHANNEL_SIZE), "events found at start");
            List<Event> got = take(channel, 100);
            assertEquals(want.size(), got.size(), "every event, and nothing else");
            for (int i = 0; i < want.size(); i++) {
                assertEquals(want.get(i).getHeaders(), got.get(i).getHeaders(), "headers of event " + i);
                assertArrayEquals(want.get(i).getBody(), got.get(i).getBody(), "body of event " + i);
            }
            // The old database goes on working: new events after the old ones, sequence numbers not reused.
            putBodies(channel, "after the upgrade");
            assertEquals(List.of("after the upgrade"), takeBodies(channel, 10));
        } finally {
            channel.stop();
        }
    }

    /**
     * Writes the sample with today's code: {@code mvn -pl plugins/channel-jdbc test
     * -Dtest=JdbcChannelSavedDatabaseTest -Dsluice.jdbc.sample=/tmp/jdbc-channel-db-N.zip}, then copy the zip
     * into src/test/resources/saved/ under a new name and point a new test at it.
     */
    @Test
    @EnabledIfSystemProperty(named = "sluice.jdbc.sample", matches = ".+")
    void writeTheSample() throws Exception {
        JdbcChannel channel = (JdbcChannel) new JdbcChannelFactory().create(TestContexts.channel("c1", Map.of(),
                data));
        channel.start();
        List<Event> events = expected();
        putBodies(channel, "taken");
        putCommitted(channel, events.subList(0, 4));
        assertEquals(List.of("taken"), takeBodies(channel, 1));
        Transaction rolledBack = channel.getTransaction();
        rolledBack.begin();
        assertNotNull(channel.take());
        rolledBack.rollback();
        rolledBack.close();
        putCommitted(channel, events.subList(4, 5));
        putCommitted(channel, events.subList(5, 6));
        Transaction open = channel.getTransaction();
        open.begin();
        channel.put(TextEvents.event("never committed"));
        channel.stop();
        zip(data.resolve(TestContexts.AGENT).resolve("c1").resolve("db"), Path.of(System.getProperty("sluice.jdbc.sample")));
    }

    static void unzip(String resource, Path into) throws IOException {
        try (InputStream in = JdbcChannelSavedDatabaseTest.class.getResourceAsStream(resource);
                ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the database: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        }
    }

    static void zip(Path dir, Path to) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        try (OutputStream out = Files.newOutputStream(to); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(9);
            for (Path file : files) {
                ZipEntry entry = new ZipEntry(dir.relativize(file).toString().replace('\\', '/'));
                entry.setTime(0);
                zip.putNextEntry(entry);
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
    }
}

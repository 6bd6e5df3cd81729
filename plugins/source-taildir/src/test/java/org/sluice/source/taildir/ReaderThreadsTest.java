package org.sluice.source.taildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.source.ChannelProcessor;

/** Sluice's readerThreads: several files read at once, each file's lines still once and in order. */
class ReaderThreadsTest {

    @TempDir
    Path dir;

    @Test
    void withReaderThreadsSeveralFilesAreReadAtOnce() throws Exception {
        // The first batch of each file waits for the first batch of the other: read one after another, the first
        // one waits in vain and is refused.
        CyclicBarrier bothFirstBatches = new CyclicBarrier(2);
        Set<String> filesSeen = ConcurrentHashMap.newKeySet();
        try (TaildirFixture tail = new TaildirFixture(dir).set("batchSize", "2").set("readerThreads", "2")) {
            ChannelProcessor meetingFirstBatches = new Forwarding(tail) {
                @Override
                void before(List<Event> events) {
                    String file = body(events.get(0)).substring(0, 1);
                    if (filesSeen.add(file)) {
                        try {
                            bothFirstBatches.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                            throw new ChannelException("the other file's first batch did not come: " + e);
                        }
                    }
                }
            };
            tail.open(meetingFirstBatches);
            TaildirFixture.appendLines(tail.logs.resolve("app.log.a"), "a", 0, 6);
            TaildirFixture.appendLines(tail.logs.resolve("app.log.b"), "b", 0, 6);
            tail.source.pass();
            assertEquals(0, tail.counters().get("ChannelWriteFail"), "no batch refused");
            assertEquals(TaildirFixture.lines("a", 0, 6), linesOf(tail.bodies(), "a"), "a's lines once, in order");
            assertEquals(TaildirFixture.lines("b", 0, 6), linesOf(tail.bodies(), "b"), "b's lines once, in order");
            tail.stop();
            for (PositionFile.Entry entry : new PositionFile(tail.positionFile).read()) {
                assertEquals(Files.size(Path.of(entry.file())), entry.pos(), entry.file() + " committed to its end");
            }
        }
    }

    @Test
    void byDefaultFilesAreReadOneAfterAnotherTheLeastRecentlyModifiedFirst() throws Exception {
        try (TaildirFixture tail = new TaildirFixture(dir).set("batchSize", "2").open()) {
            Path older = tail.logs.resolve("app.log.z");
            Path newer = tail.logs.resolve("app.log.a");
            TaildirFixture.appendLines(older, "z", 0, 5);
            TaildirFixture.appendLines(newer, "a", 0, 5);
            Files.setLastModifiedTime(older, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            tail.source.pass();
            List<String> expected = new ArrayList<>(TaildirFixture.lines("z", 0, 5));
            expected.addAll(TaildirFixture.lines("a", 0, 5));
            assertEquals(expected, tail.bodies(), "Flume's order: one file to its end, then the next");
        }
    }

    @Test
    void aRefusedBatchWhileReadingAtOnceIsReadAgainWithoutLossOrDuplicate() throws Exception {
        try (TaildirFixture tail = new TaildirFixture(dir).set("batchSize", "3").set("readerThreads", "3").open()) {
            List<String> expected = new ArrayList<>();
            for (String file : List.of("a", "b", "c", "d")) {
                TaildirFixture.appendLines(tail.logs.resolve("app.log." + file), file, 0, 20);
                expected.addAll(TaildirFixture.lines(file, 0, 20));
            }
            tail.processor.failNext(2);
            tail.lookUntil(() -> tail.bodies().size() >= expected.size());
            tail.look();
            assertEquals(2, tail.counters().get("ChannelWriteFail"));
            Map<String, Integer> counts = tail.counts();
            assertEquals(expected.size(), counts.size(), "every line delivered");
            assertTrue(counts.values().stream().allMatch(n -> n == 1), "no line twice: " + counts);
            for (String file : List.of("a", "b", "c", "d")) {
                assertEquals(TaildirFixture.lines(file, 0, 20), linesOf(tail.bodies(), file), file + " in order");
            }
        }
    }

    @Test
    void theReaderThreadsEndWithTheSource() throws Exception {
        TaildirFixture tail = new TaildirFixture(dir).set("readerThreads", "4").open();
        try {
            for (String file : List.of("a", "b", "c")) {
                TaildirFixture.appendLines(tail.logs.resolve("app.log." + file), file, 0, 10);
            }
            tail.source.pass();
            assertEquals(30, tail.bodies().size());
            assertTrue(readerThreads() > 0, "the look used reader threads");
        } finally {
            tail.close();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> readerThreads() == 0);
    }

    @Test
    void readerThreadsBelowOneIsRefusedNamingTheKey() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new TaildirFixture(dir).set("readerThreads", "0").open());
        assertTrue(e.getMessage().contains("readerThreads"), e.getMessage());
    }

    private static long readerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().contains("-source-r1-reader-")).count();
    }

    private static List<String> linesOf(List<String> bodies, String file) {
        return bodies.stream().filter(body -> body.startsWith(file + "-")).toList();
    }

    private static String body(Event event) {
        return new String(event.getBody(), StandardCharsets.UTF_8);
    }

    /** Hands every batch on to the fixture's recording processor, after {@link #before}. */
    private abstract static class Forwarding implements ChannelProcessor {
        private final TaildirFixture tail;

        Forwarding(TaildirFixture tail) {
            this.tail = tail;
        }

        abstract void before(List<Event> events);

        @Override
        public void processEvent(Event event) {
            processEventBatch(List.of(event));
        }

        @Override
        public void processEventBatch(List<Event> events) {
            before(events);
            tail.processor.processEventBatch(events);
        }
    }
}

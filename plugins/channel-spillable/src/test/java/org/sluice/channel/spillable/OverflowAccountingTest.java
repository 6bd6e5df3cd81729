package org.sluice.channel.spillable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.api.testkit.ChannelTransactions.putBodies;
import static org.sluice.api.testkit.ChannelTransactions.takeAllBodies;
import static org.sluice.api.testkit.ChannelTransactions.takeBodies;
import static org.sluice.api.testkit.TextEvents.body;
import static org.sluice.api.testkit.TextEvents.event;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.Event;
import org.sluice.testkit.TestContexts;

/**
 * Which overflow files still hold live events: a file must never be deleted while the queue, an open
 * transaction or a commit in flight still names an event in it. Every test here uses small files, so that
 * records roll into new files and fully taken ones are deleted while the test runs.
 */
class OverflowAccountingTest {
    /** Every commit to the overflow; files of 1 KiB, so that two 600-byte events never share one. */
    private static final Map<String, String> SMALL_FILES = Map.of("memoryCapacity", "0", "maxFileSize", "1024",
            "overflowTimeout", "0", "minimumRequiredSpace", "0");

    @TempDir
    Path data;

    private final List<SpillableChannel> running = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(SpillableChannel::stop);
    }

    private SpillableChannel channel() throws Exception {
        SpillableChannel channel = (SpillableChannel) new SpillableChannelFactory()
                .create(TestContexts.channel("c1", new HashMap<>(SMALL_FILES), data));
        channel.start();
        running.add(channel);
        return channel;
    }

    /** A kill: the files are released without stop() writing anything. */
    private SpillableChannel crashAndReopen(SpillableChannel channel) throws Exception {
        channel.log().close();
        running.remove(channel);
        return channel();
    }

    /**
     * The crash test's loss, made deterministic: a put commit has written its record into file 1 (and forced it) but
     * its event has not joined the queue yet, while another commit rolls to file 2 and a take empties the channel.
     * File 1 must survive: the first commit's event is in it and joins the queue next. The test runs the steps of
     * the first commit (SpillableTransaction.doCommit) by hand, stopping in that window.
     */
    @Test
    void aPutNotYetQueuedKeepsItsFileWhenTheLogRollsAndTakesEmptyIt() throws Exception {
        SpillableChannel channel = channel();
        String first = "first-" + "p".repeat(600);
        String second = "second-" + "p".repeat(600);
        List<Event> firstPuts = List.of(event(first));
        SpillableChannel.Decision decision = channel.decide(1, 2, 0, 0, 0);
        assertTrue(decision.overflow());
        long[] pointers = new long[1];
        channel.log().append(firstPuts, new long[] {decision.firstSeq()}, new long[0], 0, pointers);
        assertEquals(List.of("spill-1.log"), logFiles(), "the first record is in file 1");
        putBodies(channel, second);                 // does not fit: file 2
        assertEquals(List.of(second), takeBodies(channel, 10), "the first put is not committed yet");
        assertTrue(logFiles().contains("spill-1.log"), "file 1 still holds the first put: " + logFiles());
        channel.apply(decision, firstPuts, new long[] {2}, pointers, 0, 0, 0);
        assertEquals(List.of(first), takeAllBodies(channel, 100));
    }

    /**
     * Takes committed in later files than their puts, some rolled back on the way, a commit that both takes
     * and puts, and a kill: after the restart every event not taken is there exactly once, in order, and a
     * second kill after taking them all brings nothing back.
     */
    @Test
    void takesInLaterFilesRollbacksAndAKillKeepEveryUntakenEvent() throws Exception {
        SpillableChannel channel = channel();
        for (int i = 0; i < 10; i++) {
            putBodies(channel, "e" + i + "-" + "p".repeat(300));
        }
        // Rolled back: back at the head, and their files must stay.
        Transaction rolledBack = channel.getTransaction();
        rolledBack.begin();
        for (int i = 0; i < 4; i++) {
            channel.take();
        }
        rolledBack.rollback();
        rolledBack.close();
        assertEquals(List.of("e0", "e1"), prefixes(takeBodies(channel, 2)));
        // One commit takes two and puts one; its record starts a new file mid-stream.
        Transaction both = channel.getTransaction();
        both.begin();
        List<String> taken = new ArrayList<>();
        taken.add(body(channel.take()));
        taken.add(body(channel.take()));
        channel.put(event("e10-" + "p".repeat(300)));
        both.commit();
        both.close();
        assertEquals(List.of("e2", "e3"), prefixes(taken));
        channel = crashAndReopen(channel);
        assertEquals(List.of("e4", "e5", "e6", "e7", "e8", "e9", "e10"), prefixes(takeAllBodies(channel, 100)));
        putBodies(channel, "last");
        channel = crashAndReopen(channel);
        assertEquals(List.of("last"), takeAllBodies(channel, 100));
        assertTrue(logFiles().size() <= 2, "fully taken files are deleted: " + logFiles());
    }

    private static List<String> prefixes(List<String> bodies) {
        return bodies.stream().map(b -> b.substring(0, b.indexOf('-'))).toList();
    }

    private List<String> logFiles() throws Exception {
        try (Stream<Path> files = Files.list(data.resolve(TestContexts.AGENT).resolve("c1").resolve("data"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(OverflowLog.PREFIX)).sorted()
                    .toList();
        }
    }
}

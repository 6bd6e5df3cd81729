package org.sluice.channel.spillable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.testkit.ChannelTransactions;
import org.sluice.support.log.FileOpener;
import org.sluice.testkit.FaultyFileChannel.Operation;
import org.sluice.testkit.FaultyFileChannel;
import org.sluice.testkit.TestContexts;

/** The overflow when the disk fails a read, a write or a force: nothing acknowledged is lost, and it goes on. */
class OverflowFaultsTest {
    @TempDir
    Path data;

    /** Fails the next operation of a kind on an overflow file, once. */
    private final FaultyFileChannel.FailNext failNext = new FaultyFileChannel.FailNext();
    private final List<SpillableChannel> running = new ArrayList<>();
    private ChannelContext context;

    @AfterEach
    void stopAll() {
        running.forEach(SpillableChannel::stop);
    }

    /** Every commit to the overflow, with files that fail as {@link #failNext} says. */
    private SpillableChannel channel() throws Exception {
        FileOpener opener = (path, purpose) -> new FaultyFileChannel(FileOpener.DEFAULT.open(path, purpose), path,
                failNext);
        context = TestContexts.channel("c1", new HashMap<>(Map.of("memoryCapacity", "0",
                "minimumRequiredSpace", "0")), data);
        SpillableChannel channel = (SpillableChannel) new SpillableChannelFactory(opener).create(context);
        channel.start();
        running.add(channel);
        return channel;
    }

    private static void put(SpillableChannel channel, String... bodies) {
        ChannelTransactions.putCommitted(channel, Stream.of(bodies)
                .map(body -> EventBuilder.withBody(body, StandardCharsets.UTF_8)).toList());
    }

    @Test
    void anEventThatCannotBeReadForNowStaysForALaterTake() throws Exception {
        SpillableChannel channel = channel();
        put(channel, "a", "b");
        failNext.arm(Operation.READ);
        Transaction tx = channel.getTransaction();
        tx.begin();
        ChannelException e = assertThrows(ChannelException.class, channel::take);
        assertTrue(e.getMessage().contains("could not be read now; it stays in the channel"), e.getMessage());
        tx.rollback();
        tx.close();
        assertEquals(2, channel.size(), "not dropped: an I/O error that may pass proves no damage");
        assertEquals(List.of("a", "b"), ChannelTransactions.takeAllBodies(channel, 10));
        assertEquals(0, context.counter().get(SpillableChannel.CORRUPT_RECORDS));
    }

    @Test
    void aSpillWhoseWriteFailsIsNotKeptAndTheOverflowGoesOn() throws Exception {
        SpillableChannel channel = channel();
        put(channel, "a");
        failNext.arm(Operation.WRITE);
        assertThrows(ChannelException.class, () -> put(channel, "lost"));
        put(channel, "b");
        assertEquals(1, logFiles().size(), "the failed record was cut off; the file takes the next one");
        channel.stop();
        running.remove(channel);
        SpillableChannel reopened = channel();
        assertEquals(List.of("a", "b"), ChannelTransactions.takeAllBodies(reopened, 10));
    }

    @Test
    void aSpillWhoseForceFailsIsNotAcknowledgedAndTheNextGoesToANewFile() throws Exception {
        SpillableChannel channel = channel();
        put(channel, "a");
        List<Path> before = logFiles();
        failNext.arm(Operation.FORCE);
        assertThrows(ChannelException.class, () -> put(channel, "unsure"));
        put(channel, "b");
        List<Path> after = logFiles();
        assertNotEquals(before, after, "after a failed force nothing more goes into that file");
        assertEquals(List.of("a", "b"), ChannelTransactions.takeAllBodies(channel, 10));
    }

    private List<Path> logFiles() throws IOException {
        try (Stream<Path> files = Files.list(data.resolve(TestContexts.AGENT).resolve("c1").resolve("data"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(OverflowLog.PREFIX)).sorted().toList();
        }
    }
}

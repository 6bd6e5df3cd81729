package org.sluice.channel.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.testkit.ChannelTransactions;
import org.sluice.support.log.FileOpener;
import org.sluice.testkit.FaultyFileChannel.Operation;
import org.sluice.testkit.FaultyFileChannel;
import org.sluice.testkit.TestContexts;

/** Commits that fail on the disk (a write, a force) and are retried: what reaches the data files. */
class FileChannelFaultsTest {
    @TempDir
    Path data;
    @TempDir
    Path keys;

    /** Fails the next operation of a kind on a data file, once. */
    private final FaultyFileChannel.FailNext failNext = new FaultyFileChannel.FailNext();
    private final List<org.sluice.channel.file.FileChannel> running = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(org.sluice.channel.file.FileChannel::stop);
    }

    private org.sluice.channel.file.FileChannel channel(Map<String, String> overrides) throws Exception {
        FileOpener opener = (path, purpose) -> new FaultyFileChannel(FileOpener.DEFAULT.open(path, purpose), path,
                failNext);
        Map<String, String> properties = new HashMap<>(Map.of("checkpointInterval", "600000",
                "checkpointOnClose", "false", "keep-alive", "0", "minimumRequiredSpace", "0"));
        properties.putAll(overrides);
        org.sluice.channel.file.FileChannel channel = (org.sluice.channel.file.FileChannel)
                new FileChannelFactory(directory -> Long.MAX_VALUE, opener)
                        .create(TestContexts.channel("c1", properties, data));
        channel.start();
        running.add(channel);
        return channel;
    }

    private org.sluice.channel.file.FileChannel restart(org.sluice.channel.file.FileChannel channel,
            Map<String, String> overrides) throws Exception {
        channel.stop();
        running.remove(channel);
        return channel(overrides);
    }

    private static Event event(String body) {
        return EventBuilder.withBody(body, StandardCharsets.UTF_8);
    }

    private Directories directories() {
        Path home = data.resolve(TestContexts.AGENT).resolve("c1");
        return new Directories(home.resolve("checkpoint"), null, List.of(home.resolve("data")));
    }

    @Test
    void aCommitRetriedAfterAFailedWriteWritesItsRecordsOnce() throws Exception {
        org.sluice.channel.file.FileChannel channel = channel(Map.of());
        ChannelTransactions.putCommitted(channel, List.of(event("a")));
        Transaction tx = channel.getTransaction();
        tx.begin();
        assertEquals("a", new String(channel.take().getBody()));
        channel.put(event("b"));
        failNext.arm(Operation.WRITE);
        assertThrows(ChannelException.class, tx::commit);
        tx.commit();
        tx.close();
        channel.stop();
        running.remove(channel);
        // What the next start replays: the transaction once, whole (the start's checkpoint does not cover it).
        FileChannelCheck.Report report = FileChannelCheck.check(directories());
        assertEquals(FileChannelCheck.Status.OK, report.status(), report.text());
        assertEquals(0, report.incompleteTransactions(), report.text());
        assertEquals(List.of("b"), ChannelTransactions.takeAllBodies(channel(Map.of()), 10));
    }

    @Test
    void anEncryptedCommitRetriedAfterAFailedForceIsWrittenInTheClearAgainAndReadsBack() throws Exception {
        Path store = FileChannelSampleWriter.keystore(keys, "key-1");
        Map<String, String> encrypted = new HashMap<>(FileChannelSampleWriter.encryption(store, "key-1", "key-1"));
        encrypted.put("checkpointOnClose", "true");
        org.sluice.channel.file.FileChannel channel = channel(encrypted);
        ChannelTransactions.putCommitted(channel, List.of(event("first")));   // makes the data file, so the force that fails is the commit's
        Transaction tx = channel.getTransaction();
        tx.begin();
        channel.put(event("secret"));
        failNext.arm(Operation.FORCE);
        assertThrows(ChannelException.class, tx::commit);
        // The failed force retired the file; the retry encrypts the records afresh for the next one.
        tx.commit();
        tx.close();
        channel = restart(channel, encrypted);
        assertEquals(List.of("first", "secret"), ChannelTransactions.takeAllBodies(channel, 10));
    }
}

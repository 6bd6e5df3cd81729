package org.sluice.channel.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sluice.api.testkit.TextEvents.body;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelContext;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.testkit.ChannelTransactions;
import org.sluice.support.log.DurableLogKeys;
import org.sluice.testkit.StartedChannels;
import org.sluice.testkit.StoredBytes;
import org.sluice.testkit.TestContexts;

/**
 * What only the file channel does: checkpoints and replay, damaged records, rolling and deleting data files,
 * free space, several data directories, fsync modes, directory locks, its keys. The channel contract is in
 * FileChannelContractTest.
 */
class FileChannelTest {
    @TempDir
    Path data;

    private final AtomicLong freeSpace = new AtomicLong(Long.MAX_VALUE);
    private final FileChannelFactory factory = new FileChannelFactory(directory -> freeSpace.get());
    @RegisterExtension
    final StartedChannels<FileChannel> started = new StartedChannels<>(factory, FileChannel.class,
            Map.of("checkpointInterval", "600000", "checkpointOnClose", "false", "keep-alive", "0"));

    /** Tests leave checkpoints to the test: none on a timer, none on close unless asked. */
    private FileChannel channel(Map<String, String> overrides) throws Exception {
        return started.start(data, overrides);
    }

    private FileChannel restart(FileChannel channel, Map<String, String> overrides) throws Exception {
        started.stop(channel);
        return channel(overrides);
    }

    private Path home() {
        return data.resolve(TestContexts.AGENT).resolve("c1");
    }

    private Path checkpointFile() {
        return home().resolve("checkpoint").resolve(Checkpoint.FILE);
    }

    private List<Path> dataFiles() throws IOException {
        return new ArrayList<>(DataLog.list(home().resolve("data")).values());
    }

    @Test
    void replayWithoutAnyCheckpoint() throws Exception {
        FileChannel channel = channel(Map.of());
        putCommitted(channel, "a", "b", "c");
        take(channel, 1);
        started.stop(channel);
        Files.delete(checkpointFile());
        channel = channel(Map.of());
        assertTrue(channel.recoveredFrom().contains("full replay"), channel.recoveredFrom());
        assertEquals(List.of("b", "c"), takeAll(channel));
    }

    @Test
    void checkpointThenReplayOfLaterRecords() throws Exception {
        FileChannel channel = channel(Map.of());
        putCommitted(channel, "a", "b", "c");
        take(channel, 1);
        channel.checkpoint();
        putCommitted(channel, "d", "e");
        take(channel, 1);
        channel = restart(channel, Map.of());
        assertTrue(channel.recoveredFrom().contains("checkpoint in"), channel.recoveredFrom());
        assertEquals(List.of("c", "d", "e"), takeAll(channel));
    }

    @Test
    void checkpointOnCloseRecordsOpenTakesAsStillThere() throws Exception {
        FileChannel channel = channel(Map.of("checkpointOnClose", "true"));
        putCommitted(channel, "a", "b");
        Transaction tx = channel.getTransaction();
        tx.begin();
        assertEquals("a", body(channel.take()));
        channel.checkpoint();
        tx.rollback();
        tx.close();
        channel = restart(channel, Map.of());
        assertEquals(List.of("a", "b"), takeAll(channel));
    }

    @Test
    void recordTruncatedMidWriteLosesOnlyThatTransaction() throws Exception {
        FileChannel channel = channel(Map.of());
        putCommitted(channel, "a", "b");
        putCommitted(channel, "c");
        started.stop(channel);
        Path file = dataFiles().get(0);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 5); // the second transaction's COMMIT record is torn
        }
        channel = channel(Map.of());
        assertEquals(List.of("a", "b"), takeAll(channel));
        assertEquals(1, started.context().counter().get(FileChannel.CORRUPT_RECORDS));
    }

    @Test
    void flippedBitLosesOnlyTheDamagedRecord() throws Exception {
        FileChannel channel = channel(Map.of());
        putCommitted(channel, "first-event");
        putCommitted(channel, "second-event");
        putCommitted(channel, "third-event");
        started.stop(channel);
        Path file = dataFiles().get(0);
        byte[] bytes = Files.readAllBytes(file);
        int at = StoredBytes.offsetOf(bytes, "second-event");
        bytes[at + 3] ^= 0x10;
        Files.write(file, bytes);
        channel = channel(Map.of());
        assertEquals(List.of("first-event", "third-event"), takeAll(channel));
        assertEquals(1, started.context().counter().get(FileChannel.CORRUPT_RECORDS));
    }

    @Test
    void zeroedCheckpointFallsBackToFullReplay() throws Exception {
        FileChannel channel = channel(Map.of("checkpointOnClose", "true"));
        putCommitted(channel, "a", "b", "c");
        take(channel, 1);
        started.stop(channel);
        Files.write(checkpointFile(), new byte[(int) Files.size(checkpointFile())]);
        channel = channel(Map.of());
        assertTrue(channel.recoveredFrom().contains("full replay"), channel.recoveredFrom());
        assertEquals(List.of("b", "c"), takeAll(channel));
    }

    @Test
    void missingCheckpointFallsBackToFullReplay() throws Exception {
        FileChannel channel = channel(Map.of("checkpointOnClose", "true"));
        putCommitted(channel, "a", "b", "c");
        take(channel, 2);
        started.stop(channel);
        Files.delete(checkpointFile());
        channel = channel(Map.of());
        assertEquals(List.of("c"), takeAll(channel));
    }

    @Test
    void damagedCheckpointFallsBackToTheBackup() throws Exception {
        Map<String, String> dual = Map.of("useDualCheckpoints", "true", "checkpointOnClose", "true");
        FileChannel channel = channel(dual);
        putCommitted(channel, "a", "b", "c");
        take(channel, 1);
        started.stop(channel);
        byte[] bytes = Files.readAllBytes(checkpointFile());
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(checkpointFile(), bytes);
        channel = channel(dual);
        assertTrue(channel.recoveredFrom().contains("backup"), channel.recoveredFrom());
        assertEquals(List.of("b", "c"), takeAll(channel));
    }

    @Test
    void filesRollAndUnreferencedOnesAreDeletedAfterACheckpoint() throws Exception {
        FileChannel channel = channel(Map.of("maxFileSize", "2048"));
        for (int i = 0; i < 40; i++) {
            putCommitted(channel, "event-" + i + "-" + "x".repeat(100));
        }
        int written = dataFiles().size();
        assertTrue(written > 3, "rolled into " + written + " files");
        assertEquals(35, take(channel, 35).size());
        channel.checkpoint();
        assertTrue(dataFiles().size() < written, dataFiles().size() + " files left of " + written);
        channel = restart(channel, Map.of("maxFileSize", "2048"));
        List<String> rest = takeAll(channel);
        assertEquals(5, rest.size());
        assertTrue(rest.get(0).startsWith("event-35-"), rest.get(0));
    }

    @Test
    void putsAreRefusedBelowMinimumRequiredSpaceAndResumeByThemselves() throws Exception {
        FileChannel channel = channel(Map.of("minimumRequiredSpace", "2000000"));
        putCommitted(channel, "before");
        freeSpace.set(1999999);
        ChannelException refused = assertThrows(ChannelException.class, () -> putCommitted(channel, "refused"));
        assertTrue(refused.getMessage().contains("c1") && refused.getMessage().contains("1999999")
                && refused.getMessage().contains(home().resolve("data").toString()), refused.getMessage());
        assertEquals(1, channel.size());
        assertEquals(List.of("before"), take(channel, 1), "takes still work");
        freeSpace.set(2000000);
        putCommitted(channel, "after");
        FileChannel reopened = restart(channel, Map.of("minimumRequiredSpace", "2000000"));
        assertEquals(List.of("after"), takeAll(reopened));
    }

    @Test
    void unsyncedModeKeepsEventsAcrossAStop() throws Exception {
        FileChannel channel = channel(Map.of("fsyncPerTransaction", "false", "fsyncInterval", "1"));
        putCommitted(channel, "a", "b");
        channel = restart(channel, Map.of("fsyncPerTransaction", "false"));
        assertEquals(List.of("a", "b"), takeAll(channel));
    }

    @Test
    void severalDataDirectoriesShareTheLoadAndRecoverTogether() throws Exception {
        String dirs = data.resolve("disk1") + "," + data.resolve("disk2");
        FileChannel channel = channel(Map.of("dataDirs", dirs));
        for (int i = 0; i < 10; i++) {
            putCommitted(channel, "e" + i);
        }
        assertEquals(5, take(channel, 5).size());
        assertTrue(Files.list(data.resolve("disk1")).anyMatch(p -> p.getFileName().toString().startsWith("log-")));
        assertTrue(Files.list(data.resolve("disk2")).anyMatch(p -> p.getFileName().toString().startsWith("log-")));
        started.stop(channel);
        Files.delete(checkpointFile());
        channel = channel(Map.of("dataDirs", dirs));
        assertEquals(List.of("e5", "e6", "e7", "e8", "e9"), takeAll(channel));
    }

    @Test
    void twoChannelsCannotShareDirectories() throws Exception {
        channel(Map.of());
        ChannelContext other = TestContexts.channel("c1", Map.of("minimumRequiredSpace", "0"), data);
        FileChannel second = (FileChannel) factory.create(other);
        ChannelException refused = assertThrows(ChannelException.class, second::start);
        assertTrue(refused.getMessage().contains("in use"), refused.getMessage());
    }

    @Test
    void outOfRangeValuesTakeFlumesDefaultOrBoundWhereFlumeDoes() throws Exception {
        // Flume runs these: capacity, transactionCapacity and checkpointInterval below 1 take the default with a
        // warning; a short checkpointInterval, a large maxFileSize, a small minimumRequiredSpace and a negative
        // keep-alive are moved to Flume's bound; fsyncInterval is not read while fsyncPerTransaction is true.
        FileChannel channel = channel(Map.of("capacity", "-1", "transactionCapacity", "0",
                "checkpointInterval", "0", "maxFileSize", "9999999999", "minimumRequiredSpace", "-5",
                "keep-alive", "-1", "fsyncInterval", "0"));
        putCommitted(channel, "e1");
        assertEquals(List.of("e1"), takeAll(channel));
        ChannelContext ctx = TestContexts.channel("c1", Map.of("capacity", "-1", "checkpointInterval", "10",
                "maxFileSize", "9999999999", "minimumRequiredSpace", "0"), data);
        FileChannelFactory.Config config = ctx.config(FileChannelFactory.Config.class);
        assertEquals(1000000, config.capacity());
        started.stop(channel);
        FileChannel.Settings settings = ((FileChannel) factory.create(ctx)).settings();
        assertEquals(1000000, settings.capacity());
        assertEquals(DurableLogKeys.MIN_CHECKPOINT_INTERVAL, settings.checkpointIntervalMillis());
        assertEquals(DurableLogKeys.MAX_FILE_SIZE, settings.maxFileSize());
        assertEquals(DurableLogKeys.MIN_REQUIRED_SPACE, settings.minimumRequiredSpace());
    }

    @Test
    void valuesFlumeRefusesNameTheirKey() {
        // Flume fails the channel: transactionCapacity above capacity (Preconditions), fsyncInterval 0 when the
        // timer is used (the scheduler refuses it); Sluice refuses files too small to hold a record.
        for (Map<String, String> bad : List.of(Map.of("transactionCapacity", "2000000"),
                Map.of("fsyncPerTransaction", "false", "fsyncInterval", "0"), Map.of("maxFileSize", "10"))) {
            ChannelContext ctx = TestContexts.channel("c1", bad, data);
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> factory.create(ctx),
                    bad.toString());
            assertTrue(bad.containsKey(e.key()), e.key());
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    static void putCommitted(Channel channel, String... bodies) {
        ChannelTransactions.putBodies(channel, bodies);
    }

    static List<String> take(Channel channel, int max) {
        return ChannelTransactions.takeBodies(channel, max);
    }

    static List<String> takeAll(Channel channel) {
        return ChannelTransactions.takeAllBodies(channel, 100);
    }
}

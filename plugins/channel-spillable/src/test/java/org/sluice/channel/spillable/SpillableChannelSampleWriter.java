package org.sluice.channel.spillable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.sluice.api.channel.Transaction;
import org.sluice.testkit.FormatSamples;
import org.sluice.testkit.SampleTraffic;
import org.sluice.testkit.TestContexts;

/**
 * Writes a new format sample of the overflow with the code as it is (see {@link SpillableChannelFormatTest}), run on
 * demand when a version changes the format: {@code mvn -pl plugins/channel-spillable test
 * -Dtest=SpillableChannelSampleWriter -Dsluice.format.samples=write -Dsluice.format.version=X.Y.Z}. A saved sample
 * is never rewritten.
 *
 * <p>The sample comes from two runs on the same directories. The first keeps four events in memory and spills the
 * rest, takes from both (and rolls back a take of overflow events), and stops cleanly with events in memory, which
 * stop() saves to the overflow with their sequence numbers: in the files after events that a start must deliver
 * after them. The second spills every commit (memoryCapacity 0), takes, and last commits a transaction whose record
 * is cut short, as a crash during its write leaves it. Two data directories and 1 KiB files, so that files roll and fully taken ones are deleted.
 */
@EnabledIfSystemProperty(named = "sluice.format.samples", matches = "write")
class SpillableChannelSampleWriter {
    private final SampleTraffic traffic = new SampleTraffic();

    @Test
    void writeSample() throws Exception {
        Path sample = Files.createDirectories(Path.of("src/test/resources/formats/sluice-"
                + System.getProperty("sluice.format.version")).resolve("overflow"));
        List<Path> dataDirs = List.of(sample.resolve("data-1"), sample.resolve("data-2"));
        SpillableChannel channel = start(sample, 4);
        put(channel, 4);
        put(channel, 4);
        put(channel, 4);
        take(channel, 6);
        put(channel, 3);
        put(channel, 4);
        Transaction open = channel.getTransaction();
        open.begin();
        for (int i = 0; i < 3; i++) {
            channel.take();
        }
        open.rollback();
        open.close();
        take(channel, 5);
        put(channel, 2);
        channel.stop();

        channel = start(sample, 0);
        put(channel, 4);
        take(channel, 1);
        put(channel, 4);
        take(channel, 1);
        // Three puts and two takes in one record; cut into its take pointers: its puts are whole, the record is not.
        traffic.commitTorn(channel, 3, 2, channel::stop, dataDirs, OverflowLog.PREFIX + "*", 9);
        for (Path data : dataDirs) {
            Files.deleteIfExists(data.resolve(OverflowLog.LOCK_FILE));
        }
        FormatSamples.writeExpected(sample, traffic.queued());
    }

    private SpillableChannel start(Path sample, int memoryCapacity) throws Exception {
        Map<String, String> properties = Map.of("dataDirs", sample.resolve("data-1") + "," + sample.resolve("data-2"),
                "memoryCapacity", Integer.toString(memoryCapacity), "overflowTimeout", "0", "maxFileSize", "1024",
                "minimumRequiredSpace", "0", "transactionCapacity", "100");
        SpillableChannel channel = (SpillableChannel) new SpillableChannelFactory()
                .create(TestContexts.channel("c1", properties, sample));
        channel.start();
        return channel;
    }

    private void put(SpillableChannel channel, int count) {
        traffic.put(channel, count);
    }

    private void take(SpillableChannel channel, int count) {
        traffic.take(channel, count);
    }
}

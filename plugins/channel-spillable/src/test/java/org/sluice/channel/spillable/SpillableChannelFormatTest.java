package org.sluice.channel.spillable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.event.Event;
import org.sluice.api.testkit.ChannelTransactions;
import org.sluice.testkit.FormatSamples;
import org.sluice.testkit.TestContexts;

/**
 * Overflow files written by earlier versions (src/test/resources/formats/sluice-VERSION/overflow, written by
 * {@link SpillableChannelSampleWriter}, described in the README beside it) are read by this one: a start on a
 * copy delivers exactly the events the sample lists, in order, with their headers. A format change that fails
 * here would strand users' events.
 */
class SpillableChannelFormatTest {
    @TempDir
    Path scratch;

    private final List<SpillableChannel> running = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(SpillableChannel::stop);
    }

    @Test
    void aStartDeliversTheSavedEventsInOrder() throws Exception {
        Path copy = FormatSamples.copy(FormatSamples.resource(getClass(), "/formats/sluice-0.1.0/overflow"),
                scratch.resolve("overflow"));
        SpillableChannel channel = (SpillableChannel) new SpillableChannelFactory().create(TestContexts.channel("c1",
                Map.of("dataDirs", copy.resolve("data-1") + "," + copy.resolve("data-2"), "memoryCapacity", "0",
                        "minimumRequiredSpace", "0"), scratch));
        channel.start();
        running.add(channel);
        List<String> delivered = new ArrayList<>();
        for (List<Event> batch; !(batch = ChannelTransactions.take(channel, 7)).isEmpty(); ) {
            delivered.addAll(FormatSamples.describe(batch));
        }
        assertEquals(FormatSamples.readExpected(copy), delivered);
    }
}

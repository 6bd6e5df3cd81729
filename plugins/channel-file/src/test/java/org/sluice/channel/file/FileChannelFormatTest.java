package org.sluice.channel.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sluice.api.event.Event;
import org.sluice.api.testkit.ChannelTransactions;
import org.sluice.testkit.FormatSamples;
import org.sluice.testkit.TestContexts;

/**
 * Files written by earlier versions (src/test/resources/formats/sluice-VERSION, each with a README saying what
 * is in it, written by {@link FileChannelSampleWriter}) are read by this one: a start on a copy delivers
 * exactly the events the sample lists, in order, with their headers, from the checkpoint and from a full
 * replay, and the check finds nothing damaged. A format change that fails here would strand users' events.
 */
class FileChannelFormatTest {
    private static final String SAMPLES = "/formats/sluice-0.1.0/";

    @TempDir
    Path scratch;

    private final List<FileChannel> running = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(FileChannel::stop);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "encrypted"})
    void aStartFromTheCheckpointDeliversTheSavedEvents(String sample) throws Exception {
        Path copy = copy(sample);
        FileChannel channel = start(copy, sample);
        assertTrue(channel.recoveredFrom().startsWith("the checkpoint"), channel.recoveredFrom());
        assertEquals(FormatSamples.readExpected(copy), takeAll(channel));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "encrypted"})
    void aFullReplayDeliversTheSameEvents(String sample) throws Exception {
        Path copy = copy(sample);
        Files.delete(copy.resolve("checkpoint").resolve(Checkpoint.FILE));
        FileChannel channel = start(copy, sample);
        assertEquals("a full replay of the data files", channel.recoveredFrom());
        assertEquals(FormatSamples.readExpected(copy), takeAll(channel));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "encrypted"})
    void theCheckFindsOnlyTheInterruptedTransaction(String sample) throws Exception {
        Path copy = copy(sample);
        FileChannelCheck.Report report = FileChannelCheck.check(new Directories(copy.resolve("checkpoint"), null,
                List.of(copy.resolve("data-1"), copy.resolve("data-2"))));
        assertEquals(FileChannelCheck.Status.OK, report.status(), report.text());
        assertEquals(1, report.incompleteTails(), report.text());
        assertEquals(FormatSamples.readExpected(copy).size(), report.restartEvents(), report.text());
    }

    private Path copy(String sample) {
        return FormatSamples.copy(FormatSamples.resource(getClass(), SAMPLES + sample), scratch.resolve(sample));
    }

    private FileChannel start(Path copy, String sample) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of("checkpointDir", copy.resolve("checkpoint").toString(),
                "dataDirs", copy.resolve("data-1") + "," + copy.resolve("data-2"), "checkpointOnClose", "false",
                "checkpointInterval", "600000", "keep-alive", "0", "minimumRequiredSpace", "0"));
        if (sample.equals("encrypted")) {
            properties.putAll(FileChannelSampleWriter.encryption(copy.resolve("keys").resolve("store.jceks"), "key-2",
                    "key-1 key-2"));
        }
        FileChannel channel = (FileChannel) new FileChannelFactory(directory -> Long.MAX_VALUE)
                .create(TestContexts.channel("c1", properties, scratch));
        channel.start();
        running.add(channel);
        return channel;
    }

    private static List<String> takeAll(FileChannel channel) {
        List<String> all = new ArrayList<>();
        for (List<Event> batch; !(batch = ChannelTransactions.take(channel, 7)).isEmpty(); ) {
            all.addAll(FormatSamples.describe(batch));
        }
        return all;
    }
}

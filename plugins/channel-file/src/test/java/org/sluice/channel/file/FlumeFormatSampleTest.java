package org.sluice.channel.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sluice.api.component.ConfigurationException;
import org.sluice.support.log.FileOpener;
import org.sluice.testkit.FormatSamples;
import org.sluice.testkit.TestContexts;

/**
 * Directories the real Apache Flume 1.11.0 file channel wrote ({@code src/test/resources/formats/flume-1.11.0}, made
 * by {@link FlumeSampleWriter}, each with the events it holds and a README), taken over without Flume at run time: a
 * start on a copy delivers exactly those events, in order, with their headers, from Flume's checkpoint, from its
 * backup checkpoint when the checkpoint is damaged, and from a full replay when there is neither.
 */
class FlumeFormatSampleTest {
    private static final String SAMPLES = "/formats/flume-1.11.0/";

    @TempDir
    Path scratch;

    private final List<FileChannel> running = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(FileChannel::stop);
    }

    @ParameterizedTest
    @ValueSource(strings = {"crash", "stopped", "encrypted"})
    void aStartFromFlumesCheckpointDeliversTheSavedEvents(String sample) throws Exception {
        Path copy = copy(sample);
        FlumeTakeoverTest.assertDelivered(FormatSamples.readExpected(copy), FlumeTakeoverTest.takeAll(start(copy,
                sample)));
        assertTrue(Files.exists(copy.resolve("checkpoint/flume-original/checkpoint")));
        assertTrue(Files.exists(copy.resolve("data-1/flume-original/log-1.meta")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"crash", "stopped", "encrypted"})
    void aDamagedCheckpointFallsBackToFlumesBackup(String sample) throws Exception {
        Path copy = copy(sample);
        // The marker Flume sets while it writes a checkpoint: as if it had died in the middle of one.
        try (RandomAccessFile checkpoint = new RandomAccessFile(copy.resolve("checkpoint/checkpoint").toFile(), "rw")) {
            checkpoint.seek(4 * 8);
            checkpoint.writeLong(1);
        }
        FlumeTakeoverTest.assertDelivered(FormatSamples.readExpected(copy), FlumeTakeoverTest.takeAll(start(copy,
                sample)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"crash", "stopped", "encrypted"})
    void withoutAnyCheckpointAFullReplayDeliversTheSameEvents(String sample) throws Exception {
        Path copy = copy(sample);
        for (String dir : List.of("checkpoint", "backup")) {
            try (Stream<Path> files = Files.list(copy.resolve(dir))) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
        // Flume had deleted none of these data files, so every take is still in them.
        FlumeTakeoverTest.assertDelivered(FormatSamples.readExpected(copy), FlumeTakeoverTest.takeAll(start(copy,
                sample)));
    }

    @Test
    void anEncryptedChannelWithoutItsKeyIsRefusedNamingTheKeyAndLeftAsItWas() throws Exception {
        Path copy = copy("encrypted");
        List<Path> before = tree(copy);
        Map<String, String> keys = FlumeTakeoverTest.flumeKeys(copy);
        keys.putAll(FileChannelSampleWriter.encryption(copy.resolve("keys/store.jceks"), "key-2", "key-2"));
        IOException refused = assertThrows(IOException.class, () -> start(keys));
        assertTrue(refused.getMessage().contains("encrypted with key key-1"), refused.getMessage());
        assertTrue(refused.getMessage().contains("encryption.keyProvider.keys"), refused.getMessage());
        List<Path> after = tree(copy);
        after.removeIf(path -> path.getFileName().toString().equals("in_use.lock"));
        assertEquals(before, after);

        IOException unencrypted = assertThrows(IOException.class, () -> start(FlumeTakeoverTest.flumeKeys(copy)));
        assertTrue(unencrypted.getMessage().contains("encryption.activeKey"), unencrypted.getMessage());
    }

    @Test
    void flumesDataFilesWithTheirPreallocatedTailAreReadAlike() throws Exception {
        Path copy = copy("crash");
        try (Stream<Path> files = Files.list(copy.resolve("data-1"))) {
            for (Path file : files.filter(path -> FlumeDataFile.idOf(path.getFileName().toString()) >= 0).toList()) {
                // As Flume leaves them: the rest of the 1 MiB it preallocates, filled with its end-of-file byte.
                byte[] fill = new byte[1 << 20];
                java.util.Arrays.fill(fill, (byte) 0x80);
                Files.write(file, fill, java.nio.file.StandardOpenOption.APPEND);
            }
        }
        FlumeTakeoverTest.assertDelivered(FormatSamples.readExpected(copy), FlumeTakeoverTest.takeAll(start(copy,
                "crash")));
        assertFalse(Files.exists(copy.resolve("data-1").resolve(FlumeTakeover.STAGING)));
    }

    @Test
    void aBacklogInFlumesDefaultDirectoriesIsRefusedNamingTheKeysThatTakeItOver() throws Exception {
        // A Flume channel configured without directories: its files in ~/.flume/file-channel/{checkpoint,data}.
        Path copy = copy("stopped");
        Path defaults = Files.createDirectories(scratch.resolve("home/.flume/file-channel"));
        Files.move(copy.resolve("checkpoint"), defaults.resolve("checkpoint"));
        Path data = Files.createDirectories(defaults.resolve("data"));
        for (String dir : List.of("data-1", "data-2")) {
            try (Stream<Path> files = Files.list(copy.resolve(dir))) {
                for (Path file : files.toList()) {
                    Files.move(file, data.resolve(file.getFileName()));
                }
            }
        }
        List<Path> before = tree(defaults);
        FileChannelFactory factory = new FileChannelFactory(directory -> Long.MAX_VALUE,
                FileOpener.DEFAULT, defaults);

        ConfigurationException refused = assertThrows(ConfigurationException.class,
                () -> factory.create(TestContexts.channel("c1", Map.of(), scratch)));
        assertTrue(refused.getMessage().contains("checkpointDir = " + defaults.resolve("checkpoint")),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("dataDirs = " + data), refused.getMessage());
        assertEquals(before, tree(defaults));

        // The keys the message names take the backlog over.
        FileChannel channel = (FileChannel) factory.create(TestContexts.channel("c1", Map.of("checkpointDir",
                defaults.resolve("checkpoint").toString(), "dataDirs", data.toString(), "keep-alive", "0"), scratch));
        channel.start();
        running.add(channel);
        FlumeTakeoverTest.assertDelivered(FormatSamples.readExpected(copy), FlumeTakeoverTest.takeAll(channel));
    }

    private Path copy(String sample) {
        return FormatSamples.copy(FormatSamples.resource(getClass(), SAMPLES + sample), scratch.resolve(sample));
    }

    private FileChannel start(Path copy, String sample) throws Exception {
        Map<String, String> keys = FlumeTakeoverTest.flumeKeys(copy);
        if (sample.equals("encrypted")) {
            keys.putAll(FileChannelSampleWriter.encryption(copy.resolve("keys/store.jceks"), "key-2", "key-1 key-2"));
        }
        return start(keys);
    }

    private FileChannel start(Map<String, String> keys) throws Exception {
        Map<String, String> properties = new HashMap<>(keys);
        properties.put("keep-alive", "0");
        FileChannel channel = (FileChannel) new FileChannelFactory(directory -> Long.MAX_VALUE)
                .create(TestContexts.channel("c1", properties, scratch));
        channel.start();
        running.add(channel);
        return channel;
    }

    private static List<Path> tree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return new ArrayList<>(paths.sorted().toList());
        }
    }
}

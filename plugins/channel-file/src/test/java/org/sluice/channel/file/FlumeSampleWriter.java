package org.sluice.channel.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.sluice.flumestate.ScriptRun;
import org.sluice.testkit.FormatSamples;

/**
 * Writes the saved samples of Flume's file channel ({@code src/test/resources/formats/flume-1.11.0}, read by
 * {@link FlumeFormatSampleTest}) with the real Flume 1.11.0, run once when they are made: {@code mvn -pl
 * plugins/channel-file test -Dtest=FlumeSampleWriter -Dsluice.format.samples=write-flume}. They are never rewritten.
 *
 * <p>Each sample is what a {@link ScriptRun} leaves: the directories and the events Flume holds. The data files
 * are saved without the run of end-of-file bytes ({@code 0x80}) Flume preallocates after the last record, 1 MiB at a
 * time, but with one of them: the content is the same to any reader (Flume's too), the repository is spared megabytes
 * of filler, and {@link FlumeTakeoverTest} reads files as Flume left them, filler and all.
 */
@EnabledIfSystemProperty(named = "sluice.format.samples", matches = "write-flume")
class FlumeSampleWriter {
    private static final Path ROOT = Path.of("src/test/resources/formats/flume-1.11.0");

    @Test
    void writeSamples() throws Exception {
        Path work = Files.createTempDirectory("flume-samples");

        Path crash = work.resolve("crash");
        save(crash, FlumeTakeoverTest.flume(crash, FlumeTakeoverTest.flumeKeys(crash), FlumeTakeoverTest.CRASH));

        Path stopped = work.resolve("stopped");
        save(stopped, FlumeTakeoverTest.flume(stopped, FlumeTakeoverTest.flumeKeys(stopped), List.of(
                "put 1 10", "put 11 20", "take 6", "checkpoint", "put 21 30", "take 4", "open-take 2", "put 31 35",
                "stop")));

        // Encrypted, with a key rotation between two runs: key-1's files, then key-2's.
        Path encrypted = work.resolve("encrypted");
        Path store = FileChannelSampleWriter.keystore(encrypted.resolve("keys"), "key-1", "key-2");
        Map<String, String> first = new HashMap<>(FlumeTakeoverTest.flumeKeys(encrypted));
        first.putAll(FileChannelSampleWriter.encryption(store, "key-1", "key-1"));
        ScriptRun before = FlumeTakeoverTest.flume(encrypted, first, List.of("put 101 110", "put 111 120",
                "take 3", "stop"));
        Map<String, String> second = new HashMap<>(FlumeTakeoverTest.flumeKeys(encrypted));
        second.putAll(FileChannelSampleWriter.encryption(store, "key-2", "key-1 key-2"));
        save(encrypted, before.then(FlumeTakeoverTest.flume(encrypted, second, FlumeTakeoverTest.CRASH)));
    }

    private static void save(Path run, ScriptRun flume) throws IOException {
        Path sample = Files.createDirectories(ROOT.resolve(run.getFileName()));
        for (String dir : List.of("checkpoint", "backup", "data-1", "data-2", "keys")) {
            Path from = run.resolve(dir);
            if (!Files.isDirectory(from)) {
                continue;
            }
            Path to = Files.createDirectories(sample.resolve(dir));
            try (Stream<Path> files = Files.list(from)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String name = file.getFileName().toString();
                    if (name.equals("in_use.lock")) {
                        continue;
                    }
                    if (FlumeDataFile.idOf(name) >= 0) {
                        saveTrimmed(file, to.resolve(name));
                    } else {
                        Files.copy(file, to.resolve(name));
                    }
                }
            }
        }
        Files.copy(run.resolve("channel.script"), sample.resolve("channel.script"));
        List<String> expected = new ArrayList<>(List.of(
                "# The events a takeover of this Flume 1.11.0 file channel delivers, in order: body, then headers",
                "# key=value, each URL-encoded (UTF-8), separated by tabs."));
        expected.addAll(flume.expectedLines());
        Files.write(sample.resolve(FormatSamples.EXPECTED), expected, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW);
    }

    /** A data file without its preallocated tail: its records, then the end-of-file byte that follows them. */
    private static void saveTrimmed(Path file, Path to) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int end = 0;
        // A record (0x7F) or a voided one (0x00): the operation byte, an int length, that many bytes.
        while (end + 5 <= bytes.length && (bytes[end] == 0x7F || bytes[end] == 0x00)) {
            end += 5 + buffer.getInt(end + 1);
        }
        end = Math.min(bytes.length, end + 1);
        try (FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(bytes, 0, end));
        }
    }
}

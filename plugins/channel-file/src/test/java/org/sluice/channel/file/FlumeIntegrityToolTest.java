package org.sluice.channel.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.testkit.StoredBytes;
import org.sluice.testkit.TestContexts;

/**
 * {@code flume-ng tool FCINTEGRITYTOOL -l DIR}: Flume's options on Sluice's check of the data directories alone,
 * which finds damaged records and changes no file.
 */
class FlumeIntegrityToolTest {
    @TempDir
    Path data;

    private record Cli(int status, String out, String err) {
    }

    private static Cli tool(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = FlumeIntegrityTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A stopped channel's data directory holding three committed events (no checkpoint written). */
    private Path dataDirWithThreeEvents() throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of("checkpointInterval", "600000",
                "checkpointOnClose", "false", "keep-alive", "0"));
        FileChannel channel = (FileChannel) new FileChannelFactory(directory -> Long.MAX_VALUE)
                .create(TestContexts.channel("c1", properties, data));
        channel.start();
        try {
            FileChannelTest.putCommitted(channel, "first-event");
            FileChannelTest.putCommitted(channel, "second-event");
            FileChannelTest.putCommitted(channel, "third-event");
        } finally {
            channel.stop();
        }
        return data.resolve(TestContexts.AGENT).resolve("c1").resolve("data");
    }

    @Test
    void checksTheDataFilesOfFlumesOptionInAnyCaseOfTheToolsName() throws Exception {
        Path dataDir = dataDirWithThreeEvents();

        for (String[] args : List.of(new String[] {"FCINTEGRITYTOOL", "-l", dataDir.toString()},
                new String[] {"fcintegritytool", "--dataDirs", dataDir.toString()},
                new String[] {"FcIntegrityTool", "--dataDirs=" + dataDir})) {
            Cli cli = tool(args);
            assertEquals(FileChannelCheck.EXIT_OK, cli.status(), cli.err());
            assertTrue(cli.out().contains("checkpointDir        (not given"), cli.out());
            assertTrue(cli.out().contains("Events a full replay of the data files would deliver: 3"), cli.out());
            assertTrue(cli.out().contains("Result: OK"), cli.out());
        }
    }

    @Test
    void aDamagedRecordIsReportedAndNoFileIsChanged() throws Exception {
        Path dataDir = dataDirWithThreeEvents();
        Path file = DataLog.list(dataDir).firstEntry().getValue();
        byte[] bytes = Files.readAllBytes(file);
        bytes[StoredBytes.offsetOf(bytes, "second-event") + 3] ^= 0x10;
        Files.write(file, bytes);

        Cli cli = tool("FCINTEGRITYTOOL", "-l", dataDir.toString());

        assertEquals(FileChannelCheck.EXIT_DAMAGED, cli.status(), cli.err());
        assertTrue(cli.out().contains(file + " offset "), cli.out());
        assertTrue(cli.out().contains("Events a full replay of the data files would deliver: 2"), cli.out());
        assertTrue(cli.out().contains("No file was changed"), cli.out());
        assertEquals(List.of(file.getFileName()), Files.list(dataDir).filter(Files::isRegularFile)
                .filter(path -> path.getFileName().toString().startsWith("log-")).map(Path::getFileName).toList(),
                "no .bak copy, no new file");
        assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(file)), "the file is as it was");
    }

    @Test
    void flumesOtherOptionsAndMistakesAreAnsweredByName() throws Exception {
        Path dataDir = dataDirWithThreeEvents();

        Cli validator = tool("FCINTEGRITYTOOL", "-l", dataDir.toString(), "-e", "org.example.Validator");
        assertEquals(FileChannelCheck.EXIT_USAGE, validator.status());
        assertTrue(validator.err().contains("-e is not supported"), validator.err());
        Cli noDirs = tool("FCINTEGRITYTOOL");
        assertEquals(FileChannelCheck.EXIT_USAGE, noDirs.status());
        assertTrue(noDirs.err().contains("dataDirs is required"), noDirs.err());
        Cli missingDir = tool("FCINTEGRITYTOOL", "-l", data.resolve("nope").toString());
        assertEquals(FileChannelCheck.EXIT_USAGE, missingDir.status());
        assertTrue(missingDir.err().contains("no such directory"), missingDir.err());
        Cli otherTool = tool("LOGDUMP", "-l", dataDir.toString());
        assertEquals(FileChannelCheck.EXIT_USAGE, otherTool.status());
        assertTrue(otherTool.err().contains("fcintegritytool"), otherTool.err());
        Cli help = tool("FCINTEGRITYTOOL", "-h");
        assertEquals(FileChannelCheck.EXIT_OK, help.status());
        assertTrue(help.out().startsWith("Usage: flume-ng tool FCINTEGRITYTOOL"), help.out());
        assertFalse(help.out().contains("null"));
    }
}

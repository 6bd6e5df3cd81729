package org.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flume-ng avro-client}'s options, read and checked as Flume's AvroCLIClient does, with its messages. */
class AvroClientOptionsTest {
    @TempDir
    Path directory;

    private static AvroClientOptions parse(String... args) throws UsageException {
        String[] all = new String[args.length + 1];
        all[0] = "avro-client";
        System.arraycopy(args, 0, all, 1, args.length);
        Invocation invocation = CommandLine.parse(all);
        assertEquals(Command.AVRO_CLIENT, invocation.command());
        return invocation.avroClient().orElseThrow();
    }

    private static String refusal(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void theUserGuidesExampleInShortAndLongForms() throws Exception {
        Path log = Files.writeString(directory.resolve("log.10"), "x\n");
        Path headers = Files.writeString(directory.resolve("headers"), "a=b\n");

        AvroClientOptions shortForms = parse("-H", "localhost", "-p", "41414", "-F", log.toString(), "-R",
                headers.toString());
        AvroClientOptions longForms = parse("--host", "localhost", "--port=41414", "--filename", log.toString(),
                "--headerFile=" + headers);
        AvroClientOptions joined = parse("-Hlocalhost", "-p41414", "-F" + log, "-R" + headers);

        assertEquals(shortForms, longForms);
        assertEquals(shortForms, joined);
        assertEquals(Optional.of("localhost"), shortForms.host());
        assertEquals(Optional.of(41414), shortForms.port());
        assertEquals(Map.of(AvroClientOptions.HOST, "localhost", AvroClientOptions.PORT, "41414",
                AvroClientOptions.FILE, log.toAbsolutePath().toString(), AvroClientOptions.HEADER_FILE,
                headers.toAbsolutePath().toString()), shortForms.frameworkProperties());
    }

    @Test
    void withoutAFileItReadsStandardInputAndADirectoryIsSpooled() throws Exception {
        assertEquals(Optional.empty(), parse("-H", "h", "-p", "1").file());
        assertEquals(Optional.of(directory), parse("-H", "h", "-p", "1", "--dirname", directory.toString())
                .dirname());
    }

    @Test
    void flumesChecksInFlumesOrderWithFlumesMessages() throws Exception {
        Path log = Files.writeString(directory.resolve("log"), "x\n");
        assertEquals("--filename and --dirname options cannot be used simultaneously",
                refusal("-H", "h", "-p", "1", "-F", log.toString(), "--dirname", directory.toString()));
        assertEquals("Either --rpcProps or both --host and --port must be specified.", refusal("-F", log.toString()));
        assertEquals("You must specify a port to connect to with --port", refusal("-H", "h"));
        assertEquals("You must specify a hostname to connect to with --host", refusal("-p", "41414"));
        assertTrue(refusal("-P", directory.resolve("none.properties").toString())
                .startsWith("RPC client properties file"));
        assertTrue(refusal("-H", "h", "-p", "port").contains("not a port number"));
        assertTrue(refusal("-H", "h", "-p", "1", "-F", directory.resolve("missing").toString())
                .contains("is not a file"));
        assertTrue(refusal("-H", "h", "-p", "1", "--bogus").contains("--bogus"));
        assertTrue(refusal("-H", "h", "-H", "other", "-p", "1").contains("given twice"));
    }

    @Test
    void anRpcClientPropertiesFileStandsForHostAndPort() throws Exception {
        Path props = Files.writeString(directory.resolve("client.properties"), "hosts = h1\nhosts.h1 = a:1\n");

        AvroClientOptions options = parse("--rpcProps", props.toString());

        assertEquals(Optional.of(props), options.rpcProps());
        assertEquals(Optional.empty(), options.host());
    }

    @Test
    void helpIsTheClientsOwn() throws Exception {
        Invocation help = CommandLine.parse("avro-client", "-h");
        assertEquals(Invocation.help(Optional.of(Command.AVRO_CLIENT)), help);
        assertTrue(Usage.text(help.helpTopic()).startsWith("Usage: sluice avro-client"));
    }
}

package org.sluice.itests.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.support.tls.TestKeyStores;

/**
 * Flume's command line through {@code bin/flume-ng}, as scripts and service units call it: several
 * {@code --conf-file} merged with a {@code ${NAME}} reference across them, {@code --conf-uri} over HTTPS with
 * {@code --conf-user}/{@code --conf-password} and polling, {@code avro-client} from a file, standard input and a
 * spooling directory, and {@code tool FCINTEGRITYTOOL}.
 */
class FlumeCommandLineIT {

    @TempDir
    Path scratch;
    private final List<AgentProcess> processes = new ArrayList<>();
    private HttpsServer server;

    @AfterEach
    void stop() throws InterruptedException {
        for (AgentProcess process : processes) {
            process.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private AgentProcess flumeNg(Installation sluice, Map<String, String> environment, String... arguments)
            throws IOException {
        AgentProcess process = AgentProcess.start(sluice, "bin/flume-ng", environment, null, arguments);
        processes.add(process);
        return process;
    }

    /** An agent receiving on an avro source and writing each event, headers and body, to {@code output}. */
    private static String avroToFiles(int port, Path output) {
        return String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = avro",
                "a1.sources.r1.bind = 127.0.0.1",
                "a1.sources.r1.port = " + port,
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = file_roll",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.sink.directory = " + output,
                "a1.sinks.k1.sink.rollInterval = 0",
                "a1.sinks.k1.sink.serializer = header_and_text",
                "");
    }

    /** Every line file_roll wrote to {@code output}, in order. */
    private static List<String> written(Path output) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(output)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
        }
        return lines;
    }

    /**
     * The User Guide's two files: a netcat agent whose port is {@code ${NC_PORT}}, and an override file that sets the
     * port and replaces the null sink by a file_roll sink into {@code output}, as an environment's override would.
     */
    private List<Path> baseAndOverride(int port, Path output) throws IOException {
        Path base = Files.writeString(scratch.resolve("base.conf"), String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = netcat",
                "a1.sources.r1.bind = 127.0.0.1",
                "a1.sources.r1.port = ${NC_PORT}",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.channel = c1",
                ""));
        Path override = Files.writeString(scratch.resolve("override.conf"), String.join("\n",
                "NC_PORT = " + port,
                "a1.sinks.k1.type = file_roll",
                "a1.sinks.k1.sink.directory = " + output,
                "a1.sinks.k1.sink.rollInterval = 0",
                ""));
        return List.of(base, override);
    }

    @Test
    void severalConfFilesAreMergedAndAPropertyOfOneIsUsedInTheOther() throws Exception {
        Installation sluice = Installation.fresh();
        int port = NetcatClient.freePort();
        Path output = Files.createDirectories(scratch.resolve("out"));
        List<Path> files = baseAndOverride(port, output);

        AgentProcess agent = flumeNg(sluice, Map.of(), "agent", "-n", "a1", "-c", "conf", "--conf-file",
                files.get(0).toString(), "--conf-file", files.get(1).toString(), "-Dflume.root.logger=INFO,console");
        agent.awaitListening(port);
        new NetcatClient(port).sendAll(List.of("first", "second"));

        await().atMost(Duration.ofSeconds(60)).until(() -> written(output).equals(List.of("first", "second")));
        assertEquals(0, agent.terminate(), agent::outputOrWhy);
    }

    @Test
    void flumeOptsInTheConfDirectoryGivesTheOptionsTheCommandLineDoesNot() throws Exception {
        Installation sluice = Installation.fresh();
        int port = NetcatClient.freePort();
        Path output = Files.createDirectories(scratch.resolve("out"));
        List<Path> files = baseAndOverride(port, output);
        // The User Guide's example of a command options file: both conf-file lines count.
        Path conf = Files.createDirectories(scratch.resolve("conf"));
        Files.writeString(conf.resolve("flume.opts"), String.join("\n",
                "conf-file = " + files.get(0), "conf-file = " + files.get(1), "name = a1", ""));

        AgentProcess agent = flumeNg(sluice, Map.of(), "agent", "-c", conf.toString(),
                "-Dflume.root.logger=INFO,console");
        agent.awaitListening(port);
        new NetcatClient(port).sendAll(List.of("from", "flume.opts"));

        await().atMost(Duration.ofSeconds(60)).until(() -> written(output).equals(List.of("from", "flume.opts")));
        assertEquals(0, agent.terminate(), agent::outputOrWhy);
    }

    @Test
    void aConfigurationServedOverHttpsIsReadWithBasicAuthorizationAndPolledForChanges() throws Exception {
        Installation sluice = Installation.fresh();
        TestKeyStores stores = TestKeyStores.create(Files.createDirectories(scratch.resolve("tls")), "JKS");
        AtomicReference<String> served = new AtomicReference<>();
        AtomicInteger unauthorized = new AtomicInteger();
        server = httpsServer(stores, "flume", "s3cret", served, unauthorized);
        int firstPort = NetcatClient.freePort();
        int secondPort = NetcatClient.freePort();
        served.set(netcatToNull(firstPort));
        String uri = "https://127.0.0.1:" + server.getAddress().getPort() + "/flume.conf";
        Map<String, String> trust = Map.of("FLUME_SSL_TRUSTSTORE_PATH", stores.trustStore().toString(),
                "FLUME_SSL_TRUSTSTORE_PASSWORD", TestKeyStores.PASSWORD);

        AgentProcess agent = flumeNg(sluice, trust, "agent", "-n", "a1", "-c", "conf", "--conf-uri", uri,
                "--conf-user", "flume", "--conf-password", "s3cret", "-i", "1", "--backup-directory",
                scratch.resolve("backup").toString());
        agent.awaitListening(firstPort);
        served.set(netcatToNull(secondPort));
        agent.awaitListening(secondPort);

        assertEquals(0, unauthorized.get());
        String log = agent.output() + sluice.logText();
        assertFalse(log.contains("s3cret"), "the password reached the log");
        assertTrue(Files.readString(scratch.resolve("backup/.a1.properties")).contains("port = " + secondPort));
        assertEquals(0, agent.terminate(), agent::outputOrWhy);

        // Without the password the server refuses, and the agent says why.
        AgentProcess refused = flumeNg(sluice, trust, "agent", "-n", "a1", "-c", "conf", "--conf-uri", uri,
                "-Dflume.root.logger=INFO,console");
        await().atMost(Duration.ofSeconds(60)).until(() -> refused.output().contains("401"));
        assertEquals(0, refused.terminate(), refused::outputOrWhy);
    }

    private static String netcatToNull(int port) {
        return String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = netcat",
                "a1.sources.r1.bind = 127.0.0.1",
                "a1.sources.r1.port = " + port,
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.channel = c1",
                "");
    }

    private static HttpsServer httpsServer(TestKeyStores stores, String user, String password,
            AtomicReference<String> served, AtomicInteger unauthorized) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("JKS");
        try (InputStream in = Files.newInputStream(stores.keyStore())) {
            keyStore.load(in, TestKeyStores.PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, TestKeyStores.PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(
                StandardCharsets.UTF_8));
        https.createContext("/flume.conf", (HttpExchange exchange) -> {
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
            } else {
                byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        https.start();
        return https;
    }

    @Test
    void avroClientSendsAFileStandardInputAndASpoolingDirectoryWithTheHeaderFilesHeaders() throws Exception {
        Installation sluice = Installation.fresh();
        int port = NetcatClient.freePort();
        Path output = Files.createDirectories(scratch.resolve("out"));
        Path conf = Files.writeString(scratch.resolve("collector.conf"), avroToFiles(port, output));
        AgentProcess collector = flumeNg(sluice, Map.of(), "agent", "-n", "a1", "-c", "conf", "-f", conf.toString());
        collector.awaitListening(port);
        Path headers = Files.writeString(scratch.resolve("headers.properties"), "host=web1\n");
        List<String> fileLines = numbered("file", 12);
        Path file = Files.write(scratch.resolve("log.10"), fileLines);

        AgentProcess fromFile = AgentProcess.runScript(sluice, "bin/flume-ng", null, "avro-client", "-c", "conf", "-H",
                "127.0.0.1", "-p", String.valueOf(port), "-F", file.toString(), "-R", headers.toString());
        assertEquals(0, fromFile.exitValue(), fromFile.output());
        assertTrue(fromFile.output().contains("sent 12 events"), fromFile.output());

        List<String> stdinLines = numbered("stdin", 7);
        Path input = Files.write(scratch.resolve("stdin.txt"), stdinLines);
        AgentProcess fromStdin = AgentProcess.runScript(sluice, "bin/flume-ng", input, "avro-client", "--host",
                "127.0.0.1", "--port", String.valueOf(port));
        assertEquals(0, fromStdin.exitValue(), fromStdin.output());

        Path spool = Files.createDirectories(scratch.resolve("spool"));
        Files.write(spool.resolve("a.log"), numbered("a", 30));
        Files.write(spool.resolve("b.log"), numbered("b", 3));
        AgentProcess fromDirectory = AgentProcess.runScript(sluice, "bin/flume-ng", null, "avro-client", "-H",
                "127.0.0.1", "-p", String.valueOf(port), "--dirname", spool.toString());
        assertEquals(0, fromDirectory.exitValue(), fromDirectory.output());
        assertTrue(Files.exists(spool.resolve("a.log.COMPLETED")) && Files.exists(spool.resolve("b.log.COMPLETED")));

        List<String> expected = new ArrayList<>();
        fileLines.forEach(line -> expected.add("{host=web1} " + line));
        stdinLines.forEach(line -> expected.add("{} " + line));
        numbered("a", 30).forEach(line -> expected.add("{} " + line));
        numbered("b", 3).forEach(line -> expected.add("{} " + line));
        await().atMost(Duration.ofSeconds(60)).until(() -> written(output).size() >= expected.size());
        assertEquals(expected, written(output));
        assertEquals(0, collector.terminate(), collector::outputOrWhy);

        // Nothing listens any more: the delivery fails, and the exit status says so (Flume's client exits with 0).
        AgentProcess failing = AgentProcess.runScript(sluice, "bin/flume-ng", null, "avro-client", "-H", "127.0.0.1",
                "-p", String.valueOf(port), "-F", file.toString());
        assertEquals(1, failing.exitValue(), failing.output());
        assertTrue(failing.output().contains("0 events were delivered before"), failing.output());
        AgentProcess usage = AgentProcess.runScript(sluice, "bin/flume-ng", null, "avro-client", "-H", "127.0.0.1");
        assertEquals(2, usage.exitValue(), usage.output());
        assertTrue(usage.output().contains("You must specify a port to connect to with --port"), usage.output());
    }

    private static List<String> numbered(String prefix, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(prefix + "-" + i);
        }
        return lines;
    }

    @Test
    void theIntegrityToolChecksAFileChannelsDataDirectories() throws Exception {
        Installation sluice = Installation.fresh();
        int port = NetcatClient.freePort();
        Path conf = Files.writeString(scratch.resolve("file-channel.conf"), String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1 c2",
                "a1.sinks = k1",
                "a1.sources.r1.type = netcat",
                "a1.sources.r1.bind = 127.0.0.1",
                "a1.sources.r1.port = " + port,
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = file",
                "a1.channels.c2.type = memory",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.channel = c2",
                ""));
        AgentProcess agent = flumeNg(sluice, Map.of(), "agent", "-n", "a1", "-c", "conf", "-f", conf.toString());
        agent.awaitListening(port);
        new NetcatClient(port).sendAll(numbered("event", 20));
        assertEquals(0, agent.terminate(), agent::outputOrWhy);
        Path dataDir = sluice.resolve("data/a1/c1/data");

        AgentProcess tool = AgentProcess.runScript(sluice, "bin/flume-ng", null, "tool", "--conf", "./conf",
                "FCINTEGRITYTOOL", "-l", dataDir.toString());

        assertEquals(0, tool.exitValue(), tool.output());
        assertTrue(tool.output().contains("Result: OK"), tool.output());
        String files = Files.list(dataDir).map(path -> path.getFileName().toString()).sorted()
                .collect(Collectors.joining(","));
        assertFalse(files.contains(".bak"), files);
        AgentProcess noDirectories = AgentProcess.runScript(sluice, "bin/flume-ng", null, "tool", "FCINTEGRITYTOOL");
        assertEquals(2, noDirectories.exitValue(), noDirectories.output());
    }
}

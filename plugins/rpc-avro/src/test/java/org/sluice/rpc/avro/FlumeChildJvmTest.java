package org.sluice.rpc.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.Sink;
import org.sluice.api.testkit.RecordingChannelProcessor;
import org.sluice.api.testkit.TestChannel;
import org.sluice.testkit.TestContexts;

/**
 * Sluice against Apache Flume 1.11.0 exactly as Flume ships it: the Flume side ({@link FlumePeer}) runs in a
 * child JVM on Flume's own Avro 1.11.0 and netty-all 4.1.72 (copied to target/flume-peer-lib by the pom), not on
 * this module's Avro 1.12 and Netty 4.1.112, which the same-JVM {@link FlumeCompatibilityTest} shares with it.
 */
class FlumeChildJvmTest {
    private static final Path PEER_LIB = Paths.get(System.getProperty("sluice.flume.peer.lib",
            "target/flume-peer-lib"));

    @TempDir
    Path data;

    private final RecordingChannelProcessor processor = new RecordingChannelProcessor();
    @RegisterExtension
    final StartedParts started = new StartedParts();

    /** A running child JVM and the lines it prints. */
    private final class Peer implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final StringBuilder transcript = new StringBuilder();
        final Thread reader;

        Peer(List<String> args) throws IOException {
            List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx128m", "-cp", peerClassPath(), FlumePeer.class.getName()));
            command.addAll(args);
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        synchronized (transcript) {
                            transcript.append(line).append('\n');
                        }
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("READ FAILED " + e);
                }
            }, "flume-peer-output");
            reader.setDaemon(true);
            reader.start();
            started.add(this);
        }

        void await(String prefix) {
            try {
                Awaitility.await("the Flume peer to print " + prefix).atMost(Duration.ofSeconds(60))
                        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                        // Ended, and every line it printed read: what it did not print, it never will.
                        .failFast("the Flume peer ended", () -> !reader.isAlive() && lines.isEmpty())
                        .until(() -> {
                            for (String line = lines.poll(); line != null; line = lines.poll()) {
                                if (line.startsWith(prefix)) {
                                    return true;
                                }
                            }
                            return false;
                        });
            } catch (ConditionTimeoutException | TerminalFailureException e) {
                throw new AssertionError("Flume peer did not print " + prefix + ":\n" + transcript(), e);
            }
        }

        void awaitExit() throws InterruptedException {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "Flume peer did not end:\n" + transcript());
            assertEquals(0, process.exitValue(), "Flume peer failed:\n" + transcript());
        }

        String transcript() {
            synchronized (transcript) {
                return transcript.toString();
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /**
     * This JVM's test class path without this module's Avro, Netty and Jackson (and without its main classes),
     * plus Flume's own Avro, Netty and Jackson: the rest (Flume's jars, Guava, JZlib, slf4j) is what Flume has.
     */
    private static String peerClassPath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = entry.replace('\\', '/');
            if (path.contains("/org/apache/avro/") || path.contains("/io/netty/")
                    || path.contains("/com/fasterxml/jackson/") || path.endsWith("/target/classes")) {
                continue;
            }
            entries.add(entry);
        }
        try (Stream<Path> jars = Files.list(PEER_LIB)) {
            entries.addAll(jars.map(Path::toString).sorted().collect(Collectors.toList()));
        }
        return String.join(File.pathSeparator, entries);
    }

    private static List<EventFile.Entry> entries(List<Event> events) {
        return events.stream().map(e -> new EventFile.Entry(e.getHeaders(), e.getBody())).toList();
    }

    private static List<Event> events(List<EventFile.Entry> entries) {
        return entries.stream().map(e -> EventBuilder.withBody(e.body(), e.headers())).toList();
    }

    private static String versions(Peer peer) {
        return peer.transcript().lines().filter(l -> l.startsWith("VERSIONS")).findFirst().orElse("");
    }

    private void flumeClientToSluiceSource(Map<String, String> sourceKeys, List<String> clientKeys) throws Exception {
        AvroSource source = (AvroSource) new AvroSourceFactory()
                .create(TestContexts.listeningSource(sourceKeys, processor, data));
        source.start();
        started.add(source::stop);
        List<Event> sent = Events.make("flume-1.11-client", 205);
        Path file = data.resolve("to-send");
        EventFile.write(file, entries(sent));
        List<String> args = new ArrayList<>(List.of("client", Integer.toString(source.localPort())));
        args.addAll(clientKeys);
        args.add(file.toString());
        Peer peer = new Peer(args);
        peer.awaitExit();
        assertEquals("VERSIONS avro=1.11.0 netty=4.1.72.Final", versions(peer));
        Events.assertSame(sent, processor.accepted());
    }

    @Test
    void flumeRpcClientOnFlumesOwnAvroToSluiceSourceWithDeflate() throws Exception {
        flumeClientToSluiceSource(Map.of("compression-type", "deflate"),
                List.of("compression-type=deflate", "compression-level=6"));
    }

    @Test
    void flumeRpcClientOnFlumesOwnAvroToSluiceSourceOverTls() throws Exception {
        TestTls tls = TestTls.create(data);
        flumeClientToSluiceSource(
                Map.of("ssl", "true", "keystore", tls.keystore.toString(), "keystore-password", TestTls.PASSWORD),
                List.of("ssl=true", "truststore=" + tls.truststore, "truststore-password=" + TestTls.PASSWORD));
    }

    @Test
    void sluiceSinkToFlumeAvroSourceOnFlumesOwnAvro() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<Event> sent = Events.make("sluice-sink-to-flume-1.11", 230);
        Path received = data.resolve("received");
        Peer peer = new Peer(List.of("server", Integer.toString(port), "compression-type=deflate",
                Integer.toString(sent.size()), received.toString()));
        peer.await("READY");

        TestChannel channel = new TestChannel(1000);
        channel.putCommitted(sent);
        Sink sink = new AvroSinkFactory().create(TestContexts.sink("k1", Map.of("hostname", "127.0.0.1", "port",
                Integer.toString(port), "compression-type", "deflate"), channel, data));
        sink.start();
        started.add(sink::stop);
        while (channel.size() > 0) {
            assertEquals(Sink.Status.READY, sink.process());
        }
        peer.awaitExit();
        assertEquals("VERSIONS avro=1.11.0 netty=4.1.72.Final", versions(peer));
        Events.assertSame(sent, events(EventFile.read(received)));
    }
}

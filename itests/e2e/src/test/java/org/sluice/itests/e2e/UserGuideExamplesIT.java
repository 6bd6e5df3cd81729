package org.sluice.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.apache.avro.Protocol;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.ipc.generic.GenericRequestor;
import org.apache.avro.ipc.netty.NettyTransceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Flume User Guide's examples (platform/runtime's flume-configs/userguide, see its README) with the built
 * distribution: {@code bin/sluice validate} reports no error for any of them as printed, and the "Configuring a
 * multi agent flow" example runs as the guide means it, two agents both named agent_foo, each a process of its own:
 * the weblog agent's avro-forward-sink sends to the HDFS agent's avro-collection-source.
 */
class UserGuideExamplesIT {

    private static final int EVENTS = 500;
    private static final int BATCH = 50;

    private final List<AgentProcess> agents = new ArrayList<>();

    @AfterEach
    void stopAgents() throws InterruptedException {
        for (AgentProcess agent : agents) {
            agent.close();
        }
    }

    @Test
    void validateReportsNoErrorForAnyExample() throws Exception {
        Installation sluice = Installation.fresh();
        Map<String, String> agentOf = new LinkedHashMap<>();
        for (Path file : examples()) {
            String name = file.getFileName().toString();
            agentOf.put(name, name.startsWith("multi-agent") || name.startsWith("fan-out") ? "agent_foo"
                    : name.startsWith("kafka-source") ? "tier1" : "a1");
        }
        assertFalse(agentOf.isEmpty(), "no example files found");
        for (Map.Entry<String, String> example : agentOf.entrySet()) {
            Path file = Paths.get(System.getProperty("sluice.itests.userguide"), example.getKey());
            AgentProcess validate = AgentProcess.run(sluice, "validate", "-f", file.toString(), "-n",
                    example.getValue());
            String report = validate.output();
            assertEquals(0, validate.exitValue(), () -> example.getKey() + " rejected:\n" + report);
            assertFalse(report.lines().anyMatch(line -> line.startsWith("ERROR")),
                    () -> example.getKey() + " has errors:\n" + report);
        }
    }

    @Test
    void theMultiAgentFlowCarriesEveryEventFromTheWeblogAgentToTheHdfsAgent() throws Exception {
        int collectionPort = NetcatClient.freePort();
        int appServerPort = NetcatClient.freePort();

        // The HDFS agent. What differs on a test machine, and only that: both agents are on 127.0.0.1, not
        // 10.1.1.100; port 10000 may be taken; there is no HDFS named namenode, so the same hdfs sink writes to
        // the local file system.
        Installation hdfsHost = Installation.fresh();
        Path webdata = hdfsHost.resolve("webdata");
        Path hdfsConfig = example("multi-agent-hdfs.properties", hdfsHost, Map.of(
                "agent_foo.sources.avro-collection-source.bind", "127.0.0.1",
                "agent_foo.sources.avro-collection-source.port", Integer.toString(collectionPort),
                "agent_foo.sinks.hdfs-sink.hdfs.path", webdata.toUri().toString()));
        AgentProcess hdfsAgent = AgentProcess.start(hdfsHost, "agent", "-c", "conf", "-f", hdfsConfig.toString(),
                "-n", "agent_foo");
        agents.add(hdfsAgent);
        hdfsAgent.awaitListening(collectionPort);

        // The weblog agent: its avro sink points at the HDFS agent; its source's port may be taken.
        Installation weblogHost = Installation.fresh();
        Path weblogConfig = example("multi-agent-weblog.properties", weblogHost, Map.of(
                "agent_foo.sinks.avro-forward-sink.hostname", "127.0.0.1",
                "agent_foo.sinks.avro-forward-sink.port", Integer.toString(collectionPort),
                "agent_foo.sources.avro-AppSrv-source.port", Integer.toString(appServerPort)));
        AgentProcess weblogAgent = AgentProcess.start(weblogHost, "agent", "-c", "conf", "-f",
                weblogConfig.toString(), "-n", "agent_foo");
        agents.add(weblogAgent);
        weblogAgent.awaitListening(appServerPort);

        sendNumbers(appServerPort);

        hdfsAgent.await("the HDFS agent's files to hold " + EVENTS + " lines (the value: how many they hold)",
                Duration.ofSeconds(60), () -> hdfsLines(webdata).size(), count -> count >= EVENTS);
        List<String> lines = hdfsLines(webdata);
        Set<String> expected = new TreeSet<>();
        for (int n = 0; n < EVENTS; n++) {
            expected.add(Integer.toString(n));
        }
        String logs = "weblog agent:\n" + weblogAgent.output() + "\nHDFS agent:\n" + hdfsAgent.output();
        assertEquals(expected, new TreeSet<>(lines), () -> "the HDFS agent's files hold other events than sent; "
                + logs);
        assertEquals(EVENTS, lines.size(), "each event written once");
    }

    /** The example file with the given keys' values replaced (each must be in the file), written to conf/. */
    static Path example(String name, Installation installation, Map<String, String> changes)
            throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(
                Paths.get(System.getProperty("sluice.itests.userguide"), name), StandardCharsets.UTF_8));
        for (Map.Entry<String, String> change : changes.entrySet()) {
            boolean found = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                int equals = line.indexOf('=');
                if (!line.trim().startsWith("#") && equals > 0
                        && line.substring(0, equals).trim().equals(change.getKey())) {
                    lines.set(i, change.getKey() + " = " + change.getValue());
                    found = true;
                }
            }
            if (!found) {
                throw new IllegalStateException(name + " has no key " + change.getKey() + " to change");
            }
        }
        Path file = installation.resolve("conf").resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Paths.get(System.getProperty("sluice.itests.userguide")))) {
            return files.filter(f -> f.toString().endsWith(".properties")).sorted().toList();
        }
    }

    /** The lines of the hdfs sink's closed files (FlumeData.n; an open one ends in .tmp, .crc are checksums). */
    private static List<String> hdfsLines(Path directory) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return lines;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String name = file.getFileName().toString();
                if (name.startsWith("FlumeData.") && !name.endsWith(".tmp")) {
                    lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
                }
            }
        }
        return lines;
    }

    /** Flume's AvroSourceProtocol, as Flume's avro-client and RPC client speak it. */
    private static final Protocol PROTOCOL = Protocol.parse("{\"protocol\":\"AvroSourceProtocol\","
            + "\"namespace\":\"org.apache.flume.source.avro\",\"types\":["
            + "{\"type\":\"enum\",\"name\":\"Status\",\"symbols\":[\"OK\",\"FAILED\",\"UNKNOWN\"]},"
            + "{\"type\":\"record\",\"name\":\"AvroFlumeEvent\",\"fields\":["
            + "{\"name\":\"headers\",\"type\":{\"type\":\"map\",\"values\":\"string\"}},"
            + "{\"name\":\"body\",\"type\":\"bytes\"}]}],"
            + "\"messages\":{"
            + "\"appendBatch\":{\"request\":[{\"name\":\"events\",\"type\":{\"type\":\"array\","
            + "\"items\":\"AvroFlumeEvent\"}}],\"response\":\"Status\"}}}");

    /** Sends the numbers [0, EVENTS) in appendBatch calls; each must be answered OK. */
    private static void sendNumbers(int port) throws Exception {
        Schema request = PROTOCOL.getMessages().get("appendBatch").getRequest();
        Schema eventSchema = PROTOCOL.getType("org.apache.flume.source.avro.AvroFlumeEvent");
        try (NettyTransceiver transceiver = new NettyTransceiver(new InetSocketAddress("127.0.0.1", port), 10_000)) {
            GenericRequestor requestor = new GenericRequestor(PROTOCOL, transceiver);
            for (int first = 0; first < EVENTS; first += BATCH) {
                GenericData.Array<GenericRecord> events = new GenericData.Array<>(BATCH,
                        request.getField("events").schema());
                for (int n = first; n < first + BATCH; n++) {
                    GenericRecord event = new GenericData.Record(eventSchema);
                    event.put("headers", Map.of());
                    event.put("body", ByteBuffer.wrap(Integer.toString(n).getBytes(StandardCharsets.UTF_8)));
                    events.add(event);
                }
                GenericRecord call = new GenericData.Record(request);
                call.put("events", events);
                assertEquals("OK", String.valueOf(requestor.request("appendBatch", call)),
                        "the weblog agent accepted the batch from " + first);
            }
        }
    }
}

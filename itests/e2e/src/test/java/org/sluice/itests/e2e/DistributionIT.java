package org.sluice.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The built distribution used the way a Flume user uses Flume: {@code bin/sluice agent -c conf -f FILE -n a1}
 * started without a terminal, lines sent to a netcat source, read back where the sink put them, SIGTERM to stop;
 * plugins taken out of and put back into deploy/; {@code bin/sluice validate} on a broken file, and agreeing with the
 * agent on Flume's tolerant keys; agents sharing one installation.
 */
class DistributionIT {
    /** How long anything the agent does asynchronously may take before the test fails (a bound on a hang). */
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void netcatToFileRollDeliversEveryLineAndStopsCleanlyOnSigterm() throws Exception {
        Installation sluice = Installation.fresh();
        int port = NetcatClient.freePort();
        Path output = Files.createDirectories(sluice.resolve("e2e-output"));
        writeConfig(sluice, "e2e.properties", netcatMemoryFileRoll(port, output));

        List<String> lines = numbered("line-", 0, 500);
        try (AgentProcess agent = AgentProcess.start(sluice, "agent", "-c", "conf", "-f", "conf/e2e.properties",
                "-n", "a1")) {
            agent.awaitListening(port);
            new NetcatClient(port).sendAll(lines);
            awaitLines(output, lines, agent);

            assertEquals(0, agent.terminate(), () -> "exit code after SIGTERM; output:\n" + output(agent));
        }
        assertNoneMissing(lines, fileRollLines(output));
    }

    @Test
    void theUserGuidesFirstExampleLogsTheLinesSent() throws Exception {
        Installation sluice = Installation.fresh();
        int port = NetcatClient.freePort();
        // The Flume User Guide's example as printed, on a free port of the loopback interface.
        writeConfig(sluice, "example.conf", String.join("\n",
                "# example.conf: A single-node Flume configuration",
                "",
                "# Name the components on this agent",
                "a1.sources = r1",
                "a1.sinks = k1",
                "a1.channels = c1",
                "",
                "# Describe/configure the source",
                "a1.sources.r1.type = netcat",
                "a1.sources.r1.bind = 127.0.0.1",
                "a1.sources.r1.port = " + port,
                "",
                "# Describe the sink",
                "a1.sinks.k1.type = logger",
                "",
                "# Use a channel which buffers events in memory",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = 1000",
                "a1.channels.c1.transactionCapacity = 100",
                "",
                "# Bind the source and sink to the channel",
                "a1.sources.r1.channels = c1",
                "a1.sinks.k1.channel = c1",
                ""));

        // Short lines: Flume's logger sink shows at most 16 bytes of a body.
        List<String> lines = numbered("hello-", 0, 20);
        try (AgentProcess agent = AgentProcess.start(sluice, "agent", "--conf", "conf", "--conf-file",
                "conf/example.conf", "--name", "a1", "-Dflume.root.logger=INFO,console")) {
            agent.awaitListening(port);
            new NetcatClient(port).sendAll(lines);
            agent.await("every line in the agent's log", WAIT, () -> allLogged(sluice, agent, lines));
            assertEquals(0, agent.terminate(), () -> "exit code after SIGTERM; output:\n" + output(agent));
        }
    }

    @Test
    void aSinkPluginTakenOutOfDeployStopsAndResumesWhenPutBackWithoutLosingALine() throws Exception {
        Installation sluice = Installation.fresh();
        int port = NetcatClient.freePort();
        Path output = Files.createDirectories(sluice.resolve("e2e-output"));
        writeConfig(sluice, "e2e.properties", netcatMemoryFileRoll(port, output));
        Path fileRollJar = sluice.deployedJar("org.sluice.sink.fileroll");
        Path parked = sluice.resolve(fileRollJar.getFileName().toString() + ".parked");

        List<String> before = numbered("before-", 0, 200);
        List<String> whileAway = numbered("away-", 0, 200);
        List<String> after = numbered("after-", 0, 200);
        try (AgentProcess agent = AgentProcess.start(sluice, "agent", "-c", "conf", "-f", "conf/e2e.properties",
                "-n", "a1")) {
            agent.awaitListening(port);
            NetcatClient client = new NetcatClient(port);
            client.sendAll(before);
            awaitLines(output, before, agent);

            // The sink may have waited for its plugin at start-up already: look for a new such line.
            long waitsBefore = sinkWaitLines(sluice, agent);
            Files.move(fileRollJar, parked);
            agent.await("the log to say sink k1 waits for its type", WAIT,
                    () -> sinkWaitLines(sluice, agent) > waitsBefore);
            int writtenWhileAway = fileRollLines(output).size();
            client.sendAll(whileAway);
            assertEquals(writtenWhileAway, fileRollLines(output).size(), "file_roll wrote while its jar was gone");

            Files.move(parked, fileRollJar);
            awaitLines(output, whileAway, agent);
            client.sendAll(after);
            awaitLines(output, after, agent);
            assertEquals(0, agent.terminate(), () -> "exit code after SIGTERM; output:\n" + output(agent));
        }
        List<String> all = new ArrayList<>(before);
        all.addAll(whileAway);
        all.addAll(after);
        assertNoneMissing(all, fileRollLines(output));
    }

    /**
     * From its second start an agent listens before the plugins its configuration does not name start; they start
     * once it runs, and a configuration changed later may name one of them.
     */
    @Test
    void aRestartedAgentStartsThePluginsItDoesNotNameOnceItRunsAndAReloadMayUseThem() throws Exception {
        Installation sluice = Installation.fresh();
        int port = NetcatClient.freePort();
        Path output = Files.createDirectories(sluice.resolve("e2e-output"));
        writeConfig(sluice, "e2e.properties", netcatMemoryFileRoll(port, output));
        List<String> command = List.of("agent", "-c", "conf", "-f", "conf/e2e.properties", "-n", "a1",
                "--conf-poll-interval", "1");
        // The first start fills the bundle cache: every plugin starts with the kernel.
        try (AgentProcess agent = AgentProcess.start(sluice, command.toArray(String[]::new))) {
            agent.awaitListening(port);
            assertEquals(0, agent.terminate(), () -> "exit code after SIGTERM; output:\n" + output(agent));
        }
        long before = logLines(sluice, null).size();
        try (AgentProcess agent = AgentProcess.start(sluice, command.toArray(String[]::new))) {
            agent.awaitListening(port);
            agent.await("the plugins the configuration does not name to start once a1 runs", WAIT,
                    () -> logged(sluice, before, "Agent a1 runs: starting the"));
            assertTrue(logged(sluice, before, "plugins of deploy/ start once agent a1 runs"), sluice.logText());
            List<String> lines = numbered("first-", 0, 50);
            new NetcatClient(port).sendAll(lines);
            awaitLines(output, lines, agent);

            // The null sink's plugin was not named by the first configuration.
            writeConfig(sluice, "e2e.properties", netcatMemoryFileRoll(port, output)
                    .replace("a1.sinks.k1.type = file_roll", "a1.sinks.k1.type = null"));
            agent.await("sink k1 to run as a null sink", WAIT,
                    () -> logged(sluice, before, "sink k1 started (null from org.sluice.sink.nullsink"));
            assertEquals(0, agent.terminate(), () -> "exit code after SIGTERM; output:\n" + output(agent));
        }
    }

    private static boolean logged(Installation sluice, long after, String text) throws IOException {
        return logLines(sluice, null).stream().skip(after).anyMatch(line -> line.contains(text));
    }

    /**
     * A fleet on one host runs its agents from one installation, each with data/ and logs/ of its own: they share
     * etc/ and deploy/. Each must load the plugins of deploy/, and none may write etc/: FileInstall used to write
     * every configuration back to its file (truncate, then write) as it applied it, and an agent that read
     * etc/org.apache.felix.fileinstall-deploy.cfg at that moment watched no deploy/ and never started a component.
     */
    @Test
    void agentsSharingAnInstallationEachLoadDeployAndNoneWritesEtc() throws Exception {
        Installation sluice = Installation.fresh();
        Path deployWatch = sluice.resolve("etc/org.apache.felix.fileinstall-deploy.cfg");
        byte[] shipped = Files.readAllBytes(deployWatch);
        FileTime shippedTime = Files.getLastModifiedTime(deployWatch);
        List<AgentProcess> agents = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (String agent : List.of("first", "second")) {
                int port = NetcatClient.freePort();
                Path own = Files.createDirectories(sluice.resolve("fleet").resolve(agent));
                writeConfig(sluice, agent + ".properties", netcatMemoryFileRoll(port, own.resolve("output")));
                Files.createDirectories(own.resolve("output"));
                ports.add(port);
                agents.add(AgentProcess.start(sluice, "agent", "-c", "conf", "-f", "conf/" + agent + ".properties",
                        "-n", "a1", "--no-shell", "-Dsluice.data=" + own.resolve("data"),
                        "-Dsluice.log.dir=" + own.resolve("logs")));
            }
            // Each listens only once its netcat source, memory channel and file_roll sink came from deploy/.
            for (int i = 0; i < agents.size(); i++) {
                agents.get(i).awaitListening(ports.get(i));
            }
            assertArrayEquals(shipped, Files.readAllBytes(deployWatch), "etc/ was written by an agent");
            assertEquals(shippedTime, Files.getLastModifiedTime(deployWatch), "etc/ was written by an agent");
            for (AgentProcess agent : agents) {
                assertEquals(0, agent.terminate(), () -> "exit code after SIGTERM; output:\n" + output(agent));
            }
        } finally {
            for (AgentProcess agent : agents) {
                agent.close();
            }
        }
    }

    @Test
    void validateListsTheProblemsOfABadFileAndExitsNonZero() throws Exception {
        Installation sluice = Installation.fresh();
        writeConfig(sluice, "bad.properties", String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = lots",
                "a1.sinks.k1.type = no_such_sink",
                "a1.sinks.k1.channel = c1",
                ""));
        writeConfig(sluice, "good.properties", netcatMemoryFileRoll(NetcatClient.freePort(),
                sluice.resolve("unused-output")));

        AgentProcess bad = AgentProcess.run(sluice, "validate", "-f", "conf/bad.properties", "-n", "a1");
        String report = bad.output();
        assertNotEquals(0, bad.exitValue(), () -> "validate accepted a bad file:\n" + report);
        assertTrue(report.contains("a1.channels.c1.capacity"), () -> "capacity not reported:\n" + report);
        assertTrue(report.contains("a1.sinks.k1.type") && report.contains("no_such_sink"),
                () -> "unknown sink type not reported:\n" + report);

        AgentProcess good = AgentProcess.run(sluice, "validate", "-f", "conf/good.properties", "-n", "a1");
        assertEquals(0, good.exitValue(), () -> "validate rejected a good file:\n" + output(good));
    }

    /**
     * {@code bin/sluice validate} and an agent read one file with Flume's tolerant keys in it and say the same of each
     * (issue 15): a memory channel's unparsable {@code capacity} and its {@code transactionCapacity = -1} fall back to
     * Flume's default with a warning, bytes that are not UTF-8 are read as replacement characters with a warning, and
     * a key out of its range with no fallback (a thrift source's {@code threads = 0}) is an error for both.
     */
    @Test
    void validateAndTheAgentReportTheSameForFlumesTolerantKeys() throws Exception {
        Installation sluice = Installation.fresh();
        int port = NetcatClient.freePort();
        int thriftPort = NetcatClient.freePort();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(String.join("\n",
                "a1.sources = r1 r2",
                "a1.channels = c1",
                "a1.sinks = k1",
                netcatSource(port),
                "a1.sources.r2.type = thrift",
                "a1.sources.r2.bind = 127.0.0.1",
                "a1.sources.r2.port = " + thriftPort,
                "a1.sources.r2.threads = 0",
                "a1.sources.r2.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = lots",
                "a1.channels.c1.transactionCapacity = -1",
                "a1.sinks.k1.type = logger",
                "a1.sinks.k1.channel = c1",
                "# written by a Latin-1 editor: caf").getBytes(StandardCharsets.UTF_8));
        file.write(0xe9);
        file.write('\n');
        Files.write(sluice.resolve("conf/tolerant.properties"), file.toByteArray());
        // What each report says of a key, after its location (validate: a1.channels.c1.capacity; the agent: key
        // 'capacity' of component 'c1').
        Map<String, String> findings = Map.of(
                "capacity", "'lots' is not a valid int; using the default, 100, as Flume does",
                "transactionCapacity", "must be at least 1, was -1; using the default, 100, as Flume does",
                "threads", "must be at least 1, was 0");
        String undecodable = "is not valid UTF-8 (line 18";

        AgentProcess validate = AgentProcess.run(sluice, "validate", "-f", "conf/tolerant.properties", "-n", "a1");
        String report = validate.output();
        assertNotEquals(0, validate.exitValue(), () -> "validate accepted threads = 0:\n" + report);
        assertTrue(report.contains(undecodable), () -> "validate on the undecodable line:\n" + report);
        for (Map.Entry<String, String> finding : findings.entrySet()) {
            assertTrue(lines(report).stream().anyMatch(line -> line.contains("." + finding.getKey() + ": ")
                    && line.contains(finding.getValue())), () -> "validate on " + finding + ":\n" + report);
        }
        assertTrue(lines(report).stream().anyMatch(line -> line.startsWith("ERROR") && line.contains(".threads: ")),
                () -> "threads = 0 is an error for validate:\n" + report);

        try (AgentProcess agent = AgentProcess.start(sluice, "agent", "-c", "conf", "-f", "conf/tolerant.properties",
                "-n", "a1", "--no-shell")) {
            agent.awaitListening(port);
            agent.await("the agent's report of every finding", WAIT, () -> {
                String log = sluice.logText() + agent.output();
                return log.contains(undecodable) && findings.entrySet().stream().allMatch(finding -> lines(log)
                        .stream().anyMatch(line -> line.contains("key '" + finding.getKey() + "': ")
                                && line.contains(finding.getValue())));
            });
            assertEquals(0, agent.terminate(), () -> "exit code after SIGTERM; output:\n" + agent.outputOrWhy());
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String netcatMemoryFileRoll(int port, Path output) {
        return String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                netcatSource(port),
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = 1000",
                "a1.channels.c1.transactionCapacity = 100",
                "a1.sinks.k1.type = file_roll",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.sink.directory = " + output,
                "a1.sinks.k1.sink.rollInterval = 0",
                "");
    }

    /** Source r1 of agent a1: netcat on 127.0.0.1:{@code port}, into channel c1. */
    private static String netcatSource(int port) {
        return String.join("\n",
                "a1.sources.r1.type = netcat",
                "a1.sources.r1.bind = 127.0.0.1",
                "a1.sources.r1.port = " + port,
                "a1.sources.r1.channels = c1");
    }

    private static void writeConfig(Installation sluice, String name, String content) throws IOException {
        Files.writeString(sluice.resolve("conf").resolve(name), content, StandardCharsets.UTF_8);
    }

    private static List<String> numbered(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> String.format(Locale.ROOT, "%s%04d", prefix, i))
                .collect(Collectors.toList());
    }

    /** Every complete line file_roll wrote, across its files. */
    static List<String> fileRollLines(Path directory) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                int end = content.lastIndexOf('\n');
                if (end >= 0) {
                    lines.addAll(List.of(content.substring(0, end).split("\n", -1)));
                }
            }
        }
        return lines;
    }

    private static void awaitLines(Path output, List<String> expected, AgentProcess agent) throws Exception {
        agent.await(expected.size() + " lines in the file_roll output (" + expected.get(0) + " ...)", WAIT,
                () -> new TreeSet<>(fileRollLines(output)).containsAll(expected));
    }

    private static void assertNoneMissing(List<String> sent, List<String> written) {
        Set<String> present = new TreeSet<>(written);
        List<String> missing = sent.stream().filter(line -> !present.contains(line)).limit(20)
                .collect(Collectors.toList());
        assertEquals(List.of(), missing, "lines sent and acknowledged but not in the file_roll output");
    }

    private static long sinkWaitLines(Installation sluice, AgentProcess agent) throws IOException {
        return logLines(sluice, agent).stream().filter(line -> line.contains("k1")
                && line.toLowerCase(Locale.ROOT).contains("wait") && line.contains("file_roll")).count();
    }

    private static boolean allLogged(Installation sluice, AgentProcess agent, List<String> lines) throws IOException {
        String text = sluice.logText() + agent.output();
        return lines.stream().allMatch(text::contains);
    }

    private static List<String> lines(String text) {
        return List.of(text.split("\n"));
    }

    /** The lines of logs/sluice.log, then those of the agent's output if {@code agent} is given. */
    private static List<String> logLines(Installation sluice, AgentProcess agent) throws IOException {
        return List.of((sluice.logText() + (agent == null ? "" : "\n" + agent.output())).split("\n"));
    }

    private static String output(AgentProcess agent) {
        try {
            return agent.output();
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }
}

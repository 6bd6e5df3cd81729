package org.sluice.itests.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.sluice.zookeeper.server.TcpProxy;
import org.sluice.zookeeper.server.ZnodeWriter;
import org.sluice.zookeeper.server.ZooKeeperProcess;

/**
 * A fleet of agents of the built distribution configured from one znode tree of a real ZooKeeper server, as Flume's
 * {@code -z HOST:PORT -p /flume} configures them: each agent's whole properties text is the data of
 * {@code /flume/<agent>}. Two agents in the default run; {@code -Dsluice.itests.fleet.agents=10} runs ten (README.md).
 *
 * <p>Each agent runs a netcat source, a memory channel and a file_roll sink; a change of its znode moves the sink to
 * another directory. A line sent on a connection the test holds open to the source shows the change took effect
 * when it lands in the new directory, and that the source did not restart (its connection is still open); the
 * agents' logs show that the sink alone was stopped and started again, never the channel.
 *
 * <p>The default run carries the fleet test with two agents; {@code .ci/zookeeper-fleet} runs it with ten and also
 * the tests enabled by {@code -Dsluice.zookeeper.fleet=true}.
 */
class ZooKeeperFleetIT {

    private static final int AGENTS = Integer.getInteger("sluice.itests.fleet.agents", 2);
    /** "Within seconds": from the write of the znodes until every agent has applied the change. */
    private static final Duration CHANGE_WITHIN = Duration.ofSeconds(20);
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** What the runtime logs when it stops a component (a change restarts a component: stop, then start). */
    private static final String SINK_STOPPED = ": sink k1 stopped";
    /** Small agents: ten of them share the machine with the build. */
    private static final Map<String, String> SMALL_JVM = Map.of("JAVA_OPTS",
            "-Xmx64m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1");

    @Test
    void agentsFollowTheirZnodesThroughChangesOutagesAndBadConfigurations() throws Exception {
        Installation sluice = slimInstallation();
        List<FleetAgent> fleet = new ArrayList<>();
        try (ZooKeeperProcess zookeeper = ZooKeeperProcess.start(sluice.resolve("zookeeper"))) {
            ZnodeWriter znodes = zookeeper.writer();
            try {
                for (int i = 1; i <= AGENTS; i++) {
                    FleetAgent agent = new FleetAgent(sluice, "agent" + i, zookeeper.port());
                    fleet.add(agent);
                    znodes.write(agent.znode(), agent.configuration(0));
                }
                // ZooKeeper out of reach of the first agent when it starts: it says so, runs nothing, and reads its
                // znode once ZooKeeper answers.
                FleetAgent late = fleet.get(0);
                late.proxy.cut();
                for (FleetAgent agent : fleet) {
                    agent.start("-z", agent.proxy.address(), "-p", "/flume", "-b", agent.home.resolve("backup").toString());
                }
                late.awaitLogged("cannot read the configuration: ZooKeeper " + late.proxy.address()
                        + " cannot be reached (not connected since the start); nothing runs until it can be read");
                assertTrue(!late.listening(), late.name + " runs a source without a configuration");
                late.proxy.restore();
                // Every agent runs what its znode says.
                for (FleetAgent agent : fleet) {
                    agent.process.awaitListening(agent.port);
                    agent.connect();
                    agent.awaitGeneration(0, WAIT);
                }

                // One change to every znode reaches every agent within seconds; only their sinks restart.
                Map<FleetAgent, Integer> sinkStops = new HashMap<>();
                for (FleetAgent agent : fleet) {
                    sinkStops.put(agent, agent.occurrences(SINK_STOPPED));
                }
                long start = System.nanoTime();
                for (FleetAgent agent : fleet) {
                    znodes.write(agent.znode(), agent.configuration(1));
                }
                awaitGeneration(fleet, 1, CHANGE_WITHIN.minusNanos(System.nanoTime() - start));
                Duration allApplied = Duration.ofNanos(System.nanoTime() - start);
                for (FleetAgent agent : fleet) {
                    agent.awaitLogged("0 added, 1 updated, 0 removed");
                    assertEquals(sinkStops.get(agent) + 1, agent.occurrences(SINK_STOPPED), agent.name);
                }

                // ZooKeeper stops: the agents say so, keep running their configuration, and follow again once it is
                // back, by themselves.
                zookeeper.stop();
                znodes.close();
                for (FleetAgent agent : fleet) {
                    agent.awaitLogged("ZooKeeper " + agent.proxy.address() + " cannot be reached");
                    agent.send();
                    agent.awaitGeneration(1, WAIT);
                }
                // An agent restarted while ZooKeeper is down runs the last configuration it read, kept by -b.
                FleetAgent restarted = fleet.get(AGENTS - 1);
                restarted.restart();
                restarted.awaitLogged("starting from the copy kept in " + restarted.home.resolve("backup"));
                restarted.awaitGeneration(1, WAIT);
                zookeeper.start();
                znodes = zookeeper.writer();
                for (FleetAgent agent : fleet) {
                    znodes.write(agent.znode(), agent.configuration(2));
                }
                for (FleetAgent agent : fleet) {
                    agent.awaitGeneration(2, WAIT);
                }

                // A change made while an agent is cut off from ZooKeeper is applied when it reconnects.
                FleetAgent cutOff = fleet.get(0);
                int unreachableBefore = cutOff.occurrences("cannot be reached");
                cutOff.proxy.cut();
                await().atMost(WAIT).until(() -> cutOff.occurrences("cannot be reached") > unreachableBefore);
                znodes.write(cutOff.znode(), cutOff.configuration(3));
                cutOff.send();
                cutOff.awaitGeneration(2, WAIT);
                cutOff.proxy.restore();
                cutOff.awaitGeneration(3, WAIT);

                // A configuration with an error: as for a file, the component with the error is left out and the
                // valid part runs; text that is not a properties file at all leaves what runs as it is.
                FleetAgent broken = fleet.get(AGENTS - 1);
                int extraPort = NetcatClient.freePort();
                znodes.write(broken.znode(), broken.configuration(2).replace(broken.name + ".sinks.k1.channel = c1\n", "")
                        .replace(broken.name + ".sources = r1", broken.name + ".sources = r1 r2")
                        + broken.extraSource(extraPort));
                broken.process.awaitListening(extraPort);
                broken.awaitLogged("ERROR " + broken.name + ".sinks.k1");
                znodes.write(broken.znode(), "not a properties file \\uZZZZ\n");
                broken.awaitLogged("not a valid properties file");
                broken.send();
                znodes.write(broken.znode(), broken.configuration(4));
                broken.awaitGeneration(4, WAIT);

                for (FleetAgent agent : fleet) {
                    agent.assertNothingLost();
                    assertTrue(agent.connectionStayedOpen(), agent.name + ": its source restarted");
                    agent.assertChannelAndSourceNeverRestarted();
                }
                assertTrue(allApplied.compareTo(CHANGE_WITHIN) < 0, "every agent applied the change in "
                        + allApplied.toMillis() + " ms");
                for (FleetAgent agent : fleet) {
                    agent.closeConnection();
                    assertEquals(0, agent.process.terminate(), () -> agent.name + " did not stop cleanly:\n"
                            + agent.output());
                }
                System.out.println(AGENTS + " agents applied one change of their znodes in " + allApplied.toMillis()
                        + " ms");
            } finally {
                znodes.close();
                for (FleetAgent agent : fleet) {
                    agent.close();
                }
            }
        }
    }

    @Test
    void sighupReadsTheFileNow() throws Exception {
        Installation sluice = slimInstallation();
        FleetAgent agent = new FleetAgent(sluice, "a1", 0);
        Path file = sluice.resolve("conf/hup.properties");
        Files.writeString(file, agent.configuration(0), StandardCharsets.UTF_8);
        try {
            // An hour between polls: only SIGHUP can make the agent read the file during the test.
            agent.start("-f", file.toString(), "--conf-poll-interval", "3600");
            agent.process.awaitListening(agent.port);
            agent.connect();
            agent.awaitGeneration(0, WAIT);
            Files.writeString(file, agent.configuration(1), StandardCharsets.UTF_8);

            agent.process.hangUp();

            agent.awaitGeneration(1, CHANGE_WITHIN);
            assertTrue(agent.connectionStayedOpen(), "the source restarted");
            agent.assertNothingLost();
            agent.closeConnection();
            assertEquals(0, agent.process.terminate(), agent::output);
        } finally {
            agent.close();
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "sluice.zookeeper.fleet", matches = "true")
    void withoutReloadingAZnodeChangeWaitsForSighup() throws Exception {
        Installation sluice = slimInstallation();
        try (ZooKeeperProcess zookeeper = ZooKeeperProcess.start(sluice.resolve("zookeeper"));
             ZnodeWriter znodes = zookeeper.writer()) {
            FleetAgent agent = new FleetAgent(sluice, "a1", zookeeper.port());
            try {
                znodes.write(agent.znode(), agent.configuration(0));
                agent.start("-z", zookeeper.connectString(), "--no-reload-conf");
                agent.process.awaitListening(agent.port);
                agent.connect();
                agent.awaitGeneration(0, WAIT);

                znodes.write(agent.znode(), agent.configuration(1));
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
                    agent.send();
                    return agent.linesIn(1).isEmpty();
                });
                agent.process.hangUp();

                agent.awaitGeneration(1, CHANGE_WITHIN);
                agent.assertNothingLost();
                agent.closeConnection();
                assertEquals(0, agent.process.terminate(), agent::output);
            } finally {
                agent.close();
            }
        }
    }

    /**
     * Sends lines to every agent, all in each round, until each has one in the directory of generation {@code g}:
     * the time measured is the fleet's, not the sum of one wait per agent.
     */
    private static void awaitGeneration(List<FleetAgent> fleet, int generation, Duration within) {
        Set<FleetAgent> pending = new HashSet<>(fleet);
        await().atMost(within.isNegative() ? Duration.ZERO : within).pollInterval(Duration.ofMillis(250))
                .alias("every agent applies configuration " + generation)
                .failFast(() -> fleet.stream().anyMatch(agent -> !agent.process.isAlive()))
                .until(() -> {
                    for (java.util.Iterator<FleetAgent> agents = pending.iterator(); agents.hasNext();) {
                        FleetAgent agent = agents.next();
                        agent.send();
                        if (!agent.linesIn(generation).isEmpty()) {
                            agents.remove();
                        }
                    }
                    return pending.isEmpty();
                });
    }

    /**
     * A copy of the distribution with only the plugins these agents use in deploy/: each agent's framework copies
     * every bundle of deploy/ into its own cache, and ten copies of the HDFS and Kafka bundles would cost the
     * machine minutes for nothing.
     */
    private static Installation slimInstallation() throws IOException {
        Installation sluice = Installation.fresh();
        Set<String> used = Set.of("org.sluice.source.netcat", "org.sluice.channel.memory", "org.sluice.sink.fileroll",
                "org.sluice.channelselector.", "org.sluice.sinkprocessor.defaultprocessor-",
                "org.sluice.interceptor.core");
        try (Stream<Path> jars = Files.list(sluice.deploy())) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                String name = jar.getFileName().toString();
                if (name.endsWith(".jar") && used.stream().noneMatch(name::startsWith)) {
                    Files.delete(jar);
                }
            }
        }
        return sluice;
    }

    /** One agent of the fleet: its process, its proxy to ZooKeeper, its source's port and its sink's directories. */
    private static final class FleetAgent implements AutoCloseable {
        private final Installation sluice;
        private final String name;
        private final int port;
        private final Path home;
        private final TcpProxy proxy;
        private final AtomicInteger sent = new AtomicInteger();
        private final Set<String> acknowledged = new HashSet<>();
        private AgentProcess process;
        private String[] options;
        /** How often the channel and the source were stopped before this process of the agent started. */
        private int channelStopsBefore;
        private int sourceStopsBefore;
        private Socket connection;
        private BufferedReader answers;
        private boolean reconnected;

        FleetAgent(Installation sluice, String name, int zooKeeperPort) throws IOException {
            this.sluice = sluice;
            this.name = name;
            this.port = NetcatClient.freePort();
            this.home = Files.createDirectories(sluice.resolve("fleet").resolve(name));
            this.proxy = zooKeeperPort > 0 ? new TcpProxy(zooKeeperPort) : null;
        }

        String znode() {
            return "/flume/" + name;
        }

        /** The agent's configuration of generation {@code g}: its sink writes to directory {@code out-g}. */
        String configuration(int generation) throws IOException {
            Path output = Files.createDirectories(home.resolve("out-" + generation));
            return String.join("\n",
                    name + ".sources = r1",
                    name + ".channels = c1",
                    name + ".sinks = k1",
                    name + ".sources.r1.type = netcat",
                    name + ".sources.r1.bind = 127.0.0.1",
                    name + ".sources.r1.port = " + port,
                    name + ".sources.r1.channels = c1",
                    name + ".channels.c1.type = memory",
                    name + ".channels.c1.capacity = 10000",
                    name + ".sinks.k1.type = file_roll",
                    name + ".sinks.k1.channel = c1",
                    name + ".sinks.k1.sink.directory = " + output,
                    name + ".sinks.k1.sink.rollInterval = 0",
                    "");
        }

        /** A second netcat source, into the same channel. */
        String extraSource(int extraPort) {
            return String.join("\n",
                    name + ".sources.r2.type = netcat",
                    name + ".sources.r2.bind = 127.0.0.1",
                    name + ".sources.r2.port = " + extraPort,
                    name + ".sources.r2.channels = c1",
                    "");
        }

        void start(String... options) throws IOException {
            List<String> arguments = new ArrayList<>(List.of("agent", "-n", name, "--no-shell",
                    "-Dsluice.data=" + home.resolve("data"), "-Dsluice.log.dir=" + home.resolve("logs")));
            arguments.addAll(List.of(options));
            this.options = options;
            channelStopsBefore = occurrences(": channel c1 stopped");
            sourceStopsBefore = occurrences(": source r1 stopped");
            process = AgentProcess.start(sluice, SMALL_JVM, arguments.toArray(String[]::new));
        }

        /** Stops the agent cleanly, once all it acknowledged is written, and starts it again with the same options. */
        void restart() throws Exception {
            assertNothingLost();
            closeConnection();
            assertEquals(0, process.terminate(), () -> name + " did not stop cleanly:\n" + output());
            process.close();
            start(options);
            process.awaitListening(port);
            connect();
        }

        /** Neither the channel nor the source was stopped while this process of the agent ran. */
        void assertChannelAndSourceNeverRestarted() throws IOException {
            assertEquals(channelStopsBefore, occurrences(": channel c1 stopped"), name + ": its channel restarted");
            assertEquals(sourceStopsBefore, occurrences(": source r1 stopped"), name + ": its source restarted");
        }

        /** Whether something accepts connections on the source's port. */
        boolean listening() {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        /** Opens the connection to the source that the test keeps for the agent's whole run. */
        void connect() throws IOException {
            connection = new Socket();
            connection.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            connection.setSoTimeout(30_000);
            answers = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Sends one line on the held connection and waits for its OK. */
        void send() throws IOException {
            String line = name + "-line-" + sent.incrementAndGet();
            try {
                OutputStream out = connection.getOutputStream();
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                String answer = answers.readLine();
                if (!"OK".equals(answer)) {
                    throw new IOException("answered " + answer);
                }
            } catch (IOException e) {
                // The source closed the connection: it was restarted. Connect again so the test can go on and
                // report it at the end, with everything else that went wrong.
                reconnected = true;
                connect();
                send();
                return;
            }
            acknowledged.add(line);
        }

        /** Sends lines until one lands in the directory of generation {@code g}. */
        void awaitGeneration(int generation, Duration within) {
            await().atMost(within.isNegative() ? Duration.ZERO : within).pollInterval(Duration.ofMillis(250))
                    .alias(name + " applies configuration " + generation)
                    .failFast(() -> !process.isAlive())
                    .until(() -> {
                        send();
                        return !linesIn(generation).isEmpty();
                    });
        }

        void awaitLogged(String text) {
            await().atMost(WAIT).alias(name + " logs '" + text + "'").failFast(() -> !process.isAlive())
                    .until(() -> logText().contains(text));
        }

        boolean connectionStayedOpen() {
            return !reconnected;
        }

        /** Every acknowledged line is in one of the sink's directories. */
        void assertNothingLost() {
            await().atMost(WAIT).alias(name + " writes every acknowledged line").until(() -> {
                Set<String> written = new HashSet<>();
                for (int g = 0; g <= 4; g++) {
                    written.addAll(linesIn(g));
                }
                return written.containsAll(acknowledged);
            });
        }

        List<String> linesIn(int generation) throws IOException {
            Path directory = home.resolve("out-" + generation);
            List<String> lines = new ArrayList<>();
            if (!Files.isDirectory(directory)) {
                return lines;
            }
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith(name + "-line-"))
                            .forEach(lines::add);
                }
            }
            return lines;
        }

        String logText() throws IOException {
            Path log = home.resolve("logs/sluice.log");
            return (Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "")
                    + (process == null ? "" : process.output());
        }

        /** How often the agent's log file (which outlives a restart, unlike the console) holds {@code text}. */
        int occurrences(String text) throws IOException {
            Path log = home.resolve("logs/sluice.log");
            String logged = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            return logged.split(java.util.regex.Pattern.quote(text), -1).length - 1;
        }

        String output() {
            try {
                return logText();
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        void closeConnection() throws IOException {
            if (connection != null) {
                connection.close();
            }
        }

        @Override
        public void close() throws Exception {
            closeConnection();
            if (process != null) {
                process.close();
            }
            if (proxy != null) {
                proxy.close();
            }
        }
    }
}

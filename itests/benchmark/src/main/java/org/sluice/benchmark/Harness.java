package org.sluice.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs every scenario on Apache Flume and on Sluice, each agent in its own JVM with the same heap, in alternating
 * order over several rounds, and reports the medians: events/s from the agent's own counters, the agent's CPU
 * seconds per million events and its peak RSS, from /proc.
 *
 * <p>One run: start the agent, wait until it publishes the scenario's counter, start the load (if any), let it warm
 * up, then read counter, agent CPU and harness CPU at the window's start and end. The agent is then stopped, and
 * the harness checks that nothing it started is left running and, where the scenario names its output, that the
 * sink wrote what it counted.
 *
 * <p>When a scenario writes to {@code ${hdfs.uri}}, a MiniDFSCluster is started in a JVM of its own before the first
 * round and stopped after the last; when one names {@code ${kafka.bootstrap}}, so is a Kafka broker (KRaft), and the
 * topics the scenarios ask to be pre-filled are filled before the first round. The CPU of either server is reported
 * apart from the agents' ("server CPU s").
 */
public final class Harness {

    static final String FLUME_NAME = "Flume 1.11.0";
    static final String SLUICE_NAME = "Sluice";

    private final Options options;
    private final List<Scenario> scenarios;
    private final List<AgentLauncher> agents;
    private final ProcStats proc;
    private MiniDfs hdfs;
    private org.sluice.kafka.broker.KafkaBroker kafka;
    /** The directories of the taildir backlogs written so far, removed after the last round (or by a shutdown hook). */
    private final java.util.Set<Path> backlogs = new java.util.concurrent.CopyOnWriteArraySet<>();

    Harness(Options options, List<Scenario> scenarios, List<AgentLauncher> agents, ProcStats proc) {
        this.options = options;
        this.scenarios = scenarios;
        this.agents = agents;
        this.proc = proc;
    }

    public static void main(String[] args) {
        try {
            Options options = Options.parse(args);
            if (options.startup()) {
                new StartupBenchmark(options, loadScenarios(options).get(0), launchers(options),
                        ProcStats.forThisMachine()).run();
                return;
            }
            Harness harness = new Harness(options, loadScenarios(options), launchers(options), ProcStats.forThisMachine());
            harness.run();
        } catch (Options.UsageException e) {
            if (e.getMessage().isEmpty()) {
                System.out.print(Options.USAGE);
                return;
            }
            System.err.println(e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
        } catch (Exception e) {
            System.err.println("Benchmark failed: " + e.getMessage());
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }

    static List<Scenario> loadScenarios(Options options) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(options.scenarioDir())) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".properties")).sorted().toList();
        }
        List<Scenario> all = new ArrayList<>();
        for (Path file : files) {
            all.add(Scenario.load(file));
        }
        if (options.scenarios().isEmpty()) {
            if (all.isEmpty()) {
                throw new IllegalArgumentException("No *.properties scenario in " + options.scenarioDir());
            }
            return all;
        }
        List<Scenario> chosen = new ArrayList<>();
        for (String name : options.scenarios()) {
            chosen.add(all.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "No scenario " + name + " in " + options.scenarioDir() + "; there are: "
                            + all.stream().map(Scenario::name).collect(Collectors.joining(", ")))));
        }
        return chosen;
    }

    static List<AgentLauncher> launchers(Options options) throws IOException {
        Path javaHome = Path.of(System.getProperty("java.home"));
        List<AgentLauncher> launchers = new ArrayList<>();
        if (options.agents().contains(Options.FLUME)) {
            if (!Files.isRegularFile(options.flumeClassPath())) {
                throw new IllegalArgumentException(options.flumeClassPath() + " is not there: build this module first"
                        + " (mvn -f itests/benchmark/pom.xml package)");
            }
            launchers.add(new FlumeLauncher(FLUME_NAME, javaHome.resolve("bin/java"),
                    Files.readString(options.flumeClassPath(), StandardCharsets.UTF_8)));
        }
        if (options.agents().contains(Options.SLUICE)) {
            launchers.add(new SluiceLauncher(options.sluiceHome(), javaHome));
        }
        return launchers;
    }

    void run() throws IOException, InterruptedException {
        Machine machine = Machine.current();
        System.out.println("Machine: " + machine.describe());
        System.out.printf(Locale.ROOT, "Agents: %s; scenarios: %s; %d rounds; warm-up %d s, window %d s, -Xmx%s%n",
                agents.stream().map(AgentLauncher::name).collect(Collectors.joining(", ")),
                scenarios.stream().map(Scenario::name).collect(Collectors.joining(", ")),
                options.rounds(), options.warmUp().toSeconds(), options.window().toSeconds(), options.maxHeap());
        for (Scenario scenario : scenarios) {
            if (!warmUp(scenario).equals(options.warmUp()) || !window(scenario).equals(options.window())) {
                System.out.printf(Locale.ROOT, "  %s: warm-up %d s, window %d s (the scenario's own)%n", scenario.name(),
                        warmUp(scenario).toSeconds(), window(scenario).toSeconds());
            }
        }
        Files.createDirectories(options.workDir());
        if (scenarios.stream().anyMatch(Scenario::usesHdfs)) {
            hdfs = startHdfs();
        }
        List<RunResult> results;
        try {
            if (scenarios.stream().anyMatch(Scenario::usesKafka)) {
                kafka = startKafka();
            }
            results = runRounds();
        } finally {
            deleteBacklogs();
            if (hdfs != null) {
                hdfs.close();
                System.out.println("MiniDFSCluster stopped");
            }
            if (kafka != null) {
                kafka.close();
                // Its pre-filled topics hold some 15 GB; the broker's own log (kafka/broker.log) is kept.
                deleteTree(options.workDir().resolve("kafka").resolve("logs"));
                System.out.println("Kafka broker stopped, its topics deleted");
            }
        }
        Report report = new Report(summarize(results), results, FLUME_NAME, SLUICE_NAME);
        System.out.println();
        System.out.println("Medians of " + options.rounds() + " rounds (ratios: Sluice / Flume; events/s higher is better, the rest lower):");
        System.out.print(Report.text(report.summaryRows()));
        List<String> targets = targetVerdicts(report);
        targets.forEach(System.out::println);
        writeMarkdown(report, machine, targets);
        System.out.println();
        System.out.println("Markdown report: " + options.report().toAbsolutePath());
    }

    /** The MiniDFSCluster, in a JVM of its own on target/minidfs.classpath, its storage under the work directory. */
    private MiniDfs startHdfs() throws IOException, InterruptedException {
        if (!Files.isRegularFile(options.miniDfsClassPath())) {
            throw new IllegalArgumentException(options.miniDfsClassPath() + " is not there: build this module first"
                    + " (mvn -f itests/benchmark/pom.xml package)");
        }
        Path dir = options.workDir().resolve("minidfs");
        deleteTree(dir);
        System.out.println("Starting a MiniDFSCluster (NameNode and DataNode in a JVM of their own) ...");
        MiniDfs started = MiniDfs.start(Path.of(System.getProperty("java.home"), "bin", "java"),
                harnessJar() + java.io.File.pathSeparator
                        + Files.readString(options.miniDfsClassPath(), StandardCharsets.UTF_8).trim(),
                dir, options.startupTimeout());
        System.out.println("MiniDFSCluster: " + started.uri() + "; the hdfs:// scenarios' agents get "
                + started.hadoopConfDir() + " (Flume on its class path, Sluice as HADOOP_CONF_DIR)");
        return started;
    }

    /**
     * The Kafka broker of the kafka scenarios: one KRaft node in a JVM of its own (1 GiB heap, the JVM's default
     * collector and JIT, as a broker runs), topics auto-created with 3 partitions; then the pre-filled topics.
     */
    private org.sluice.kafka.broker.KafkaBroker startKafka() throws IOException, InterruptedException {
        Path dir = options.workDir().resolve("kafka");
        deleteTree(dir);
        System.out.println("Starting a Kafka broker (KRaft, in a JVM of its own) ...");
        org.sluice.kafka.broker.KafkaBroker broker = org.sluice.kafka.broker.KafkaBroker.builder(dir).heap("1g")
                .jvmOptions(List.of()).setting("num.partitions=3").start();
        System.out.println("Kafka broker: " + broker.bootstrapServers() + " (pid " + broker.pid() + ")");
        java.util.Set<String> filled = new java.util.HashSet<>();
        for (Scenario scenario : scenarios) {
            Optional<Scenario.Prefill> prefill = scenario.prefill();
            if (prefill.isPresent() && filled.add(prefill.get().topic())) {
                Scenario.Prefill p = prefill.get();
                long start = System.nanoTime();
                broker.createTopic(p.topic(), p.partitions());
                broker.produce(p.topic(), p.records(), p.bytes());
                System.out.printf(Locale.ROOT, "Topic %s filled with %,d records of %d bytes in %.0f s%n", p.topic(),
                        p.records(), p.bytes(), (System.nanoTime() - start) / 1e9);
            }
        }
        return broker;
    }

    private List<RunResult> runRounds() throws IOException, InterruptedException {
        List<RunResult> results = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            for (Scenario scenario : scenarios) {
                for (AgentLauncher agent : orderOfRound(agents, round)) {
                    RunResult result = runOnce(scenario, agent, round);
                    results.add(result);
                    System.out.printf(Locale.ROOT, "  round %d  %-28s %-13s %,12.0f events/s  %6.2f CPU s/M  %6.0f MiB RSS  harness %5.2f CPU s%s%s%n",
                            round, scenario.name(), agent.name(), result.eventsPerSecond(), result.agentCpuPerMillionEvents(),
                            result.peakRssMiB(), result.harnessCpuSeconds(),
                            scenario.usesHdfs() ? String.format(Locale.ROOT, "  MiniDFS %5.2f CPU s", result.clusterCpuSeconds())
                                    : scenario.usesKafka() ? String.format(Locale.ROOT, "  broker %5.2f CPU s", result.clusterCpuSeconds()) : "",
                            result.rejected() > 0 ? "  rejected " + result.rejected() : "");
                }
            }
        }
        return results;
    }

    /** The agents in the order they run in a round: who goes first alternates, so that neither always runs on a cooler (or hotter) machine. */
    static List<AgentLauncher> orderOfRound(List<AgentLauncher> agents, int round) {
        List<AgentLauncher> order = new ArrayList<>(agents);
        if (round % 2 == 0) {
            Collections.reverse(order);
        }
        return order;
    }

    /** For each scenario with a target ratio that both agents ran: met or missed, with the figures. */
    private List<String> targetVerdicts(Report report) {
        List<String> verdicts = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            if (scenario.targetRatio().isEmpty()) {
                continue;
            }
            double target = scenario.targetRatio().getAsDouble();
            verdicts.add(report.eventsPerSecondRatio(scenario.name())
                    .map(ratio -> String.format(Locale.ROOT, "Target %s: Sluice at least %.2fx Flume's events/s: %s (%.2fx)",
                            scenario.name(), target, ratio >= target ? "MET" : "MISSED", ratio))
                    .orElse(String.format(Locale.ROOT, "Target %s: Sluice at least %.2fx Flume's events/s: not measured (needs both agents)",
                            scenario.name(), target)));
        }
        return verdicts;
    }

    private List<Summary> summarize(List<RunResult> results) {
        List<Summary> summaries = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            for (AgentLauncher agent : agents) {
                List<RunResult> runs = results.stream()
                        .filter(r -> r.scenario().equals(scenario.name()) && r.agent().equals(agent.name())).toList();
                summaries.add(Summary.of(runs));
            }
        }
        return summaries;
    }

    RunResult runOnce(Scenario scenario, AgentLauncher launcher, int round) throws IOException, InterruptedException {
        Path runDir = options.workDir().resolve(scenario.name())
                .resolve(launcher.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-") + "-round-" + round);
        deleteTree(runDir);
        Files.createDirectories(runDir);
        Scenario.Rendered rendered = scenario.render(runDir.toAbsolutePath(), name -> Ports.free(),
                hdfs == null ? null : hdfs.uri(), kafka == null ? null : kafka.bootstrapServers(),
                (scenario.name() + "-" + runDir.getFileName()).replaceAll("[^A-Za-z0-9._-]", "-"));
        Path configuration = runDir.resolve("agent.properties").toAbsolutePath();
        Files.writeString(configuration, rendered.agentConfiguration(), StandardCharsets.UTF_8);
        for (Path directory : rendered.directories()) {
            Files.createDirectories(directory);
        }
        if (rendered.load().orElse(null) instanceof Scenario.TaildirBacklogLoad backlog
                && backlogs.add(backlog.directory())) {
            writeBacklog(backlog);
        }
        if (rendered.load().orElse(null) instanceof Scenario.TaildirBacklogLoad backlog) {
            long start = System.nanoTime();
            long bytes = TaildirBacklog.readThrough(backlog);
            System.out.printf(Locale.ROOT, "    Backlog read through, last segment first, before the run: %,d MiB in %.1f s%n",
                    bytes >> 20, (System.nanoTime() - start) / 1e9);
        }
        int metricsPort = Ports.free();
        ProcessBuilder command = launcher.command(configuration, rendered.agentName(), metricsPort, options.maxHeap(),
                runDir.toAbsolutePath(), scenario.usesHdfs() ? Optional.of(hdfs.hadoopConfDir()) : Optional.empty());
        String description = launcher.name() + " running " + scenario.name() + " (round " + round + ")";
        try {
            Measured measured;
            try (AgentProcess agent = AgentProcess.start(description, command, runDir.resolve("agent.out"),
                    launcher.logFile(runDir))) {
                measured = measure(rendered, launcher, round, agent, new MetricsClient(metricsPort), description,
                        runDir.toAbsolutePath());
            }
            if (rendered.load().orElse(null) instanceof Scenario.TaildirBacklogLoad backlog) {
                checkBacklogLasted(backlog, measured.counterAtEnd(), description);
            }
            // The agent has stopped, so its sink has closed its files and the sizes are final.
            if (rendered.output().isPresent()) {
                checkOutput(rendered.output().get(), measured.counterAtEnd(), description);
            }
            return measured.result();
        } finally {
            deleteOutputs(runDir);
            deleteTree(Scenario.tmpfsDir(runDir.toAbsolutePath()));
            if (scenario.usesHdfs()) {
                hdfs.delete(runDir.toAbsolutePath().toString());
            }
        }
    }

    /**
     * Writes a taildir backlog before the first run that reads it; every later run reads the same files. A harness
     * stopped before its last round (Ctrl-C, SIGTERM) removes it too: it takes gigabytes of a disk others may share.
     */
    private void writeBacklog(Scenario.TaildirBacklogLoad backlog) throws IOException {
        if (backlogs.size() == 1) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::deleteBacklogs, "benchmark-backlog-cleaner"));
        }
        System.out.printf(Locale.ROOT, "Writing a backlog of %,d lines of %d bytes (%,d MiB) to %s ...%n",
                backlog.lines(), backlog.lineBytes(), TaildirBacklog.bytes(backlog) >> 20, backlog.directory());
        long start = System.nanoTime();
        TaildirBacklog.write(backlog);
        System.out.printf(Locale.ROOT, "Backlog written and forced to the disk in %.0f s%n",
                (System.nanoTime() - start) / 1e9);
    }

    private synchronized void deleteBacklogs() {
        for (Path backlog : backlogs) {
            try {
                deleteTree(backlog);
            } catch (IOException | UncheckedIOException e) {
                System.err.println("Cannot remove the taildir backlog " + backlog + ": " + e);
            }
        }
    }

    /**
     * Fails the run when the agent had read the whole backlog by the window's end: it then waited part of the window
     * for lines that never came, and the rate would be the backlog's size, not the agent's.
     */
    private static void checkBacklogLasted(Scenario.TaildirBacklogLoad backlog, long counted, String description)
            throws IOException {
        System.out.printf(Locale.ROOT, "    %s had taken %,d of the backlog's %,d lines when the window closed%n",
                description, counted, backlog.lines());
        if (counted >= backlog.lines()) {
            throw new IOException(description + ": every line of the backlog (" + backlog.lines()
                    + ") was taken before the window closed; give more lines (benchmark.load.lines) or a shorter"
                    + " window (benchmark.window.max.seconds, --window)");
        }
    }

    /**
     * Fails the run unless the sink's files hold at least the scenario's bytes per event for every event the counter
     * had counted when the window closed: the figures are only worth reporting for events that were written.
     */
    private void checkOutput(Scenario.Output output, long counted, String description)
            throws IOException, InterruptedException {
        long bytes = output.inHdfs() ? hdfs.size(output.location()) : localSize(Path.of(output.location()));
        long least = counted * output.minBytesPerEvent();
        System.out.printf(Locale.ROOT, "    %s wrote %,d bytes to %s: %.1f bytes for each of the %,d events counted%n",
                description, bytes, output.location(), counted == 0 ? 0.0 : (double) bytes / counted, counted);
        if (bytes < least) {
            throw new IOException(description + ": its sink wrote " + bytes + " bytes to " + output.location()
                    + ", less than " + output.minBytesPerEvent() + " for each of the " + counted
                    + " events its counter counted (" + least + ")");
        }
    }

    private static long localSize(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            long total = 0;
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    /** A run's figures, and the counter's value when its window closed. */
    private record Measured(RunResult result, long counterAtEnd) {
    }

    private Measured measure(Scenario.Rendered rendered, AgentLauncher launcher, int round, AgentProcess agent,
                              MetricsClient metrics, String description, Path runDir)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + options.startupTimeout().toNanos();
        long pid = agent.jvmPid(options.startupTimeout());
        awaitCounter(agent, metrics, rendered.counter(), deadline, description);
        // A backlog was written before the agent started: nothing to generate while it runs.
        LoadGenerator load = rendered.load().filter(l -> !(l instanceof Scenario.TaildirBacklogLoad))
                .map(l -> generatorFor(l, runDir, metrics, rendered.counter())).orElse(null);
        try {
            if (load != null) {
                load.start(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
            watch(agent, load, warmUp(rendered.scenario()), description);
            OptionalLong server = rendered.scenario().usesHdfs() ? OptionalLong.of(hdfs.pid())
                    : rendered.scenario().usesKafka() ? OptionalLong.of(kafka.pid()) : OptionalLong.empty();
            Sample start = sample(agent, metrics, rendered.counter(), pid, load, server, description);
            watch(agent, load, window(rendered.scenario()), description);
            Sample end = sample(agent, metrics, rendered.counter(), pid, load, server, description);
            long events = end.counter - start.counter;
            if (events <= 0) {
                throw new IOException(description + ": " + rendered.counter() + " did not grow during the window\n" + agent.logTail(40));
            }
            return new Measured(new RunResult(rendered.scenario().name(), launcher.name(), round, events,
                    (end.nanos - start.nanos) / 1e9, end.agentCpu - start.agentCpu, ProcStats.peakRssBytes(pid),
                    end.harnessCpu - start.harnessCpu, end.rejected - start.rejected, end.clusterCpu - start.clusterCpu),
                    end.counter);
        } catch (ProcStats.ProcessGoneException e) {
            // Between two looks at the agent, it (or the load client, or the server) exited: say so with its log.
            throw new IOException(description + ": " + e.getMessage() + " while being measured (agent "
                    + (agent.isAlive() ? "alive" : "exited") + ")\n" + agent.logTail(40), e);
        } finally {
            if (load != null) {
                load.close();
            }
        }
    }

    /** The warm-up of a scenario's runs: {@code --warmup}, or the scenario's own longest if shorter. */
    Duration warmUp(Scenario scenario) {
        return scenario.maxWarmUp().filter(max -> max.compareTo(options.warmUp()) < 0).orElse(options.warmUp());
    }

    /** The window of a scenario's runs: {@code --window}, or the scenario's own longest if shorter. */
    Duration window(Scenario scenario) {
        return scenario.maxWindow().filter(max -> max.compareTo(options.window()) < 0).orElse(options.window());
    }

    /**
     * The load a scenario asks for: netcat, syslog, http, the spooling directory's files and the tailed files inside
     * this JVM (the tailed files' writer paced by the agent's counter), Flume's RPC clients in
     * a JVM of their own.
     */
    private LoadGenerator generatorFor(Scenario.Load load, Path runDir, MetricsClient metrics, CounterRef counter) {
        if (load instanceof Scenario.TaildirLoad taildir) {
            return new TaildirLoadGenerator(taildir, metrics, counter);
        }
        if (load instanceof Scenario.NetcatLoad netcat) {
            return new NetcatLoadGenerator(netcat);
        }
        if (load instanceof Scenario.SpoolDirLoad spool) {
            return new SpoolDirLoadGenerator(spool);
        }
        if (load instanceof Scenario.SyslogLoad syslog) {
            return new SyslogLoadGenerator(syslog);
        }
        if (load instanceof Scenario.HttpLoad http) {
            return new HttpLoadGenerator(http);
        }
        Scenario.RpcLoad rpc = (Scenario.RpcLoad) load;
        String flumeClassPath;
        try {
            flumeClassPath = Files.readString(options.flumeClassPath(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("The RPC load runs on Flume's class path, and "
                    + options.flumeClassPath() + " cannot be read: build this module first", e);
        }
        return new RpcLoadGenerator(rpc, Path.of(System.getProperty("java.home"), "bin", "java"),
                harnessJar() + java.io.File.pathSeparator + flumeClassPath, runDir.resolve("load.log"));
    }

    /** The harness's jar (or classes directory), for the JVMs it starts with a main class of its own. */
    private static String harnessJar() {
        try {
            return Path.of(Harness.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("Where the harness runs from is not a file", e);
        }
    }

    private void awaitCounter(AgentProcess agent, MetricsClient metrics, CounterRef counter, long deadline,
                              String description) throws IOException, InterruptedException {
        IOException lastError = null;
        while (System.nanoTime() < deadline) {
            if (!agent.isAlive()) {
                throw new IOException(description + " exited during start-up\n" + agent.logTail(40));
            }
            try {
                if (metrics.read(counter).isPresent()) {
                    return;
                }
                lastError = null;
            } catch (IOException e) {
                lastError = e;  // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException(description + ": no counter " + counter + " within " + options.startupTimeout().toSeconds() + " s"
                + (lastError == null ? "" : " (last error: " + lastError + ")") + "\n" + agent.logTail(40));
    }

    /** Waits, failing as soon as the agent dies or the load breaks. */
    private static void watch(AgentProcess agent, LoadGenerator load, Duration duration, String description)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        while (true) {
            if (!agent.isAlive()) {
                throw new IOException(description + " exited while being measured\n" + agent.logTail(40));
            }
            if (load != null) {
                load.check();
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(500, Math.max(1, left / 1_000_000)));
        }
    }

    private Sample sample(AgentProcess agent, MetricsClient metrics, CounterRef counter, long pid, LoadGenerator load,
                          OptionalLong server, String description) throws IOException, InterruptedException {
        long nanos = System.nanoTime();
        OptionalLong value = metrics.read(counter);
        if (value.isEmpty()) {
            throw new IOException(description + " no longer publishes " + counter + "\n" + agent.logTail(40));
        }
        double harnessCpu = proc.cpuSeconds(ProcessHandle.current().pid());
        if (load != null && load.processId().isPresent()) {
            harnessCpu += proc.cpuSeconds(load.processId().getAsLong());
        }
        double clusterCpu = server.isPresent() ? proc.cpuSeconds(server.getAsLong()) : 0;
        return new Sample(nanos, value.getAsLong(), proc.cpuSeconds(pid), harnessCpu,
                load == null ? 0 : load.rejected(), clusterCpu);
    }

    private record Sample(long nanos, long counter, double agentCpu, double harnessCpu, long rejected,
                          double clusterCpu) {
    }

    private void writeMarkdown(Report report, Machine machine, List<String> targets) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Sluice vs ").append(FLUME_NAME).append(": benchmark results\n\n");
        md.append("Taken ").append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))).append(" on ")
                .append(machine.describe()).append(".\n\n");
        md.append(String.format(Locale.ROOT, "%d rounds, agent order alternating; warm-up %d s, window %d s; both agents -Xmx%s.%n%n",
                options.rounds(), options.warmUp().toSeconds(), options.window().toSeconds(), options.maxHeap()));
        md.append("## Medians\n\n").append(Report.markdown(report.summaryRows())).append('\n');
        for (String target : targets) {
            md.append(target).append("\n\n");
        }
        md.append("## Every run\n\n").append(Report.markdown(report.runRows())).append('\n');
        md.append("## Scenarios\n\n");
        for (Scenario scenario : scenarios) {
            md.append("### ").append(scenario.name()).append("\n\n").append(scenario.description()).append("\n\n");
            if (!warmUp(scenario).equals(options.warmUp()) || !window(scenario).equals(options.window())) {
                md.append(String.format(Locale.ROOT, "Warm-up %d s, window %d s: the scenario's own.%n%n",
                        warmUp(scenario).toSeconds(), window(scenario).toSeconds()));
            }
            md.append("```properties\n").append(scenario.template().strip()).append("\n```\n\n");
        }
        Path file = options.report();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    }

    /** Removes what a run's sinks wrote (the directories below the run's); its configuration and logs stay. */
    static void deleteOutputs(Path runDir) throws IOException {
        try (Stream<Path> children = Files.list(runDir)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                deleteTree(child);
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot delete " + p, e);
                }
            });
        }
    }
}

package org.sluice.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The harness's command line. */
record Options(Path scenarioDir, List<String> scenarios, Set<String> agents, Path flumeClassPath, Path miniDfsClassPath,
               Path sluiceHome,
               int rounds, Duration warmUp, Duration window, String maxHeap, Duration startupTimeout, Path workDir,
               Path report, boolean startup, Duration idle) {

    static final String FLUME = "flume";
    static final String SLUICE = "sluice";

    /**
     * The headline scenarios {@code --quick} runs: the per-call cost of the Avro path at both batch sizes, and the
     * durable file channel behind Avro and behind the generator. 4 scenarios x 2 agents x 2 rounds of about 30 s.
     */
    static final List<String> QUICK_SCENARIOS = List.of("avro-memory-null-batch100", "avro-memory-null-batch1000",
            "avro-file-null", "seq-file-null");
    static final int QUICK_ROUNDS = 2;
    static final Duration QUICK_WARM_UP = Duration.ofSeconds(5);
    static final Duration QUICK_WINDOW = Duration.ofSeconds(10);

    /** What {@code --startup} measures unless told otherwise: the agent of issue 16, 5 rounds, 10 s idle. */
    static final String STARTUP_SCENARIO = "netcat-memory-fileroll";
    static final int STARTUP_ROUNDS = 5;
    static final Duration DEFAULT_IDLE = Duration.ofSeconds(10);

    static final String USAGE = """
            Usage: java -jar sluice-benchmark.jar [options]
              --scenario-dir DIR     scenario files (*.properties)                 [scenarios]
              --scenario NAME,...    scenarios to run, by file name without .properties   [all]
              --agents LIST          flume,sluice or one of them                   [flume,sluice]
              --flume-classpath FILE Flume 1.11.0's class path, one line           [target/flume.classpath]
              --minidfs-classpath FILE  the MiniDFSCluster's class path, for ${hdfs.uri} scenarios [target/minidfs.classpath]
              --sluice-home DIR      the unpacked Sluice distribution (bin/sluice)  [required with sluice]
              --rounds N             rounds; each runs every scenario on every agent, order alternating [3]
              --warmup SECONDS       from the agent's counters appearing to the window's start [15]
              --window SECONDS       the measurement window                        [30]
              --heap SIZE            -Xmx of both agents                           [1g]
              --startup-timeout SECONDS  for an agent to publish its counters      [120]
              --work-dir DIR         per-run configuration, output and logs        [target/benchmark-work]
              --report FILE          markdown results                              [target/benchmark-results.md]
              --quick                the headline scenarios (avro-memory-null-batch100 and -batch1000,
                                     avro-file-null, seq-file-null), 2 rounds,
                                     5 s warm-up, 10 s window: under 10 minutes, to measure a change to a
                                     hot path before it lands; options given beside it win
              --startup              start-up and idle memory instead of throughput: time from launch to the
                                     source listening, CPU time to get there, RSS and threads after --idle
                                     seconds idle; netcat-memory-fileroll, 5 rounds, report
                                     target/startup-results.md unless given
              --idle SECONDS         how long a --startup run idles before its RSS is read [10]
            """;

    static Options parse(String[] args) {
        Path scenarioDir = Path.of("scenarios");
        List<String> scenarios = new ArrayList<>();
        Set<String> agents = new LinkedHashSet<>(List.of(FLUME, SLUICE));
        Path flumeClassPath = Path.of("target/flume.classpath");
        Path miniDfsClassPath = Path.of("target/minidfs.classpath");
        Path sluiceHome = null;
        int rounds = 3;
        Duration warmUp = Duration.ofSeconds(15);
        Duration window = Duration.ofSeconds(30);
        String heap = "1g";
        Duration startup = Duration.ofSeconds(120);
        Path workDir = Path.of("target/benchmark-work");
        Path report = Path.of("target/benchmark-results.md");
        boolean quick = false;
        boolean startupMode = false;
        Duration idle = DEFAULT_IDLE;
        Set<String> given = new LinkedHashSet<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new UsageException("");
            }
            if (option.equals("--quick")) {
                quick = true;
                continue;
            }
            if (option.equals("--startup")) {
                startupMode = true;
                continue;
            }
            given.add(option);
            if (i + 1 >= args.length) {
                throw new UsageException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--scenario-dir" -> scenarioDir = Path.of(value);
                case "--scenario" -> scenarios.addAll(list(value));
                case "--agents" -> {
                    agents = new LinkedHashSet<>(list(value));
                    if (agents.isEmpty() || !Set.of(FLUME, SLUICE).containsAll(agents)) {
                        throw new UsageException("--agents " + value + ": name flume, sluice or both");
                    }
                }
                case "--flume-classpath" -> flumeClassPath = Path.of(value);
                case "--minidfs-classpath" -> miniDfsClassPath = Path.of(value);
                case "--sluice-home" -> sluiceHome = Path.of(value);
                case "--rounds" -> rounds = positive(option, value);
                case "--warmup" -> warmUp = Duration.ofSeconds(positive(option, value));
                case "--window" -> window = Duration.ofSeconds(positive(option, value));
                case "--heap" -> {
                    if (!value.matches("[0-9]+[kKmMgG]?")) {
                        throw new UsageException("--heap " + value + ": a JVM size such as 1g or 512m");
                    }
                    heap = value;
                }
                case "--startup-timeout" -> startup = Duration.ofSeconds(positive(option, value));
                case "--work-dir" -> workDir = Path.of(value);
                case "--report" -> report = Path.of(value);
                case "--idle" -> idle = Duration.ofSeconds(positive(option, value));
                default -> throw new UsageException("Unknown option " + option);
            }
        }
        if (quick) {
            if (!given.contains("--scenario")) {
                scenarios.addAll(QUICK_SCENARIOS);
            }
            if (!given.contains("--rounds")) {
                rounds = QUICK_ROUNDS;
            }
            if (!given.contains("--warmup")) {
                warmUp = QUICK_WARM_UP;
            }
            if (!given.contains("--window")) {
                window = QUICK_WINDOW;
            }
        }
        if (startupMode) {
            if (quick) {
                throw new UsageException("--startup and --quick measure different things: give one");
            }
            if (!given.contains("--scenario")) {
                scenarios.add(STARTUP_SCENARIO);
            }
            if (scenarios.size() != 1) {
                throw new UsageException("--startup measures one scenario, not " + scenarios);
            }
            if (!given.contains("--rounds")) {
                rounds = STARTUP_ROUNDS;
            }
            if (!given.contains("--report")) {
                report = Path.of("target/startup-results.md");
            }
        }
        if (agents.contains(SLUICE) && sluiceHome == null) {
            throw new UsageException("--sluice-home is required to run Sluice (or --agents flume)");
        }
        return new Options(scenarioDir, List.copyOf(scenarios), Set.copyOf(agents), flumeClassPath, miniDfsClassPath, sluiceHome, rounds,
                warmUp, window, heap, startup, workDir, report, startupMode, idle);
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " " + value + ": a positive whole number");
    }

    /** A command line the harness cannot run with, the message says why; an empty message asks for the usage. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}

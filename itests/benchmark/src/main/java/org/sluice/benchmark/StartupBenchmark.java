package org.sluice.benchmark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Start-up and idle memory: how long an agent takes from its launch to its source accepting connections, and how
 * much memory it holds once it has started and sits idle.
 *
 * <p>Each run launches the agent as the throughput runs do (the same command, heap and monitoring), notes the time
 * just before the process is started and connects to the scenario's load address every 10 ms until a connection is
 * accepted: that is "listening". The agent's CPU time at that moment is the work its start took (less disturbed by
 * other processes on a shared machine than the wall-clock time). Then it sits without load for the idle time, and
 * its resident set ({@code VmRSS}) and thread count are read, before it is stopped. Rounds alternate which agent goes
 * first; the report gives medians and Sluice / Flume ratios, and the machine's load average before and after.
 */
final class StartupBenchmark {

    private static final Duration PROBE_INTERVAL = Duration.ofMillis(10);

    private final Options options;
    private final Scenario scenario;
    private final List<AgentLauncher> agents;
    private final ProcStats proc;

    StartupBenchmark(Options options, Scenario scenario, List<AgentLauncher> agents, ProcStats proc) {
        this.options = options;
        this.scenario = scenario;
        this.agents = agents;
        this.proc = proc;
    }

    /** What one agent did in one start-up run. */
    record Run(String agent, int round, double secondsToListen, double cpuSecondsToListen, long idleRssBytes,
               int idleThreads) {

        double idleRssMiB() {
            return idleRssBytes / (1024.0 * 1024.0);
        }
    }

    List<Run> run() throws IOException, InterruptedException {
        String loadBefore = loadAverage();
        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            for (AgentLauncher agent : Harness.orderOfRound(agents, round)) {
                Run run = runOnce(agent, round);
                runs.add(run);
                System.out.printf(Locale.ROOT, "  round %d  %-13s listening after %6.2f s (%5.2f CPU s)  idle RSS %5.0f MiB  %3d threads%n",
                        round, agent.name(), run.secondsToListen(), run.cpuSecondsToListen(), run.idleRssMiB(),
                        run.idleThreads());
            }
        }
        String loadAfter = loadAverage();
        String report = report(runs, loadBefore, loadAfter);
        System.out.println();
        System.out.print(report);
        Path file = options.report();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, report, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println("Markdown report: " + file.toAbsolutePath());
        return runs;
    }

    private Run runOnce(AgentLauncher launcher, int round) throws IOException, InterruptedException {
        Path runDir = options.workDir().resolve("startup-" + scenario.name())
                .resolve(launcher.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-") + "-round-" + round);
        Harness.deleteTree(runDir);
        Files.createDirectories(runDir);
        Scenario.Rendered rendered = scenario.render(runDir.toAbsolutePath(), name -> Ports.free(), null, null,
                (scenario.name() + "-" + runDir.getFileName()).replaceAll("[^A-Za-z0-9._-]", "-"));
        InetSocketAddress listening = listeningAddress(rendered);
        Path configuration = runDir.resolve("agent.properties").toAbsolutePath();
        Files.writeString(configuration, rendered.agentConfiguration(), StandardCharsets.UTF_8);
        for (Path directory : rendered.directories()) {
            Files.createDirectories(directory);
        }
        ProcessBuilder command = launcher.command(configuration, rendered.agentName(), Ports.free(), options.maxHeap(),
                runDir.toAbsolutePath(), Optional.empty());
        String description = launcher.name() + " starting " + scenario.name() + " (round " + round + ")";
        try (AgentProcess agent = AgentProcess.start(description, command, runDir.resolve("agent.out"),
                launcher.logFile(runDir))) {
            long launched = agent.startNanos();
            long deadline = launched + options.startupTimeout().toNanos();
            while (!accepts(listening)) {
                if (!agent.isAlive()) {
                    throw new IOException(description + " exited during start-up\n" + agent.logTail(40));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(description + ": nothing listening on " + listening + " after "
                            + options.startupTimeout().toSeconds() + " s\n" + agent.logTail(40));
                }
                Thread.sleep(PROBE_INTERVAL.toMillis());
            }
            double seconds = (System.nanoTime() - launched) / 1e9;
            long pid = agent.jvmPid(options.startupTimeout());
            double cpu = proc.cpuSeconds(pid);
            Thread.sleep(options.idle().toMillis());
            if (!agent.isAlive()) {
                throw new IOException(description + " exited while idle\n" + agent.logTail(40));
            }
            return new Run(launcher.name(), round, seconds, cpu, ProcStats.rssBytes(pid), ProcStats.threads(pid));
        } finally {
            Harness.deleteOutputs(runDir);
        }
    }

    /** Where the scenario's source listens: its load address (the harness does not send load here). */
    static InetSocketAddress listeningAddress(Scenario.Rendered rendered) {
        Scenario.Load load = rendered.load().orElseThrow(() -> new IllegalArgumentException(
                rendered.scenario().name() + " has no benchmark.load.address: the start-up benchmark needs a source that listens"));
        if (load instanceof Scenario.NetcatLoad netcat) {
            return netcat.target();
        }
        if (load instanceof Scenario.SyslogLoad syslog) {
            return syslog.target();
        }
        if (load instanceof Scenario.HttpLoad http) {
            return http.target();
        }
        if (load instanceof Scenario.RpcLoad rpc) {
            return rpc.target();
        }
        throw new IllegalArgumentException(rendered.scenario().name() + "'s source does not listen on an address");
    }

    private static boolean accepts(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            return true;
        } catch (IOException e) {
            return false;  // not listening yet
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    String report(List<Run> runs, String loadBefore, String loadAfter) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Start-up and idle memory: ").append(scenario.name()).append("\n\n");
        md.append("Taken ").append(java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
                .append(" on ").append(Machine.current().describe()).append("; load average ").append(loadBefore)
                .append(" before, ").append(loadAfter).append(" after.\n\n");
        md.append(String.format(Locale.ROOT, "%d rounds, agent order alternating; -Xmx%s; idle %d s after listening.%n%n",
                options.rounds(), options.maxHeap(), options.idle().toSeconds()));
        md.append("| Agent | s to listening | CPU s to listening | idle RSS MiB | idle threads |\n|---|---:|---:|---:|---:|\n");
        for (AgentLauncher agent : agents) {
            List<Run> mine = runs.stream().filter(r -> r.agent().equals(agent.name())).toList();
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.0f | %.0f |%n", agent.name(),
                    median(mine, Run::secondsToListen), median(mine, Run::cpuSecondsToListen),
                    median(mine, Run::idleRssMiB), median(mine, Run::idleThreads)));
        }
        List<Run> sluice = runs.stream().filter(r -> r.agent().equals(Harness.SLUICE_NAME)).toList();
        List<Run> flume = runs.stream().filter(r -> r.agent().equals(Harness.FLUME_NAME)).toList();
        if (!sluice.isEmpty() && !flume.isEmpty()) {
            md.append(String.format(Locale.ROOT, "| Sluice / Flume | %.2fx | %.2fx | %.2fx | %.2fx |%n",
                    median(sluice, Run::secondsToListen) / median(flume, Run::secondsToListen),
                    median(sluice, Run::cpuSecondsToListen) / median(flume, Run::cpuSecondsToListen),
                    median(sluice, Run::idleRssMiB) / median(flume, Run::idleRssMiB),
                    median(sluice, Run::idleThreads) / median(flume, Run::idleThreads)));
        }
        md.append("\nEvery run:\n\n| Agent | Round | s to listening | CPU s to listening | idle RSS MiB | idle threads |\n|---|---:|---:|---:|---:|---:|\n");
        for (Run run : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.0f | %d |%n", run.agent(), run.round(),
                    run.secondsToListen(), run.cpuSecondsToListen(), run.idleRssMiB(), run.idleThreads()));
        }
        return md.toString();
    }

    static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
        double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}

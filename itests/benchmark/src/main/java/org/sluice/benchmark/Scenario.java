package org.sluice.benchmark;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One benchmark scenario, read from a properties file: a Flume agent configuration that both agents run unchanged,
 * plus the harness's own keys, which start with {@code benchmark.} and are removed before the agents see the file.
 *
 * <p>Harness keys:
 * <ul>
 * <li>{@code benchmark.description}: one line for the report.</li>
 * <li>{@code benchmark.agent}: the agent name ({@code -n}); default {@code a1}.</li>
 * <li>{@code benchmark.counter}: the counter whose growth is the throughput, {@code GROUP/COUNTER}, e.g.
 * {@code CHANNEL.c1/EventTakeSuccessCount}. Flume's null sink keeps no counters, so a channel's take count is
 * the one every pipeline has.</li>
 * <li>{@code benchmark.target.ratio}: the least Sluice / Flume events/s ratio this scenario aims at, e.g.
 * {@code 1.5}; the report says whether the run met it.</li>
 * <li>{@code benchmark.directories}: directories to create before the agent starts, comma-separated (Flume's
 * file_roll sink, for one, does not create its {@code sink.directory}).</li>
 * <li>{@code benchmark.output}: where the sink writes, a directory ({@code ${run.dir}/hdfs}) or a path of the
 * MiniDFSCluster ({@code ${hdfs.uri}${run.dir}/hdfs}); with {@code benchmark.output.bytes.per.event} (default 1),
 * the harness checks after the agent has stopped that the files below it hold at least that many bytes for every
 * event the counter counted, so a run whose sink wrote nothing (or less) fails instead of being reported.</li>
 * <li>{@code benchmark.load}: {@code netcat} to have the harness send lines to the agent's netcat source and read
 * its "OK" acks; {@code avro} or {@code thrift} to have Flume 1.11.0's own SDK client (RpcClientFactory, in a JVM
 * of its own on Flume's class path) send batches to the agent's avro or thrift source; {@code spooldir} to have the
 * harness keep the agent's spooling directory full of finished files of lines; {@code taildir} to have the harness
 * append lines to the files of the agent's taildir source; absent for sources that make their
 * own events ({@code seq}).</li>
 * <li>netcat, syslog, http, avro, thrift: {@code benchmark.load.address}: where the source listens, e.g.
 * {@code 127.0.0.1:${port.netcat}}; {@code benchmark.load.connections} (default 4): connections, each with its own
 * sender.</li>
 * <li>syslog: {@code benchmark.load.line.bytes} (default 500, without the newline): RFC 3164 lines sent as fast as
 * TCP takes them.</li>
 * <li>http: {@code benchmark.load.batch.size} (events per POST, default 100) and {@code benchmark.load.event.bytes}
 * (body size, default 500): JSON arrays of events, one request at a time per connection.</li>
 * <li>netcat: {@code benchmark.load.line.bytes} (default 500, without the newline), {@code benchmark.load.in.flight}
 * (lines sent and not yet acked per connection, default 1000).</li>
 * <li>avro, thrift: {@code benchmark.load.batch.size} (events per appendBatch, default 1000) and
 * {@code benchmark.load.event.bytes} (body size, default 500).</li>
 * <li>taildir: {@code benchmark.load.directory} (the directory of the source's file group, whose pattern is
 * {@code seg-.*\\.log}), {@code benchmark.load.line.bytes} (default 500, without the newline),
 * {@code benchmark.load.lag.lines} (how far the writer may run ahead of the counter, default 1000000) and
 * {@code benchmark.load.segment.bytes} (default 256 MiB): see TaildirLoadGenerator.</li>
 * <li>{@code benchmark.load = taildir-backlog}: files the harness writes before the scenario's first run and every
 * run reads from the start, nothing written meanwhile: the agent's read rate. {@code benchmark.load.directory}
 * (the file group's directory, {@code ${scenario.dir}/...} so that every run reads the same files),
 * {@code benchmark.load.lines} (required: enough that no agent reads them all before the window closes; a run that
 * does fails), {@code benchmark.load.line.bytes} (default 500) and {@code benchmark.load.segment.bytes} (default
 * 256 MiB): see TaildirBacklog.</li>
 * <li>{@code benchmark.warmup.max.seconds}, {@code benchmark.window.max.seconds}: the longest warm-up and window this
 * scenario runs, whatever {@code --warmup} and {@code --window} say (a backlog lasts only so long).</li>
 * <li>spooldir: {@code benchmark.load.directory} (the source's {@code spoolDir}), {@code benchmark.load.files}
 * (files in rotation, default 8), {@code benchmark.load.lines.per.file} (default 10000),
 * {@code benchmark.load.line.bytes} (default 500, without the newline) and {@code benchmark.load.completed.suffix}
 * (the source's {@code fileSuffix}, default {@code .COMPLETED}).</li>
 * </ul>
 *
 * <p>Placeholders, filled in for each run the same way for both agents: {@code ${run.dir}} (a fresh directory of the
 * run, for sinks that write files), {@code ${tmpfs.dir}} (a directory of the run in memory, under /dev/shm, removed
 * after the run: for input files that the disk must not slow down), {@code ${scenario.dir}} (a directory of the
 * scenario's, kept across its runs and rounds, for input the harness writes once), {@code ${port.NAME}} (a free TCP port on 127.0.0.1, one per NAME and run) and
 * {@code ${hdfs.uri}} (the MiniDFSCluster's URI, {@code hdfs://127.0.0.1:PORT}; a scenario that names it runs on
 * the cluster the harness starts, and its agents get that cluster's Hadoop configuration directory), {@code ${kafka.bootstrap}}
 * (the address of the Kafka broker the harness starts for the scenarios that name it) and {@code ${run.id}} (a name
 * unique to the run, for a topic or consumer group of its own). {@code benchmark.kafka.prefill = TOPIC PARTITIONS
 * RECORDS BYTES} has the harness create and fill a topic before the first round.
 */
final class Scenario {

    static final String HARNESS_PREFIX = "benchmark.";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final String RUN_DIR = "run.dir";
    private static final String TMPFS_DIR = "tmpfs.dir";
    private static final String SCENARIO_DIR = "scenario.dir";
    /** Where ${tmpfs.dir} directories are made: a file system in memory, on Linux. */
    static final Path TMPFS_ROOT = Path.of("/dev/shm/sluice-benchmark");
    private static final String PORT_PREFIX = "port.";
    private static final String HDFS_URI = "hdfs.uri";
    private static final String STAND_IN_HDFS_URI = "hdfs://127.0.0.1:1";
    private static final String KAFKA_BOOTSTRAP = "kafka.bootstrap";
    private static final String RUN_ID = "run.id";

    private final String name;
    private final Path source;
    private final String template;
    private Rendered checked;

    private Scenario(String name, Path source, String template) {
        this.name = name;
        this.source = source;
        this.template = template;
    }

    /**
     * Reads and checks a scenario file; its name is the file name without {@code .properties}.
     *
     * @throws IllegalArgumentException naming the file and key when a harness key or a placeholder is wrong
     */
    static Scenario load(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        String name = fileName.endsWith(".properties") ? fileName.substring(0, fileName.length() - ".properties".length()) : fileName;
        Scenario scenario = new Scenario(name, file, Files.readString(file, StandardCharsets.UTF_8));
        // Render once with stand-in values: every placeholder and harness key is checked before any agent starts.
        scenario.checked = scenario.render(Path.of("/nonexistent/run"), portName -> 1, STAND_IN_HDFS_URI,
                "127.0.0.1:1", "check");
        return scenario;
    }

    String name() {
        return name;
    }

    Path source() {
        return source;
    }

    String description() {
        return checked.description();
    }

    /** The least Sluice / Flume events/s ratio the scenario aims at, if it names one. */
    OptionalDouble targetRatio() {
        return checked.targetRatio();
    }

    /** Whether the scenario writes to the MiniDFSCluster: it names {@code ${hdfs.uri}}. */
    boolean usesHdfs() {
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (m.group(1).equals(HDFS_URI)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the scenario uses the Kafka broker the harness starts: it names {@code ${kafka.bootstrap}}. */
    boolean usesKafka() {
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (m.group(1).equals(KAFKA_BOOTSTRAP)) {
                return true;
            }
        }
        return false;
    }

    /** The topic the harness fills before the first round ({@code benchmark.kafka.prefill}), if any. */
    Optional<Prefill> prefill() {
        return checked.prefill();
    }

    /** The scenario's own longest warm-up ({@code benchmark.warmup.max.seconds}), whatever {@code --warmup} says. */
    Optional<Duration> maxWarmUp() {
        return checked.maxWarmUp();
    }

    /** The scenario's own longest window ({@code benchmark.window.max.seconds}), whatever {@code --window} says. */
    Optional<Duration> maxWindow() {
        return checked.maxWindow();
    }

    /** The scenario file as written, for the report. */
    String template() {
        return template;
    }

    /** The agent configuration as the agents receive it, with placeholders left in, for the report. */
    String agentTemplate() {
        return withoutHarnessKeys(template);
    }

    /**
     * Fills in the placeholders for one run of a scenario that does not use the MiniDFSCluster.
     *
     * @param runDir the run's own directory
     * @param ports  a free port for a placeholder's name; called once per distinct name
     */
    Rendered render(Path runDir, Function<String, Integer> ports) {
        return render(runDir, ports, null);
    }

    /**
     * Fills in the placeholders for one run.
     *
     * @param runDir  the run's own directory
     * @param ports   a free port for a placeholder's name; called once per distinct name
     * @param hdfsUri the MiniDFSCluster's URI for {@code ${hdfs.uri}}, null when none runs
     */
    Rendered render(Path runDir, Function<String, Integer> ports, String hdfsUri) {
        return render(runDir, ports, hdfsUri, null, runDir.getFileName().toString());
    }

    /**
     * Fills in the placeholders for one run.
     *
     * @param kafkaBootstrap the broker's address for {@code ${kafka.bootstrap}}, null when none runs
     * @param runId          a name of the run for {@code ${run.id}}, unique within the benchmark (a consumer group)
     */
    Rendered render(Path runDir, Function<String, Integer> ports, String hdfsUri, String kafkaBootstrap, String runId) {
        Map<String, Integer> portsByName = new HashMap<>();
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder text = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String value;
            if (key.equals(RUN_DIR)) {
                value = runDir.toString();
            } else if (key.equals(TMPFS_DIR)) {
                value = tmpfsDir(runDir).toString();
            } else if (key.equals(SCENARIO_DIR)) {
                value = scenarioDir(runDir).toString();
            } else if (key.startsWith(PORT_PREFIX) && key.length() > PORT_PREFIX.length()) {
                value = Integer.toString(portsByName.computeIfAbsent(key.substring(PORT_PREFIX.length()), ports));
            } else if (key.equals(HDFS_URI)) {
                if (hdfsUri == null) {
                    throw new IllegalStateException(source + ": ${" + HDFS_URI + "} needs the MiniDFSCluster, and none runs");
                }
                value = hdfsUri;
            } else if (key.equals(KAFKA_BOOTSTRAP)) {
                if (kafkaBootstrap == null) {
                    throw new IllegalStateException(source + ": ${" + KAFKA_BOOTSTRAP + "} needs the Kafka broker, and none runs");
                }
                value = kafkaBootstrap;
            } else if (key.equals(RUN_ID)) {
                value = runId;
            } else {
                throw new IllegalArgumentException(source + ": unknown placeholder ${" + key
                        + "}; a scenario knows ${" + RUN_DIR + "}, ${" + RUN_ID + "}, ${" + TMPFS_DIR + "}, ${"
                        + SCENARIO_DIR + "}, ${"
                        + PORT_PREFIX + "NAME}, ${" + HDFS_URI + "} and ${" + KAFKA_BOOTSTRAP + "}");
            }
            m.appendReplacement(text, Matcher.quoteReplacement(value));
        }
        m.appendTail(text);
        return parse(text.toString());
    }

    /**
     * The scenario's directory for ${scenario.dir}, kept across its runs: beside the run directories of the scenario
     * ({@code WORK/SCENARIO/AGENT-round-N}), {@code WORK/SCENARIO/shared}.
     */
    static Path scenarioDir(Path runDir) {
        return runDir.resolveSibling("shared");
    }

    /** The run's directory in memory for ${tmpfs.dir}: the run directory's path below {@link #TMPFS_ROOT}. */
    static Path tmpfsDir(Path runDir) {
        Path relative = runDir.getRoot() == null ? runDir : runDir.getRoot().relativize(runDir);
        return TMPFS_ROOT.resolve(relative);
    }

    private Rendered parse(String text) {
        Properties all = new Properties();
        try {
            all.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": not a properties file: " + e.getMessage(), e);
        }
        String agent = all.getProperty(HARNESS_PREFIX + "agent", "a1").trim();
        boolean agentHasKeys = all.stringPropertyNames().stream().anyMatch(k -> k.startsWith(agent + "."));
        if (!agentHasKeys) {
            throw new IllegalArgumentException(source + ": no key starts with '" + agent + ".', the agent name ("
                    + HARNESS_PREFIX + "agent)");
        }
        String counterText = required(all, HARNESS_PREFIX + "counter");
        CounterRef counter;
        try {
            counter = CounterRef.parse(counterText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + HARNESS_PREFIX + "counter: " + e.getMessage(), e);
        }
        List<Path> directories = new ArrayList<>();
        for (String dir : all.getProperty(HARNESS_PREFIX + "directories", "").split(",")) {
            if (!dir.isBlank()) {
                directories.add(Path.of(dir.trim()));
            }
        }
        return new Rendered(this, agent, all.getProperty(HARNESS_PREFIX + "description", name).trim(), counter,
                targetRatio(all), List.copyOf(directories), load(all), output(all), prefill(all),
                seconds(all, "warmup.max.seconds"), seconds(all, "window.max.seconds"), withoutHarnessKeys(text));
    }

    /** {@code benchmark.KEY = SECONDS}, if given. */
    private Optional<Duration> seconds(Properties all, String key) {
        String text = all.getProperty(HARNESS_PREFIX + key);
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(positive(all, key, text)));
    }

    /** {@code benchmark.kafka.prefill = TOPIC PARTITIONS RECORDS BYTES}. */
    private Optional<Prefill> prefill(Properties all) {
        String text = all.getProperty(HARNESS_PREFIX + "kafka.prefill");
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String[] words = text.trim().split("\\s+");
        if (words.length != 4) {
            throw new IllegalArgumentException(source + ": " + HARNESS_PREFIX + "kafka.prefill = " + text.trim()
                    + ": expected TOPIC PARTITIONS RECORDS BYTES");
        }
        return Optional.of(new Prefill(words[0], positive(all, "kafka.prefill", words[1]),
                positive(all, "kafka.prefill", words[2]), positive(all, "kafka.prefill", words[3])));
    }

    private Optional<Output> output(Properties all) {
        String location = all.getProperty(HARNESS_PREFIX + "output");
        String perEvent = all.getProperty(HARNESS_PREFIX + "output.bytes.per.event");
        if (location == null || location.isBlank()) {
            if (perEvent != null) {
                throw new IllegalArgumentException(source + ": " + HARNESS_PREFIX + "output.bytes.per.event needs "
                        + HARNESS_PREFIX + "output, the directory it is checked in");
            }
            return Optional.empty();
        }
        location = location.trim();
        boolean inHdfs = location.startsWith("hdfs://");
        if (!inHdfs && !Path.of(location).isAbsolute()) {
            throw new IllegalArgumentException(source + ": " + HARNESS_PREFIX + "output = " + location
                    + " is neither an absolute directory (${run.dir}/...) nor a path of the MiniDFSCluster (${hdfs.uri}/...)");
        }
        return Optional.of(new Output(location, inHdfs,
                positive(all, "output.bytes.per.event", perEvent == null ? "1" : perEvent)));
    }

    private OptionalDouble targetRatio(Properties all) {
        String text = all.getProperty(HARNESS_PREFIX + "target.ratio");
        if (text == null || text.isBlank()) {
            return OptionalDouble.empty();
        }
        try {
            double ratio = Double.parseDouble(text.trim());
            if (ratio > 0) {
                return OptionalDouble.of(ratio);
            }
        } catch (NumberFormatException e) {
            // reported below with the key
        }
        throw new IllegalArgumentException(source + ": " + HARNESS_PREFIX + "target.ratio = " + text.trim() + " is not a positive number");
    }

    private Optional<Load> load(Properties all) {
        String kind = all.getProperty(HARNESS_PREFIX + "load");
        if (kind == null || kind.isBlank()) {
            return Optional.empty();
        }
        kind = kind.trim();
        if (kind.equals("spooldir")) {
            Path directory = loadDirectory(all, "${run.dir}/...");
            String suffix = all.getProperty(HARNESS_PREFIX + "load.completed.suffix", ".COMPLETED").trim();
            if (suffix.isEmpty()) {
                throw new IllegalArgumentException(source + ": " + HARNESS_PREFIX + "load.completed.suffix is empty;"
                        + " it is the source's fileSuffix, which marks the files it has finished");
            }
            return Optional.of(new SpoolDirLoad(directory, number(all, "load.files", "8"),
                    number(all, "load.lines.per.file", "10000"), number(all, "load.line.bytes", "500"), suffix));
        }
        if (kind.equals("taildir")) {
            return Optional.of(new TaildirLoad(loadDirectory(all, "${run.dir}/..."), number(all, "load.line.bytes", "500"),
                    number(all, "load.lag.lines", "1000000"), number(all, "load.segment.bytes", "268435456")));
        }
        if (kind.equals("taildir-backlog")) {
            return Optional.of(new TaildirBacklogLoad(loadDirectory(all, "${scenario.dir}/..."),
                    number(all, "load.line.bytes", "500"),
                    positive(all, "load.lines", required(all, HARNESS_PREFIX + "load.lines")),
                    number(all, "load.segment.bytes", "268435456")));
        }
        if (!kind.equals("netcat") && !kind.equals("syslog") && !kind.equals("http") && !RpcLoad.CLIENTS.contains(kind)) {
            throw new IllegalArgumentException(source + ": " + HARNESS_PREFIX + "load = " + kind
                    + ": the harness generates load for 'netcat', 'syslog', 'http', 'avro', 'thrift', 'spooldir',"
                    + " 'taildir' and 'taildir-backlog'");
        }
        String address = required(all, HARNESS_PREFIX + "load.address");
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(source + ": " + HARNESS_PREFIX + "load.address = " + address + " is not HOST:PORT");
        }
        InetSocketAddress target = new InetSocketAddress(address.substring(0, colon),
                positive(all, "load.address", address.substring(colon + 1)));
        if (!target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException(source + ": " + HARNESS_PREFIX + "load.address = " + address
                    + ": the harness sends load to loopback addresses only");
        }
        int connections = positive(all, "load.connections", all.getProperty(HARNESS_PREFIX + "load.connections", "4"));
        if (kind.equals("netcat")) {
            return Optional.of(new NetcatLoad(target, connections,
                    positive(all, "load.line.bytes", all.getProperty(HARNESS_PREFIX + "load.line.bytes", "500")),
                    positive(all, "load.in.flight", all.getProperty(HARNESS_PREFIX + "load.in.flight", "1000"))));
        }
        if (kind.equals("syslog")) {
            return Optional.of(new SyslogLoad(target, connections,
                    positive(all, "load.line.bytes", all.getProperty(HARNESS_PREFIX + "load.line.bytes", "500"))));
        }
        if (kind.equals("http")) {
            return Optional.of(new HttpLoad(target, connections,
                    positive(all, "load.batch.size", all.getProperty(HARNESS_PREFIX + "load.batch.size", "100")),
                    positive(all, "load.event.bytes", all.getProperty(HARNESS_PREFIX + "load.event.bytes", "500"))));
        }
        return Optional.of(new RpcLoad(kind, target, connections,
                positive(all, "load.batch.size", all.getProperty(HARNESS_PREFIX + "load.batch.size", "1000")),
                positive(all, "load.event.bytes", all.getProperty(HARNESS_PREFIX + "load.event.bytes", "500"))));
    }

    /** {@code benchmark.load.directory}, which must be absolute, as {@code example} is. */
    private Path loadDirectory(Properties all, String example) {
        String directory = required(all, HARNESS_PREFIX + "load.directory");
        if (!Path.of(directory).isAbsolute()) {
            throw new IllegalArgumentException(source + ": " + HARNESS_PREFIX + "load.directory = " + directory
                    + " is not an absolute directory (" + example + ")");
        }
        return Path.of(directory);
    }

    /** {@code benchmark.KEY}, a positive number, or {@code defaultValue}. */
    private int number(Properties all, String key, String defaultValue) {
        return positive(all, key, all.getProperty(HARNESS_PREFIX + key, defaultValue));
    }

    private String required(Properties all, String key) {
        String value = all.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(source + ": " + key + " is required");
        }
        return value.trim();
    }

    private int positive(Properties all, String key, String text) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the key
        }
        throw new IllegalArgumentException(source + ": " + HARNESS_PREFIX + key + " = " + text.trim() + " is not a positive number");
    }

    /** Drops the lines of harness keys; everything else, comments included, stays as written. */
    private static String withoutHarnessKeys(String text) {
        return text.lines()
                .filter(line -> !line.stripLeading().startsWith(HARNESS_PREFIX))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** Load the harness puts on the agent's source. */
    sealed interface Load permits NetcatLoad, SyslogLoad, HttpLoad, RpcLoad, SpoolDirLoad, TaildirLoad,
            TaildirBacklogLoad {
    }

    /** Syslog lines over TCP, RFC 3164, each {@code lineBytes} long without its newline; syslog has no answer. */
    record SyslogLoad(InetSocketAddress target, int connections, int lineBytes) implements Load {
    }

    /** JSON batches POSTed to an http source (Flume's JSONHandler format), each answered 200 or not. */
    record HttpLoad(InetSocketAddress target, int connections, int batchSize, int eventBytes) implements Load {
    }

    /**
     * Lines of {@code lineBytes} bytes appended to segment files of {@code segmentBytes} in {@code directory} (the
     * source's file group), at most {@code lagLines} ahead of the scenario's counter.
     */
    record TaildirLoad(Path directory, int lineBytes, int lagLines, int segmentBytes) implements Load {
    }

    /**
     * {@code lines} lines of {@code lineBytes} bytes in segment files of {@code segmentBytes} in {@code directory} (the
     * source's file group), written before the scenario's first run and read from the start by every run; nothing is
     * written while an agent runs. See TaildirBacklog.
     */
    record TaildirBacklogLoad(Path directory, int lineBytes, int lines, int segmentBytes) implements Load {
    }

    /** The netcat load the harness generates: where, over how many connections, line size and ack window. */
    record NetcatLoad(InetSocketAddress target, int connections, int lineBytes, int inFlightPerConnection)
            implements Load {
    }

    /** Flume's SDK client sending batches: {@code avro} (Flume's default client) or {@code thrift}. */
    record RpcLoad(String client, InetSocketAddress target, int connections, int batchSize, int eventBytes)
            implements Load {
        static final java.util.Set<String> CLIENTS = java.util.Set.of("avro", "thrift");
    }

    /**
     * Files of {@code linesPerFile} lines of {@code lineBytes} bytes each, {@code files} of them kept in the
     * spooling {@code directory}: each one the source finishes (renamed with {@code completedSuffix}) goes back in
     * under a new name.
     */
    record SpoolDirLoad(Path directory, int files, int linesPerFile, int lineBytes, String completedSuffix)
            implements Load {
    }

    /**
     * Where the sink writes, and the least bytes it must have written per counted event.
     *
     * @param inHdfs whether {@code location} is a path of the MiniDFSCluster rather than a local directory
     */
    record Output(String location, boolean inHdfs, int minBytesPerEvent) {
    }

    /** A scenario ready for one run: the agent file's text and the harness's settings, placeholders filled in. */
    record Rendered(Scenario scenario, String agentName, String description, CounterRef counter, OptionalDouble targetRatio,
                    List<Path> directories,
                    Optional<Load> load, Optional<Output> output, Optional<Prefill> prefill, Optional<Duration> maxWarmUp,
                    Optional<Duration> maxWindow, String agentConfiguration) {
    }

    /** A topic the harness creates and fills with {@code records} random records of {@code bytes} before the rounds. */
    record Prefill(String topic, int partitions, int records, int bytes) {
    }
}

package org.sluice.benchmark;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <li>{@code benchmark.load}: {@code netcat} to have the harness send lines to the agent's netcat source and read
 * its "OK" acks; {@code avro} or {@code thrift} to have Flume 1.11.0's own SDK client (RpcClientFactory, in a JVM
 * of its own on Flume's class path) send batches to the agent's avro or thrift source; absent for sources that make
 * their own events ({@code seq}).</li>
 * <li>{@code benchmark.load.address}: where the source listens, e.g. {@code 127.0.0.1:${port.netcat}}.</li>
 * <li>{@code benchmark.load.connections} (default 4): connections, each with its own sender.</li>
 * <li>netcat: {@code benchmark.load.line.bytes} (default 500, without the newline), {@code benchmark.load.in.flight}
 * (lines sent and not yet acked per connection, default 1000).</li>
 * <li>avro, thrift: {@code benchmark.load.batch.size} (events per appendBatch, default 1000) and
 * {@code benchmark.load.event.bytes} (body size, default 500).</li>
 * </ul>
 *
 * <p>Placeholders, filled in for each run the same way for both agents: {@code ${run.dir}} (a fresh directory of the
 * run, for sinks that write files) and {@code ${port.NAME}} (a free TCP port on 127.0.0.1, one per NAME and run).
 */
final class Scenario {

    static final String HARNESS_PREFIX = "benchmark.";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final String RUN_DIR = "run.dir";
    private static final String PORT_PREFIX = "port.";

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
        scenario.checked = scenario.render(Path.of("/nonexistent/run"), portName -> 1);
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

    /** The scenario file as written, for the report. */
    String template() {
        return template;
    }

    /** The agent configuration as the agents receive it, with placeholders left in, for the report. */
    String agentTemplate() {
        return withoutHarnessKeys(template);
    }

    /**
     * Fills in the placeholders for one run.
     *
     * @param runDir the run's own directory
     * @param ports  a free port for a placeholder's name; called once per distinct name
     */
    Rendered render(Path runDir, Function<String, Integer> ports) {
        Map<String, Integer> portsByName = new HashMap<>();
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder text = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String value;
            if (key.equals(RUN_DIR)) {
                value = runDir.toString();
            } else if (key.startsWith(PORT_PREFIX) && key.length() > PORT_PREFIX.length()) {
                value = Integer.toString(portsByName.computeIfAbsent(key.substring(PORT_PREFIX.length()), ports));
            } else {
                throw new IllegalArgumentException(source + ": unknown placeholder ${" + key
                        + "}; a scenario knows ${" + RUN_DIR + "} and ${" + PORT_PREFIX + "NAME}");
            }
            m.appendReplacement(text, Matcher.quoteReplacement(value));
        }
        m.appendTail(text);
        return parse(text.toString());
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
                targetRatio(all), List.copyOf(directories), load(all), withoutHarnessKeys(text));
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
        if (!kind.equals("netcat") && !RpcLoad.CLIENTS.contains(kind)) {
            throw new IllegalArgumentException(source + ": " + HARNESS_PREFIX + "load = " + kind
                    + ": the harness generates load for 'netcat', 'avro' and 'thrift'");
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
        return Optional.of(new RpcLoad(kind, target, connections,
                positive(all, "load.batch.size", all.getProperty(HARNESS_PREFIX + "load.batch.size", "1000")),
                positive(all, "load.event.bytes", all.getProperty(HARNESS_PREFIX + "load.event.bytes", "500"))));
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
    sealed interface Load permits NetcatLoad, RpcLoad {
        InetSocketAddress target();
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

    /** A scenario ready for one run: the agent file's text and the harness's settings, placeholders filled in. */
    record Rendered(Scenario scenario, String agentName, String description, CounterRef counter, OptionalDouble targetRatio,
                    List<Path> directories,
                    Optional<Load> load, String agentConfiguration) {
    }
}

package org.sluice.flumestate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * One run of a {@link ChannelScript} on one of Apache Flume 1.11.0's own channels, in a child JVM, leaving state a
 * test then hands to Sluice: the script's steps, then a crash (SIGKILL, when the script ends with {@code hold}) or a
 * clean stop ({@code stop}). What Flume printed is the model of what it holds: every committed
 * put, in order, less the committed takes, after the events of the takes left open (which a recovery puts back
 * first). A script ending in {@code drain} then {@code stop} prints what Flume's own recovery delivers instead.
 */
public record ScriptRun(List<String> puts, List<String> takes, List<String> openTakes, List<String> drained,
        String flumeLog) {

    /**
     * Runs {@code script} with {@code mainClass} ({@link FlumeJvm#FILE_CHANNEL_SCRIPT},
     * {@link FlumeJvm#JDBC_CHANNEL_SCRIPT}, {@link FlumeJvm#SPILLABLE_CHANNEL_SCRIPT}) on the channel configured with {@code properties}, in {@code dir}.
     */
    public static ScriptRun run(String mainClass, Path dir, Map<String, String> properties, List<String> script)
            throws Exception {
        Files.createDirectories(dir);
        Path config = dir.resolve("channel.properties");
        Properties channel = new Properties();
        channel.putAll(properties);
        try (OutputStream out = Files.newOutputStream(config)) {
            channel.store(out, null);
        }
        Path steps = dir.resolve("channel.script");
        Files.write(steps, script, StandardCharsets.UTF_8);
        boolean crash = script.get(script.size() - 1).trim().equals("hold");
        try (FlumeJvm flume = FlumeJvm.start(dir.resolve("flume"), mainClass, config.toString(),
                steps.toString())) {
            flume.awaitLine(crash ? "READY" : "STOPPED", 180);
            if (crash) {
                flume.kill();
            } else {
                flume.waitFor(60);
            }
            List<String> puts = new ArrayList<>();
            List<String> takes = new ArrayList<>();
            List<String> openTakes = new ArrayList<>();
            List<String> drained = new ArrayList<>();
            for (String line : flume.output()) {
                if (line.startsWith("PUT ")) {
                    puts.add(line.substring(4));
                } else if (line.startsWith("TAKE ")) {
                    takes.add(line.substring(5));
                } else if (line.startsWith("OPEN-TAKE ")) {
                    openTakes.add(line.substring(10));
                } else if (line.startsWith("DRAINED ")) {
                    drained.add(line.substring(8));
                }
            }
            return new ScriptRun(puts, takes, openTakes, drained, flume.log());
        }
    }

    /** This run, then {@code next} on the same directories (a restart): one model of what Flume holds after both. */
    public ScriptRun then(ScriptRun next) {
        if (!openTakes.isEmpty()) {
            throw new IllegalArgumentException("a run followed by another must leave no take open");
        }
        List<String> allPuts = new ArrayList<>(puts);
        allPuts.addAll(next.puts());
        List<String> allTakes = new ArrayList<>(takes);
        allTakes.addAll(next.takes());
        return new ScriptRun(allPuts, allTakes, next.openTakes(), next.drained(), next.flumeLog());
    }

    /** The events Flume holds, in order, each as {@link ScriptEvents#line} prints it. */
    public List<String> expectedLines() {
        List<String> expected = new ArrayList<>(openTakes);
        Set<String> gone = new HashSet<>(takes);
        gone.addAll(openTakes);
        for (String put : puts) {
            if (!gone.contains(put)) {
                expected.add(put);
            }
        }
        return expected;
    }
}

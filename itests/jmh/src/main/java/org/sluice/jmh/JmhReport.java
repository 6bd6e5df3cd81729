package org.sluice.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with its own command line and writes the results as a markdown table (to the file named by system
 * property {@code sluice.jmh.report}): ops/s, events/s, and with {@code -prof gc} the bytes allocated per
 * operation and per event, with each Sluice variant's ratio to Flume's in the same benchmark and parameters.
 */
public final class JmhReport {
    /** Secondary result of JMH's GC profiler: bytes allocated per operation. */
    private static final String ALLOCATED_PER_OP = "gc.alloc.rate.norm";
    /** Secondary result (an aux counter) of the two-thread channel benchmark: events the consumer took. */
    private static final String EVENTS_TAKEN = "eventsTaken";

    private JmhReport() {
    }

    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
        String report = System.getProperty("sluice.jmh.report");
        if (report != null && !results.isEmpty()) {
            Path file = Paths.get(report);
            Files.writeString(file, table(results));
            System.out.println("Results as markdown: " + file.toAbsolutePath());
        }
    }

    private record Row(String benchmark, String variant, String params, double opsPerSec, double error,
            double eventsPerSec, double bytesPerOp, double bytesPerEvent) {
    }

    static String table(Collection<RunResult> results) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (RunResult result : results) {
            rows.add(row(result));
        }
        // Each benchmark and parameter set together, Flume's variant first, the ones it is compared with after it.
        rows.sort(Comparator.comparing(Row::benchmark).thenComparing(Row::params)
                .thenComparing(row -> !row.variant().startsWith("flume")).thenComparing(Row::variant));
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | params | variant | ops/s | events/s | vs Flume | B/op | B/event |\n");
        out.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row row : rows) {
            Row flume = rows.stream()
                    .filter(r -> r.benchmark.equals(row.benchmark) && r.params.equals(row.params)
                            && r.variant.startsWith("flume"))
                    .findFirst().orElse(null);
            String ratio = flume == null || flume == row ? "" : String.format(Locale.ROOT, "%.2fx",
                    row.eventsPerSec / flume.eventsPerSec);
            String error = Double.isNaN(row.error) ? "" : String.format(Locale.ROOT, " ± %,.0f", row.error);
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f%s | %,.0f | %s | %s | %s |%n",
                    row.benchmark, row.params, row.variant, row.opsPerSec, error, row.eventsPerSec, ratio,
                    bytes(row.bytesPerOp), bytes(row.bytesPerEvent)));
        }
        return out.toString();
    }

    private static String bytes(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static Row row(RunResult result) {
        BenchmarkParams params = result.getParams();
        String name = params.getBenchmark();
        int lastDot = name.lastIndexOf('.');
        String benchmark = name.substring(name.lastIndexOf('.', lastDot - 1) + 1, lastDot);
        String variant = name.substring(lastDot + 1);
        List<String> shown = new ArrayList<>();
        int batch = 1;
        for (String key : params.getParamsKeys()) {
            String value = params.getParam(key);
            shown.add(key + "=" + value);
            if (key.equals("events") || key.equals("batch")) {
                batch = Integer.parseInt(value);
            }
        }
        Result<?> primary = result.getPrimaryResult();
        double ops = primary.getScore();
        Result<?> taken = result.getSecondaryResults().get(EVENTS_TAKEN);
        double events = taken != null ? taken.getScore() : ops * batch;
        Result<?> allocated = result.getSecondaryResults().get(ALLOCATED_PER_OP);
        double perOp = allocated == null ? Double.NaN : allocated.getScore();
        // For a group, an operation is one call of either thread's method: per event is per op times ops / events.
        double perEvent = allocated == null ? Double.NaN : perOp * ops / events;
        return new Row(benchmark, variant, String.join(", ", shown), ops, primary.getScoreError(), events, perOp,
                perEvent);
    }
}

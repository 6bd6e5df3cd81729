package org.sluice.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The results as tables: medians per scenario and agent with the candidate's ratios to the baseline, and every run.
 * The same rows print to the console and to markdown.
 */
final class Report {

    private static final List<String> SUMMARY_HEADER = List.of("Scenario", "Agent", "events/s", "agent CPU s / M events",
            "peak RSS MiB", "harness CPU s / M events", "rejected");
    private static final List<String> RUN_HEADER = List.of("Scenario", "Agent", "Round", "events", "window s", "events/s",
            "agent CPU s", "agent CPU s / M events", "peak RSS MiB", "harness CPU s", "server CPU s");

    private final List<Summary> summaries;
    private final List<RunResult> runs;
    private final String baseline;
    private final String candidate;

    /**
     * @param baseline  the agent the ratios compare with (Flume)
     * @param candidate the agent whose ratios are given (Sluice)
     */
    Report(List<Summary> summaries, List<RunResult> runs, String baseline, String candidate) {
        this.summaries = summaries;
        this.runs = runs;
        this.baseline = baseline;
        this.candidate = candidate;
    }

    List<List<String>> summaryRows() {
        List<List<String>> rows = new ArrayList<>();
        rows.add(SUMMARY_HEADER);
        for (Summary s : summaries) {
            rows.add(List.of(s.scenario(), s.agent(), number(s.eventsPerSecond(), 0), number(s.agentCpuPerMillionEvents(), 2),
                    number(s.peakRssMiB(), 0), number(s.harnessCpuPerMillionEvents(), 2), Long.toString(s.rejected())));
            Optional<Summary> base = find(s.scenario(), baseline);
            if (s.agent().equals(candidate) && base.isPresent()) {
                Summary b = base.get();
                rows.add(List.of(s.scenario(), candidate + " / " + baseline,
                        ratio(s.eventsPerSecond(), b.eventsPerSecond()),
                        ratio(s.agentCpuPerMillionEvents(), b.agentCpuPerMillionEvents()),
                        ratio(s.peakRssMiB(), b.peakRssMiB()),
                        ratio(s.harnessCpuPerMillionEvents(), b.harnessCpuPerMillionEvents()), ""));
            }
        }
        return rows;
    }

    List<List<String>> runRows() {
        List<List<String>> rows = new ArrayList<>();
        rows.add(RUN_HEADER);
        for (RunResult r : runs) {
            rows.add(List.of(r.scenario(), r.agent(), Integer.toString(r.round()), number(r.events(), 0),
                    number(r.windowSeconds(), 1), number(r.eventsPerSecond(), 0), number(r.agentCpuSeconds(), 2),
                    number(r.agentCpuPerMillionEvents(), 2), number(r.peakRssMiB(), 0), number(r.harnessCpuSeconds(), 2),
                    number(r.clusterCpuSeconds(), 2)));
        }
        return rows;
    }

    /** The ratio of candidate to baseline figure for one scenario, if both ran. */
    Optional<Double> eventsPerSecondRatio(String scenario) {
        Optional<Summary> c = find(scenario, candidate);
        Optional<Summary> b = find(scenario, baseline);
        return c.isPresent() && b.isPresent() ? Optional.of(c.get().eventsPerSecond() / b.get().eventsPerSecond()) : Optional.empty();
    }

    private Optional<Summary> find(String scenario, String agent) {
        return summaries.stream().filter(s -> s.scenario().equals(scenario) && s.agent().equals(agent)).findFirst();
    }

    static String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    static String ratio(double candidate, double baseline) {
        return String.format(Locale.ROOT, "%.2fx", candidate / baseline);
    }

    /** Columns padded to their widest cell; numbers right-aligned. */
    static String text(List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            for (int c = 0; c < columns; c++) {
                String cell = row.get(c);
                boolean right = r > 0 && c >= 2;
                String pad = " ".repeat(widths[c] - cell.length());
                out.append(right ? pad + cell : cell + pad).append(c == columns - 1 ? "" : "  ");
            }
            out.append(System.lineSeparator());
            if (r == 0) {
                int total = 0;
                for (int w : widths) {
                    total += w + 2;
                }
                out.append("-".repeat(total - 2)).append(System.lineSeparator());
            }
        }
        return out.toString();
    }

    static String markdown(List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            out.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
            if (r == 0) {
                out.append("|");
                for (int c = 0; c < rows.get(0).size(); c++) {
                    out.append(c >= 2 ? " ---: |" : " --- |");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }
}

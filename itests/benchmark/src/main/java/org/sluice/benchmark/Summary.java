package org.sluice.benchmark;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The median over the rounds of one agent in one scenario, each figure on its own: a single slow round (a
 * background task on a 2-core machine) moves the median less than the mean.
 */
record Summary(String scenario, String agent, int rounds, double eventsPerSecond, double agentCpuPerMillionEvents,
               double peakRssMiB, double harnessCpuPerMillionEvents, long rejected) {

    static Summary of(List<RunResult> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("No runs to summarize");
        }
        RunResult first = runs.get(0);
        for (RunResult run : runs) {
            if (!run.scenario().equals(first.scenario()) || !run.agent().equals(first.agent())) {
                throw new IllegalArgumentException("Runs of different scenarios or agents: " + first + ", " + run);
            }
        }
        return new Summary(first.scenario(), first.agent(), runs.size(),
                median(runs, RunResult::eventsPerSecond),
                median(runs, RunResult::agentCpuPerMillionEvents),
                median(runs, RunResult::peakRssMiB),
                median(runs, RunResult::harnessCpuPerMillionEvents),
                runs.stream().mapToLong(RunResult::rejected).sum());
    }

    static double median(List<RunResult> runs, ToDoubleFunction<RunResult> figure) {
        double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}

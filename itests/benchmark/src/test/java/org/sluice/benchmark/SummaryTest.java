package org.sluice.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    private static RunResult run(int round, long events, double cpu, long rssMiB) {
        return new RunResult("seq", "Flume", round, events, 10.0, cpu, rssMiB * 1024 * 1024, 0.5, 0);
    }

    @Test
    void eachFigureIsItsOwnMedian() {
        Summary s = Summary.of(List.of(run(1, 1_000_000, 3.0, 300), run(2, 3_000_000, 1.0, 100), run(3, 2_000_000, 9.0, 200)));
        assertEquals(200_000, s.eventsPerSecond(), 1e-6);
        // CPU per million events: 3.0, 0.333, 4.5 -> 3.0
        assertEquals(3.0, s.agentCpuPerMillionEvents(), 1e-9);
        assertEquals(200, s.peakRssMiB(), 1e-9);
        assertEquals(3, s.rounds());
    }

    @Test
    void evenCountAveragesTheMiddleTwo() {
        Summary s = Summary.of(List.of(run(1, 1_000_000, 1, 100), run(2, 3_000_000, 1, 300)));
        assertEquals(200_000, s.eventsPerSecond(), 1e-6);
        assertEquals(200, s.peakRssMiB(), 1e-9);
    }

    @Test
    void refusesToMixAgents() {
        RunResult other = new RunResult("seq", "Sluice", 1, 1, 1, 1, 1, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> Summary.of(List.of(run(1, 1, 1, 1), other)));
        assertThrows(IllegalArgumentException.class, () -> Summary.of(List.of()));
    }

    @Test
    void reportGivesCandidateOverBaselineRatios() {
        Summary flume = Summary.of(List.of(run(1, 1_000_000, 2.0, 400)));
        Summary sluice = Summary.of(List.of(new RunResult("seq", "Sluice", 1, 2_000_000, 10.0, 1.0, 100L * 1024 * 1024, 0.5, 0)));
        Report report = new Report(List.of(flume, sluice), List.of(), "Flume", "Sluice");
        assertEquals(2.0, report.eventsPerSecondRatio("seq").orElseThrow(), 1e-9);
        List<String> ratioRow = report.summaryRows().get(3);
        assertEquals(List.of("seq", "Sluice / Flume", "2.00x", "0.25x", "0.25x", "0.50x", ""), ratioRow);
    }
}

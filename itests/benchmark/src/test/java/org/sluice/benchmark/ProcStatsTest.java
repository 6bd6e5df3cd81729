package org.sluice.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

class ProcStatsTest {

    @Test
    void countsFieldsFromTheLastParenthesis() {
        // A command name with a space and a ')' of its own; utime 923 and stime 96 are fields 14 and 15.
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 92010 0 3 0 923 96 0 0 20 0 31 0 1234 0 0";
        assertEquals(923 + 96, ProcStats.cpuTicks(stat));
        assertThrows(IllegalArgumentException.class, () -> ProcStats.cpuTicks("garbage"));
    }

    @Test
    void readsPeakRss() {
        String status = "Name:\tjava\nVmPeak:\t 5000000 kB\nVmHWM:\t  348304 kB\nVmRSS:\t  300000 kB\n";
        assertEquals(348304L * 1024, ProcStats.peakRssBytes(status));
        assertThrows(IllegalArgumentException.class, () -> ProcStats.peakRssBytes("Name:\tjava\n"));
    }

    @Test
    void readsRssAndThreadsOfThisProcess() throws Exception {
        long pid = ProcessHandle.current().pid();
        long rss = ProcStats.rssBytes(pid);
        Runtime runtime = Runtime.getRuntime();
        // This JVM holds at least the heap it has used, and its threads include the one running this test.
        assertTrue(rss > runtime.totalMemory() - runtime.freeMemory(), rss + " bytes");
        assertTrue(ProcStats.threads(pid) >= Thread.activeCount(), ProcStats.threads(pid) + " threads");
        assertEquals(300000L, ProcStats.kibibytes("Name:\tjava\nVmRSS:\t  300000 kB\n", "VmRSS:"));
    }

    @Test
    void aProcessThatHasExitedIsSaidToBeGone() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        long pid = exited.pid();
        assertEquals(0, exited.waitFor());
        ProcStats proc = ProcStats.withClockTicks(100);

        ProcStats.ProcessGoneException gone = assertThrows(ProcStats.ProcessGoneException.class,
                () -> proc.cpuSeconds(pid));
        assertEquals("process " + pid + " has exited", gone.getMessage());
        assertThrows(ProcStats.ProcessGoneException.class, () -> ProcStats.peakRssBytes(pid));
    }

    @Test
    void measuresThisProcess() throws Exception {
        ProcStats proc = ProcStats.forThisMachine();
        long pid = ProcessHandle.current().pid();
        double before = proc.cpuSeconds(pid);
        // Spin for 0.3 s of this thread's own CPU time (not wall time: the machine may be busy).
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long spinUntil = threads.getCurrentThreadCpuTime() + 300_000_000L;
        long x = 0;
        while (threads.getCurrentThreadCpuTime() < spinUntil) {
            x += System.nanoTime() % 7;
        }
        double after = proc.cpuSeconds(pid);
        assertTrue(after - before >= 0.25, "0.3 CPU s of spinning shows in /proc: " + before + " -> " + after + " (" + x + ")");
        assertTrue(ProcStats.peakRssBytes(pid) > 1024 * 1024, "a JVM's peak RSS is over a MiB");
    }
}

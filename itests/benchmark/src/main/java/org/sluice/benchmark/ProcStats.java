package org.sluice.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What Linux's /proc tells about a process: CPU time (user + system, all threads) and peak resident set size.
 * These are the kernel's own accounts, so they cost the measured agent nothing and are the same for any JVM.
 */
final class ProcStats {

    private final long clockTicksPerSecond;

    private ProcStats(long clockTicksPerSecond) {
        this.clockTicksPerSecond = clockTicksPerSecond;
    }

    /** Reads the clock tick rate /proc counts CPU time in, as {@code getconf CLK_TCK} reports it. */
    static ProcStats forThisMachine() throws IOException, InterruptedException {
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            throw new IOException("/proc is not there: the benchmark measures agents through Linux's /proc");
        }
        Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (!getconf.waitFor(10, TimeUnit.SECONDS) || getconf.exitValue() != 0) {
            throw new IOException("getconf CLK_TCK failed: " + out);
        }
        try {
            return new ProcStats(Long.parseLong(out));
        } catch (NumberFormatException e) {
            throw new IOException("getconf CLK_TCK printed '" + out + "', not a number", e);
        }
    }

    static ProcStats withClockTicks(long clockTicksPerSecond) {
        return new ProcStats(clockTicksPerSecond);
    }

    /** User plus system CPU seconds the process has used so far, all its threads together. */
    double cpuSeconds(long pid) throws IOException {
        return cpuTicks(read(pid, "stat")) / (double) clockTicksPerSecond;
    }

    /** The process's peak resident set size in bytes (VmHWM, the high-water mark since it started). */
    static long peakRssBytes(long pid) throws IOException {
        return peakRssBytes(status(pid));
    }

    /** The process's resident set size now, in bytes (VmRSS). */
    static long rssBytes(long pid) throws IOException {
        return kibibytes(status(pid), "VmRSS:") * 1024;
    }

    /** The process's number of threads now. */
    static int threads(long pid) throws IOException {
        return Integer.parseInt(field(status(pid), "Threads:"));
    }

    private static String status(long pid) throws IOException {
        return read(pid, "status");
    }

    /** A file of /proc/PID; the directory goes when the process has exited and been reaped. */
    private static String read(long pid, String file) throws IOException {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), file), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new ProcessGoneException(pid, e);
        }
    }

    /** The process asked about has exited: its figures can no longer be read. */
    static final class ProcessGoneException extends IOException {
        private static final long serialVersionUID = 1L;

        ProcessGoneException(long pid, NoSuchFileException cause) {
            super("process " + pid + " has exited", cause);
        }
    }

    /**
     * utime + stime from a /proc/PID/stat line. The command name (field 2) is in parentheses and may itself hold
     * spaces and parentheses, so the fields are counted from the last ')'.
     */
    static long cpuTicks(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("Not a /proc/PID/stat line: " + statLine);
        }
        String[] fields = statLine.substring(close + 1).trim().split("\\s+");
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        if (fields.length < 13) {
            throw new IllegalArgumentException("Too few fields in /proc/PID/stat line: " + statLine);
        }
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static long peakRssBytes(String statusText) {
        return kibibytes(statusText, "VmHWM:") * 1024;
    }

    /** A {@code NAME: N kB} line of /proc/PID/status, in KiB. */
    static long kibibytes(String statusText, String name) {
        String value = field(statusText, name);
        String[] parts = value.split("\\s+");
        if (parts.length != 2 || !parts[1].equals("kB")) {
            throw new IllegalArgumentException("Unexpected " + name + " line: " + name + " " + value);
        }
        return Long.parseLong(parts[0]);
    }

    private static String field(String statusText, String name) {
        for (String line : statusText.split("\n")) {
            if (line.startsWith(name)) {
                return line.substring(name.length()).trim();
            }
        }
        throw new IllegalArgumentException("No " + name + " line in /proc/PID/status");
    }
}

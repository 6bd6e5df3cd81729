package org.sluice.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine and JDK the figures were taken on, for the report. */
record Machine(int processors, String cpuModel, long memoryKiB, String os, String jdk) {

    static Machine current() throws IOException {
        String cpu = "unknown";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("model name")) {
                cpu = line.substring(line.indexOf(':') + 1).trim();
                break;
            }
        }
        long memory = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("MemTotal:")) {
                memory = Long.parseLong(line.replaceAll("[^0-9]", ""));
                break;
            }
        }
        return new Machine(Runtime.getRuntime().availableProcessors(), cpu, memory,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    }

    String describe() {
        return processors + " CPUs (" + cpuModel + "), " + String.format("%.1f", memoryKiB / (1024.0 * 1024.0)) + " GiB memory, "
                + os + ", " + jdk;
    }
}

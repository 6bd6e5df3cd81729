package org.sluice.platform.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own parser and linter of the text format, {@code promtool check metrics} (Debian's
 * {@code prometheus} package, which .ci/prerequisites installs): the exposition is read with the Go parser
 * Prometheus scrapes with, and checked against Prometheus's naming and typing rules. The Java client has no parser.
 */
final class Promtool {

    /** What promtool said: its exit code (0 accepted, 1 unparsable, 3 lint problems) and its output. */
    record Verdict(int exitCode, String output) {
        boolean accepted() {
            return exitCode == 0 && output.isBlank();
        }
    }

    private Promtool() {
    }

    /** The promtool binary: -Dpromtool=PATH, else the one on the PATH; a clear failure when there is none. */
    static String binary() {
        String configured = System.getProperty("promtool");
        if (configured != null) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Paths.get(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("promtool is not on the PATH: install Debian's prometheus package "
                + "(.ci/prerequisites does), or give -Dpromtool=PATH");
    }

    static Verdict checkMetrics(byte[] exposition) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(exposition);
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("promtool check metrics did not finish in 60 s");
        }
        return new Verdict(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}

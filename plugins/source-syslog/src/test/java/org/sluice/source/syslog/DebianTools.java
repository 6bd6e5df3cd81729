package org.sluice.source.syslog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * The real senders the tests use, from Debian's packages: found where Debian puts them, or installed with apt-get
 * when the tests run as root (as CI does; .ci/prerequisites installs them too). A test is skipped, saying why, only
 * when a tool is missing and cannot be installed.
 */
final class DebianTools {
    private DebianTools() {
    }

    /** The path of {@code command}, installing {@code debianPackage} if needed; skips the test if impossible. */
    static synchronized Path require(String command, String debianPackage) {
        Path found = find(command);
        if (found != null) {
            return found;
        }
        String why = install(debianPackage);
        found = find(command);
        Assumptions.assumeTrue(found != null, command + " (Debian package " + debianPackage + ") is not installed and "
                + "could not be installed: " + why);
        return found;
    }

    private static Path find(String command) {
        for (String dir : List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin")) {
            Path path = Path.of(dir, command);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        return null;
    }

    private static String install(String debianPackage) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the tests do not run as root, so apt-get cannot install it (run .ci/prerequisites as root)";
        }
        try {
            if (run(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", debianPackage)) == 0) {
                return "installed";
            }
            run(List.of("apt-get", "update", "-q"));
            int status = run(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", debianPackage));
            return status == 0 ? "installed" : "apt-get install " + debianPackage + " exited with " + status;
        } catch (IOException e) {
            return "apt-get could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}

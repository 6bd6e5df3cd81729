package org.sluice.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sluice validate -f FILE -n AGENT}: starts the kernel with every plugin of deploy/ in validate mode
 * (the platform runs nothing), calls the platform's validation service and exits with its verdict. The
 * platform prints the problems; the launcher prints only why it could not ask.
 */
final class ValidateCommand {
    static final String TIMEOUT_PROPERTY = "sluice.validate.timeout";
    private static final Logger LOG = LoggerFactory.getLogger(ValidateCommand.class);

    private ValidateCommand() {
    }

    static int run(Invocation invocation, Layout layout, Properties system) throws Exception {
        Path confFile = invocation.confFile().orElseThrow().toAbsolutePath().normalize();
        if (!Files.isRegularFile(confFile)) {
            System.out.println("The configuration file " + confFile + " does not exist");
            return Main.EXIT_FAILURE;
        }
        return callPlatform(layout, system, FrameworkProperties.MODE_VALIDATE,
                storage -> FrameworkProperties.forValidate(layout, invocation, confFile, system, storage));
    }

    /** The framework properties for a bundle cache directory (reading the kernel's list may fail). */
    @FunctionalInterface
    interface PropertiesForStorage {
        Map<String, Object> apply(Path storage) throws IOException;
    }

    /**
     * Starts the kernel with every plugin of deploy/ (no FileInstall, its own bundle cache), calls the platform's
     * {@code Callable} service for {@code command} and exits 0 if it answers 0, 1 otherwise.
     *
     * @param properties the framework properties for a bundle cache directory
     */
    static int callPlatform(Layout layout, Properties system, String command,
            PropertiesForStorage properties) throws Exception {
        long timeoutSeconds = PropertyValues.positiveLong(system, TIMEOUT_PROPERTY, 30);
        // Its own bundle cache: a validation must not disturb an agent running from the same home.
        Path storage = Files.createTempDirectory("sluice-" + command);
        try {
            Kernel kernel = new Kernel(properties.apply(storage));
            try {
                kernel.installKernel(layout.bundles(), StartLevels.FILE_INSTALL_BSN::equals);
                kernel.installPlugins(layout.deploy());
                if (!kernel.start(timeoutSeconds, TimeUnit.SECONDS)) {
                    System.out.println("The kernel did not start within " + timeoutSeconds + " s: nothing done");
                    return Main.EXIT_UNAVAILABLE;
                }
                return call(kernel, command, timeoutSeconds);
            } finally {
                kernel.framework().stop();
                if (kernel.framework().waitForStop(TimeUnit.SECONDS.toMillis(timeoutSeconds)).getType()
                        == FrameworkEvent.WAIT_TIMEDOUT) {
                    LOG.warn("The framework did not stop within {} s after the {} command", timeoutSeconds, command);
                }
            }
        } finally {
            deleteRecursively(storage);
        }
    }

    static String serviceFilter(String command) {
        return "(&(" + Constants.OBJECTCLASS + "=" + Callable.class.getName() + ")(sluice.command=" + command + "))";
    }

    private static int call(Kernel kernel, String command, long timeoutSeconds) throws Exception {
        String filter = serviceFilter(command);
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(kernel.context(),
                kernel.context().createFilter(filter), null);
        tracker.open(true);
        try {
            Object service = tracker.waitForService(TimeUnit.SECONDS.toMillis(timeoutSeconds));
            if (service == null) {
                System.out.println("Timed out after " + timeoutSeconds + " s waiting for the platform's " + command
                        + " service (" + filter + "): is org.sluice.platform in bundle/ and active? "
                        + "(-D" + TIMEOUT_PROPERTY + "=SECONDS waits longer)");
                return Main.EXIT_UNAVAILABLE;
            }
            Object failures = ((Callable<?>) service).call();
            if (!(failures instanceof Integer)) {
                System.out.println("The " + command + " service returned " + failures + " instead of a number");
                return Main.EXIT_FAILURE;
            }
            return (Integer) failures == 0 ? Main.EXIT_OK : Main.EXIT_FAILURE;
        } finally {
            tracker.close();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}

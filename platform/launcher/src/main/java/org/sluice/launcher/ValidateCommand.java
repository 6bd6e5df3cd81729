package org.sluice.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
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
    /** The service the platform registers in validate mode: returns the number of errors as an Integer. */
    static final String SERVICE_FILTER = "(&(" + Constants.OBJECTCLASS + "=" + Callable.class.getName()
            + ")(sluice.command=validate))";
    static final String TIMEOUT_PROPERTY = "sluice.validate.timeout";
    private static final Logger LOG = LoggerFactory.getLogger(ValidateCommand.class);

    private ValidateCommand() {
    }

    static int run(Invocation invocation, Layout layout, Properties system) throws Exception {
        Optional<Path> missing = AgentCommand.missingFile(invocation.configuration());
        if (missing.isPresent()) {
            System.out.println("The configuration file " + missing.get() + " does not exist");
            return Main.EXIT_FAILURE;
        }
        long timeoutSeconds = PropertyValues.positiveLong(system, TIMEOUT_PROPERTY, 30);
        // Its own bundle cache: a validation must not disturb an agent running from the same home.
        Path storage = Files.createTempDirectory("sluice-validate");
        try {
            Map<String, Object> properties = FrameworkProperties.forValidate(layout, invocation,
                    invocation.configuration().sourcesInMergeOrder(), system, storage);
            Kernel kernel = new Kernel(properties);
            try {
                kernel.installKernel(layout.bundles(), StartLevels.FILE_INSTALL_BSN::equals);
                kernel.installPlugins(layout.deploy());
                if (!kernel.start(timeoutSeconds, TimeUnit.SECONDS)) {
                    System.out.println("The kernel did not start within " + timeoutSeconds + " s: nothing validated");
                    return Main.EXIT_UNAVAILABLE;
                }
                return validate(kernel, timeoutSeconds);
            } finally {
                kernel.framework().stop();
                if (kernel.framework().waitForStop(TimeUnit.SECONDS.toMillis(timeoutSeconds)).getType()
                        == FrameworkEvent.WAIT_TIMEDOUT) {
                    LOG.warn("The framework did not stop within {} s after validating", timeoutSeconds);
                }
            }
        } finally {
            deleteRecursively(storage);
        }
    }

    private static int validate(Kernel kernel, long timeoutSeconds) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(kernel.context(),
                kernel.context().createFilter(SERVICE_FILTER), null);
        tracker.open(true);
        try {
            Object service = tracker.waitForService(TimeUnit.SECONDS.toMillis(timeoutSeconds));
            if (service == null) {
                System.out.println("Timed out after " + timeoutSeconds + " s waiting for the platform's validation "
                        + "service (" + SERVICE_FILTER + "): is org.sluice.platform in bundle/ and active? "
                        + "(-D" + TIMEOUT_PROPERTY + "=SECONDS waits longer)");
                return Main.EXIT_UNAVAILABLE;
            }
            Object errors = ((Callable<?>) service).call();
            if (!(errors instanceof Integer)) {
                System.out.println("The validation service returned " + errors + " instead of a number of errors");
                return Main.EXIT_FAILURE;
            }
            return (Integer) errors == 0 ? Main.EXIT_OK : Main.EXIT_FAILURE;
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

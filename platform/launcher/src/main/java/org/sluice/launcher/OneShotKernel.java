package org.sluice.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kernel started for one command the platform answers ({@code validate}, {@code avro-client}): every plugin of
 * deploy/ installed directly (no FileInstall), a bundle cache of its own (so it never disturbs an agent running
 * from the same home), the platform's command service called once, then the kernel stopped. The platform
 * registers the command as a {@code Callable<Integer>} with the service property {@code sluice.command}.
 */
final class OneShotKernel {
    private static final Logger LOG = LoggerFactory.getLogger(OneShotKernel.class);

    private OneShotKernel() {
    }

    /** The filter of the platform's service for {@code command}. */
    static String serviceFilter(String command) {
        return "(&(" + Constants.OBJECTCLASS + "=" + Callable.class.getName() + ")(sluice.command=" + command + "))";
    }

    /**
     * Runs {@code command}.
     *
     * @param properties     the framework properties, without a storage: a temporary one is added
     * @param timeoutSeconds how long the start and the wait for the service may take
     * @param timeoutProperty the -D property that gives more time, for the message when it runs out
     * @param exitStatus     the exit status for the Integer the service returns
     * @param messages       where the launcher says why it could not ask
     */
    static int call(Layout layout, Map<String, Object> properties, String command, long timeoutSeconds,
            String timeoutProperty, Function<Integer, Integer> exitStatus, PrintStream messages) throws Exception {
        Path storage = Files.createTempDirectory("sluice-" + command);
        try {
            properties.put(org.osgi.framework.Constants.FRAMEWORK_STORAGE, storage.toString());
            Kernel kernel = new Kernel(properties);
            try {
                // No FileInstall: deploy/ is installed once, below. No ZooKeeper client: no command reads ZooKeeper.
                kernel.installKernel(layout.bundles(), name -> name.equals(StartLevels.FILE_INSTALL_BSN)
                        || name.equals(AgentCommand.ZOOKEEPER_BUNDLE));
                kernel.installPlugins(layout.deploy());
                if (kernel.start(timeoutSeconds, TimeUnit.SECONDS) != Kernel.Start.STARTED) {
                    messages.println("The kernel did not start within " + timeoutSeconds + " s: nothing done");
                    return Main.EXIT_UNAVAILABLE;
                }
                return callService(kernel, command, timeoutSeconds, timeoutProperty, exitStatus, messages);
            } finally {
                kernel.framework().stop();
                if (kernel.framework().waitForStop(TimeUnit.SECONDS.toMillis(timeoutSeconds)).getType()
                        == FrameworkEvent.WAIT_TIMEDOUT) {
                    LOG.warn("The framework did not stop within {} s after {}", timeoutSeconds, command);
                }
            }
        } finally {
            deleteRecursively(storage);
        }
    }

    private static int callService(Kernel kernel, String command, long timeoutSeconds, String timeoutProperty,
            Function<Integer, Integer> exitStatus, PrintStream messages) throws Exception {
        String filter = serviceFilter(command);
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(kernel.context(),
                kernel.context().createFilter(filter), null);
        tracker.open(true);
        try {
            Object service = tracker.waitForService(TimeUnit.SECONDS.toMillis(timeoutSeconds));
            if (service == null) {
                messages.println("Timed out after " + timeoutSeconds + " s waiting for the platform's " + command
                        + " service (" + filter + "): is org.sluice.platform in bundle/ and active? "
                        + "(-D" + timeoutProperty + "=SECONDS waits longer)");
                return Main.EXIT_UNAVAILABLE;
            }
            Object result = ((Callable<?>) service).call();
            if (!(result instanceof Integer)) {
                messages.println("The " + command + " service returned " + result + " instead of a number");
                return Main.EXIT_FAILURE;
            }
            return exitStatus.apply((Integer) result);
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

package org.sluice.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded Felix framework and the bundles the launcher installs into it. */
final class Kernel {
    private static final Logger LOG = LoggerFactory.getLogger(Kernel.class);
    /** How often the wait for the start level looks whether a stop was asked for. */
    private static final long STOP_CHECK_MILLIS = 100;

    private final Felix framework;
    private final CountDownLatch started = new CountDownLatch(1);
    /** The bundles the launcher installed, whose state it reports; FileInstall reports its own. */
    private final List<Bundle> installed = new ArrayList<>();

    /** Creates and initialises the framework: its bundle context exists, nothing runs yet. */
    Kernel(Map<String, Object> properties) throws BundleException {
        framework = new Felix(properties);
        framework.init();
        // Before any bundle starts: Gogo's unauthenticated telnetd is never seen by the shell (see RemoteShell).
        HiddenCommands.install(framework.getBundleContext());
        // Reaching the beginning start level is reported once, as STARTED, whether or not every bundle started.
        FrameworkListener startedListener = event -> {
            if (event.getType() == FrameworkEvent.STARTED) {
                started.countDown();
            }
        };
        framework.getBundleContext().addFrameworkListener(startedListener);
    }

    Framework framework() {
        return framework;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * Installs every jar of bundle/ at its start level ({@link KernelBundle}) and marks it to start.
     *
     * @param skip kernel bundles this run does without (validate needs no FileInstall)
     */
    List<Bundle> installKernel(Path bundleDir, Predicate<String> skip) throws IOException, BundleException {
        List<KernelBundle> kernel = KernelBundle.in(bundleDir);
        if (kernel.isEmpty()) {
            throw new IOException("No kernel bundles in " + bundleDir + ": is SLUICE_HOME (or -Dsluice.home) the "
                    + "directory Sluice was unpacked in?");
        }
        List<Bundle> bundles = new ArrayList<>();
        for (KernelBundle kernelBundle : kernel) {
            if (skip.test(symbolicName(kernelBundle.jar()))) {
                continue;
            }
            Bundle bundle = context().installBundle(kernelBundle.jar().toUri().toString());
            start(bundle, kernelBundle.startLevel());
            bundles.add(bundle);
        }
        installed.addAll(bundles);
        return bundles;
    }

    /** Installs the jars of deploy/ directly, at the plugins' start level (when FileInstall does not run). */
    List<Bundle> installPlugins(Path deployDir) throws IOException, BundleException {
        List<Bundle> bundles = new ArrayList<>();
        for (Path jar : KernelBundle.jarsIn(deployDir)) {
            Bundle bundle = context().installBundle(jar.toUri().toString());
            start(bundle, StartLevels.PLUGINS);
            bundles.add(bundle);
        }
        installed.addAll(bundles);
        return bundles;
    }

    /** How a start ended. */
    enum Start {
        /** The beginning start level was reached. */
        STARTED,
        /** It was not reached within the timeout. */
        TIMED_OUT,
        /** The framework was asked to stop before it was reached (a SIGTERM while starting). */
        STOPPING
    }

    /**
     * Starts the framework and waits until it has reached its beginning start level, then logs which bundles
     * run; a bundle that does not is a warning, with Felix's reason logged above it.
     */
    Start start(long timeout, TimeUnit unit) throws BundleException, InterruptedException {
        return start(timeout, unit, () -> false);
    }

    /**
     * As {@link #start(long, TimeUnit)}, also ending the wait when {@code stopRequested} says so. Felix's start
     * returns only when the start level is reached, after every bundle's activator, so it runs on a thread of its
     * own: a SIGTERM while a plugin starts slowly must reach the bounded stop, not wait for that plugin.
     */
    Start start(long timeout, TimeUnit unit, BooleanSupplier stopRequested)
            throws BundleException, InterruptedException {
        long begin = System.nanoTime();
        long deadline = begin + unit.toNanos(timeout);
        CompletableFuture<Void> starting = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                framework.start();
                starting.complete(null);
            } catch (BundleException | RuntimeException e) {
                starting.completeExceptionally(e);
            }
        }, "sluice-framework-start");
        starter.setDaemon(true);
        starter.start();
        while (!started.await(Math.min(STOP_CHECK_MILLIS, Math.max(1,
                TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))), TimeUnit.MILLISECONDS)) {
            if (starting.isCompletedExceptionally()) {
                try {
                    starting.join();
                } catch (java.util.concurrent.CompletionException e) {
                    if (e.getCause() instanceof BundleException cause) {
                        throw cause;
                    }
                    throw e;
                }
            }
            // A framework that stops before its start level is reached never reports STARTED.
            if (stopRequested.getAsBoolean() || (starting.isDone()
                    && (framework.getState() & (Bundle.STOPPING | Bundle.RESOLVED)) != 0)) {
                return Start.STOPPING;
            }
            if (System.nanoTime() - deadline >= 0) {
                return Start.TIMED_OUT;
            }
        }
        report(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        return Start.STARTED;
    }

    private static void start(Bundle bundle, int startLevel) throws BundleException {
        bundle.adapt(BundleStartLevel.class).setStartLevel(startLevel);
        if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
            // Persistently marked: the bundle starts when the framework reaches its start level.
            bundle.start();
        }
    }

    private void report(long millis) {
        List<Bundle> inactive = installed.stream()
                .filter(bundle -> bundle.getState() != Bundle.ACTIVE
                        && !(bundle.getState() == Bundle.RESOLVED && isFragment(bundle)))
                .collect(Collectors.toList());
        LOG.info("Kernel started in {} ms: {} of {} bundles active: {}", millis, installed.size() - inactive.size(),
                installed.size(), installed.stream()
                        .map(bundle -> bundle.getSymbolicName() + " " + bundle.getVersion())
                        .collect(Collectors.joining(", ")));
        for (Bundle bundle : inactive) {
            LOG.warn("Bundle {} {} ({}) is {}, not active", bundle.getSymbolicName(), bundle.getVersion(),
                    bundle.getLocation(), stateName(bundle.getState()));
        }
    }

    private static boolean isFragment(Bundle bundle) {
        return bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
    }

    static String stateName(int state) {
        switch (state) {
            case Bundle.UNINSTALLED:
                return "UNINSTALLED";
            case Bundle.INSTALLED:
                return "INSTALLED";
            case Bundle.RESOLVED:
                return "RESOLVED";
            case Bundle.STARTING:
                return "STARTING";
            case Bundle.STOPPING:
                return "STOPPING";
            case Bundle.ACTIVE:
                return "ACTIVE";
            default:
                return String.valueOf(state);
        }
    }

    private static String symbolicName(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            return name == null ? "" : name.split(";")[0].trim();
        }
    }
}

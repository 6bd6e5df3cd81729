package org.sluice.source.jms;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JMS provider class loaders of one jms bundle activation, and when each may be closed.
 *
 * <p>One loader per provider class path, shared by the sources that name the same jars (as every source shares
 * Flume's one class path): a provider's static state (Artemis's client thread pools, ActiveMQ's timers) then exists
 * once, not once per source restart, and a source reloaded or reconnecting keeps the loader it had. A loader is
 * <em>retired</em> when a jar of its class path is replaced on disk (the next start makes a new loader) and when the
 * bundle stops. A retired loader is closed only once nothing made through it is in use: no source holds it (a source
 * holds it from its start until its stop returns, after its connection and JNDI context were closed) and no thread of
 * the provider runs any more. Closing it earlier breaks those threads at their next class load, with a
 * NoClassDefFoundError on a provider thread.
 *
 * <p>A provider's threads outlive the close of its connections: Artemis's client keeps its global thread pools and a
 * shared Netty event loop as statics of its classes (the event loop ends about ten seconds after its last connection,
 * the pools never), and ActiveMQ 5 keeps its inactivity monitor's timers and workers a while. So once a retired loader
 * is no longer held, its Artemis pools are shut down (nothing made through that loader can use them again), and the
 * loader is closed as soon as no thread whose class or context class loader it is remains, checked by a daemon thread
 * of its own. A provider thread that never ends keeps its loader open: after {@link #CLOSE_PATIENCE} the check gives
 * up and names the threads in the log, and the JVM closes the jars once the loader is unreachable.
 */
final class ProviderLoaders {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderLoaders.class);

    /** How long a retired loader waits for its provider's threads to end before it is left to the garbage collector. */
    static final Duration CLOSE_PATIENCE = Duration.ofMinutes(2);
    private static final long FIRST_CHECK_MILLIS = 20;
    private static final long MAX_CHECK_MILLIS = 5_000;

    /**
     * Static methods that end a provider's process-wide threads, called (when the retired loader defined the class)
     * once no source holds the loader: Artemis's global client thread pools and its shared Netty event loop.
     */
    private static final List<PoolShutdown> POOL_SHUTDOWNS = List.of(
            new PoolShutdown("org.apache.activemq.artemis.core.remoting.impl.netty.SharedEventLoopGroup",
                    "forceShutdown"),
            new PoolShutdown("org.apache.activemq.artemis.api.core.client.ActiveMQClient", "clearThreadPools"));

    private record PoolShutdown(String className, String method) {
    }

    /** The loader of each class path, with the modification times of its jars when it was made. */
    private final Map<List<String>, Held> current = new HashMap<>();
    private final ScheduledThreadPoolExecutor closer;
    private volatile ClassLoader jdk = ClassLoader.getPlatformClassLoader();
    private boolean stopped;

    ProviderLoaders() {
        closer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "sluice-jms-provider-closer");
            thread.setDaemon(true);
            thread.setContextClassLoader(null);
            return thread;
        });
        closer.setKeepAliveTime(1, TimeUnit.SECONDS);
        closer.allowCoreThreadTimeOut(true);
    }

    /**
     * Where classes that are neither javax.jms, org.slf4j nor in the provider's jars come from: the JDK. Tests outside
     * a framework, whose provider is on their own class path, pass that class path's loader.
     */
    ProviderLoaders withFallback(ClassLoader fallback) {
        this.jdk = fallback;
        return this;
    }

    /** A hold on the loader of these URLs (made now if there is none, or its jars changed) until the lease closes. */
    synchronized Lease acquire(List<URL> urls) {
        if (stopped) {
            throw new IllegalStateException("the jms bundle is stopping: no JMS provider is loaded any more");
        }
        List<String> classPath = urls.stream().map(URL::toString).toList();
        List<Long> stamp = urls.stream().map(ProviderLoaders::lastModified).toList();
        Held held = current.get(classPath);
        if (held != null && !held.stamp.equals(stamp)) {
            LOG.info("JMS provider jars changed on disk: a new class loader for them; the old one closes once its "
                    + "sources stopped and its threads ended");
            current.remove(classPath);
            retire(held);
            held = null;
        }
        if (held == null) {
            LOG.info("JMS provider class path: {}", urls.isEmpty() ? "(empty)" : urls);
            held = new Held(new ProviderClassLoader(urls.toArray(new URL[0]), ProviderLoaders.class.getClassLoader(),
                    jdk), stamp);
            current.put(classPath, held);
        }
        held.holders++;
        return new Lease(held);
    }

    /** The bundle stops: every loader is retired, and closes once no source holds it and its threads ended. */
    synchronized void closeAll() {
        stopped = true;
        for (Held held : current.values()) {
            retire(held);
        }
        current.clear();
    }

    private void retire(Held held) {
        held.retired = true;
        closeWhenUnused(held);
    }

    private synchronized void release(Held held) {
        held.holders--;
        closeWhenUnused(held);
    }

    private void closeWhenUnused(Held held) {
        if (held.retired && held.holders == 0) {
            long deadline = System.nanoTime() + CLOSE_PATIENCE.toNanos();
            closer.execute(() -> {
                stopProviderPools(held.loader);
                closeOnceThreadsEnded(held.loader, deadline, FIRST_CHECK_MILLIS, false);
            });
        }
    }

    /**
     * Runs on the closer thread: closes the loader once two looks in a row, {@code nextCheckMillis} apart, find none
     * of its threads, else looks again later. Two, because one look can miss a thread that starts another and ends
     * meanwhile (Netty's event loops start its global executor's thread as they end): the list of threads and their
     * stacks are two steps, and a thread that ended in between is left out, as is the one it started.
     */
    private void closeOnceThreadsEnded(ProviderClassLoader loader, long deadline, long nextCheckMillis,
                                       boolean quietBefore) {
        List<Thread> running = threadsOf(loader);
        if (running.isEmpty() && !quietBefore) {
            closer.schedule(() -> closeOnceThreadsEnded(loader, deadline, nextCheckMillis, true), nextCheckMillis,
                    TimeUnit.MILLISECONDS);
            return;
        }
        if (running.isEmpty()) {
            try {
                loader.close();
                LOG.debug("Closed a retired JMS provider class loader: {}", List.of(loader.getURLs()));
            } catch (IOException e) {
                LOG.warn("Could not close the JMS provider's jars", e);
            }
            return;
        }
        if (System.nanoTime() - deadline > 0) {
            LOG.warn("The JMS provider's threads {} still run {} s after its last source stopped; its jars stay open "
                    + "until they end", running.stream().map(Thread::getName).toList(), CLOSE_PATIENCE.toSeconds());
            return;
        }
        closer.schedule(() -> closeOnceThreadsEnded(loader, deadline, Math.min(2 * nextCheckMillis, MAX_CHECK_MILLIS),
                false), nextCheckMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * The live threads of the provider: their class is the loader's, or it is their context class loader (which
     * Artemis's and ActiveMQ's thread factories set and every thread a provider thread starts inherits), or they are
     * in the loader's code right now (Netty sets a thread's context class loader to null for a moment while it starts
     * one).
     */
    static List<Thread> threadsOf(ClassLoader loader) {
        List<Thread> threads = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            Thread thread = entry.getKey();
            if (thread.isAlive() && (thread.getClass().getClassLoader() == loader
                    || thread.getContextClassLoader() == loader || runsCodeOf(loader, entry.getValue()))) {
                threads.add(thread);
            }
        }
        return threads;
    }

    private static boolean runsCodeOf(ClassLoader loader, StackTraceElement[] frames) {
        for (StackTraceElement frame : frames) {
            if (loader.getName().equals(frame.getClassLoaderName())) {
                return true;
            }
        }
        return false;
    }

    private static void stopProviderPools(ProviderClassLoader loader) {
        for (PoolShutdown shutdown : POOL_SHUTDOWNS) {
            Class<?> type = loader.definedHere(shutdown.className());
            if (type == null) {
                continue;
            }
            try {
                type.getMethod(shutdown.method()).invoke(null);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.warn("Could not end the JMS provider's threads with {}.{}(); its jars stay open while they run",
                        shutdown.className(), shutdown.method(), e);
            }
        }
    }

    private static long lastModified(URL url) {
        try {
            Path path = Paths.get(url.toURI());
            return Files.isRegularFile(path) ? Files.getLastModifiedTime(path).toMillis() : 0L;
        } catch (IOException | java.net.URISyntaxException | IllegalArgumentException e) {
            return 0L;
        }
    }

    /** A loader, how many sources hold it, and whether it is to close once none does. */
    private static final class Held {
        final ProviderClassLoader loader;
        final List<Long> stamp;
        int holders;
        boolean retired;

        Held(ProviderClassLoader loader, List<Long> stamp) {
            this.loader = loader;
            this.stamp = stamp;
        }
    }

    /** A source's hold on its provider's loader, from its start until its stop; closing it twice is harmless. */
    final class Lease implements AutoCloseable {
        private final Held held;
        private boolean released;

        private Lease(Held held) {
            this.held = held;
        }

        ProviderClassLoader loader() {
            return held.loader;
        }

        @Override
        public void close() {
            synchronized (ProviderLoaders.this) {
                if (!released) {
                    released = true;
                    release(held);
                }
            }
        }
    }
}

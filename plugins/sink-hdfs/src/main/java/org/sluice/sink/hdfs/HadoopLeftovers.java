package org.sluice.sink.hdfs;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the copy of Hadoop inside this bundle leaves in the JVM after its sinks stopped, removed when the bundle
 * stops, so that an updated or uninstalled bundle leaves nothing running and its class loader (Hadoop's classes,
 * tens of MB) can be collected:
 * <ul>
 * <li>file systems still in Hadoop's cache (the sinks close their own; a codec or a helper may have used the
 * cache), closed;</li>
 * <li>threads Hadoop started and keeps beyond the last client: the lease renewer (a minute after the last file
 * closed), idle IPC connections, the executors behind them; they are interrupted, which ends each of them;</li>
 * <li>FileSystem.Statistics' reference cleaner, a thread started once per loaded Hadoop and never ended;</li>
 * <li>ShutdownHookManager's hooks and its one JVM shutdown hook, which would otherwise hold this class loader
 * until the JVM exits, then run Hadoop code of a bundle that is gone;</li>
 * <li>the JDK's own "process reaper" threads, started when Hadoop's Shell runs a command (its static setsid
 * probe, local file permissions): they inherit the context class loader of the thread that started the process
 * and wait idle for a minute. They are the JDK's and not stopped; their reference to this loader is cleared.</li>
 * </ul>
 * Only threads whose class this bundle loaded, or whose context class loader is this bundle's, are touched: they
 * belong to this copy of Hadoop and to nobody else.
 */
final class HadoopLeftovers {
    private static final Logger LOG = LoggerFactory.getLogger(HadoopLeftovers.class);
    private static final ClassLoader BUNDLE_LOADER = HadoopLeftovers.class.getClassLoader();
    /** How long the bundle's stop waits for each clean-up step: bounded, as a stop must be. */
    private static final long STEP_MILLIS = 5_000;

    private HadoopLeftovers() {
    }

    /** Removes everything listed above; logs, never throws, what it cannot remove. */
    static void remove() {
        if (BUNDLE_LOADER == ClassLoader.getSystemClassLoader()) {
            // On a plain class path (a unit test) there is no bundle to unload, and its threads are everyone's.
            return;
        }
        closeCachedFileSystems();
        ShutdownHookManager.get().clearShutdownHooks();
        removeJvmShutdownHooks();
        stopThreads();
    }

    private static void closeCachedFileSystems() {
        // On its own thread: with a cluster away, a DFSClient's close can wait for its IPC retries.
        Thread closer = Hadoop.threads("hdfs-bundle-stop").newThread(() -> {
            try {
                FileSystem.closeAll();
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("could not close Hadoop's cached file systems: {}", e.toString());
            }
        });
        closer.start();
        join(closer, STEP_MILLIS, "closing Hadoop's cached file systems");
    }

    /**
     * Takes Hadoop's JVM shutdown hook (registered when ShutdownHookManager was loaded) out of the JVM's list. The
     * JDK keeps that list in a private field and offers no way to enumerate it; sun.misc.Unsafe (module
     * jdk.unsupported) reads it without opening java.base. If that is not possible, the hook and this class
     * loader stay until the JVM exits, and the hook runs then with nothing left to do.
     */
    private static void removeJvmShutdownHooks() {
        try {
            Class<?> hooksClass = Class.forName("java.lang.ApplicationShutdownHooks", false, null);
            Map<?, ?> hooks = (Map<?, ?>) staticFieldByUnsafe(hooksClass.getDeclaredField("hooks"));
            if (hooks == null) {
                return; // the JVM is shutting down: the hooks run now, and the list is gone
            }
            List<Thread> ours = new ArrayList<>();
            synchronized (hooksClass) { // the JDK's own lock for the list
                for (Object hook : hooks.keySet()) {
                    if (hook instanceof Thread && belongsToBundle((Thread) hook)) {
                        ours.add((Thread) hook);
                    }
                }
            }
            for (Thread hook : ours) {
                Runtime.getRuntime().removeShutdownHook(hook);
                LOG.debug("removed Hadoop's JVM shutdown hook {}", hook);
            }
        } catch (IllegalStateException e) {
            LOG.debug("the JVM is shutting down; Hadoop's JVM shutdown hook stays: {}", e.toString());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.info("cannot remove Hadoop's JVM shutdown hook ({}): this revision of the bundle stays in memory "
                    + "until the JVM exits", e.toString());
        }
    }

    private static Object staticFieldByUnsafe(Field field) throws ReflectiveOperationException {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe", false, ClassLoader.getPlatformClassLoader());
        Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true); // jdk.unsupported opens sun.misc for this
        Object unsafe = theUnsafe.get(null);
        Object base = unsafeClass.getMethod("staticFieldBase", Field.class).invoke(unsafe, field);
        long offset = (Long) unsafeClass.getMethod("staticFieldOffset", Field.class).invoke(unsafe, field);
        Method getObject = unsafeClass.getMethod("getObject", Object.class, long.class);
        return getObject.invoke(unsafe, base, offset);
    }

    /**
     * Interrupts the threads of this copy of Hadoop and waits for them to end. Each ends on an interrupt: the
     * lease renewer and IPC connections leave their loops, executor workers and the statistics cleaner stop.
     */
    private static void stopThreads() {
        List<Thread> threads = new ArrayList<>();
        Thread cleaner = statisticsCleaner();
        if (cleaner != null && cleaner.isAlive()) {
            threads.add(cleaner);
        }
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (isJdkProcessReaper(thread)) {
                if (thread.getContextClassLoader() == BUNDLE_LOADER) {
                    thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
                }
            } else if (thread != Thread.currentThread() && thread != cleaner && belongsToBundle(thread)) {
                threads.add(thread);
            }
        }
        for (Thread thread : threads) {
            LOG.debug("stopping Hadoop's thread '{}'", thread.getName());
            thread.interrupt();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_MILLIS);
        for (Thread thread : threads) {
            join(thread, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
                    "Hadoop's thread '" + thread.getName() + "' to end");
        }
    }

    /** FileSystem.Statistics' cleaner: a plain Thread with no context class loader, found through its field. */
    private static Thread statisticsCleaner() {
        try {
            Field field = FileSystem.Statistics.class.getDeclaredField("STATS_DATA_CLEANER");
            field.setAccessible(true); // a class of this bundle's own class path
            return (Thread) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.info("cannot find Hadoop's statistics cleaner thread ({}): it keeps this revision of the bundle in "
                    + "memory", e.toString());
            return null;
        }
    }

    /** A thread of the JDK's pool that waits for child processes (ProcessHandleImpl), a plain Thread by that name. */
    private static boolean isJdkProcessReaper(Thread thread) {
        return thread.getClass() == Thread.class && "process reaper".equals(thread.getName());
    }

    private static boolean belongsToBundle(Thread thread) {
        return thread.getClass().getClassLoader() == BUNDLE_LOADER || thread.getContextClassLoader() == BUNDLE_LOADER;
    }

    private static void join(Thread thread, long millis, String what) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("gave up waiting for {} after {} ms; it keeps this revision of the bundle in memory", what,
                    millis);
        }
    }
}

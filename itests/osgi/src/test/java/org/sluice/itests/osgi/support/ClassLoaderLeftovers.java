package org.sluice.itests.osgi.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.management.JMException;
import javax.management.ObjectName;

import org.awaitility.core.ConditionTimeoutException;

/**
 * What a class loader (a bundle revision's) still has in the JVM after its bundle went away: live threads whose
 * class it loaded or whose context class loader it is, and whether the loader itself can be collected. A thread
 * left running keeps the loader, and every class it loaded, for the life of the JVM.
 */
public final class ClassLoaderLeftovers {

    private ClassLoaderLeftovers() {
    }

    /** The live threads of {@code loader}, each described by name, state, why it is the loader's, and its top frames. */
    public static List<String> threads(ClassLoader loader) {
        List<String> threads = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            Thread thread = entry.getKey();
            boolean ownClass = thread.getClass().getClassLoader() == loader;
            boolean context = thread.getContextClassLoader() == loader;
            if (thread.isAlive() && (ownClass || context)) {
                threads.add("'" + thread.getName() + "' (" + thread.getState() + ", "
                        + (ownClass ? "class " + thread.getClass().getName() : "context class loader") + ") at "
                        + Arrays.stream(entry.getValue()).limit(4).map(String::valueOf)
                                .collect(Collectors.joining(" < ")));
            }
        }
        return threads;
    }

    /**
     * Waits until no thread of the loader is alive; fails listing those still running. The wait is short: the
     * threads a stopped bundle shuts down end within moments, while the ones Hadoop leaves behind (its lease
     * renewer, idle IPC connections) linger for ten seconds or more, and one (its statistics cleaner) forever.
     */
    public static void awaitNoThreads(String what, WeakReference<ClassLoader> loader) {
        Await.until("no thread left running by " + what, () -> {
            ClassLoader strong = loader.get();
            return strong == null ? List.<String>of() : threads(strong);
        }, List::isEmpty, Duration.ofSeconds(5));
    }

    /**
     * Asks for garbage collections until the loader is collected; fails if it is still reachable after a while. The
     * while is Await's default: a leaked loader is never collected, however long the wait, and on a loaded machine
     * (the tests share theirs) one collection of a heap holding a MiniDFSCluster can take seconds.
     */
    public static void awaitCollected(String what, WeakReference<ClassLoader> loader) {
        try {
            Await.until("the class loader of " + what + " to be collected", () -> {
                System.gc();
                return loader.get() == null;
            }, collected -> collected);
        } catch (ConditionTimeoutException e) {
            String dump = heapDump(what, loader) + "; " + finalization();
            // Also on the test's output: Pax Exam may report the cause rather than this error.
            System.err.println("The class loader of " + what + " is still reachable: " + dump);
            throw new AssertionError(e.getMessage() + "; " + dump, e);
        }
    }

    /**
     * How finalization stands: an object with a finalizer that holds the loader (Hadoop's ShutdownHookManager keeps
     * a ThreadPoolExecutor, which has one) lets it go only after the JVM's Finalizer thread has run, and a heap dump's
     * paths from GC roots do not show that wait. A Finalizer thread blocked in some object's finalize() would keep
     * every such loader, so say where it is.
     */
    private static String finalization() {
        StringBuilder text = new StringBuilder("objects pending finalization: ")
                .append(ManagementFactory.getMemoryMXBean().getObjectPendingFinalizationCount());
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            if (entry.getKey().getName().equals("Finalizer")) {
                text.append("; the Finalizer thread is ").append(entry.getKey().getState()).append(" at ")
                        .append(Arrays.stream(entry.getValue()).limit(8).map(String::valueOf)
                                .collect(Collectors.joining(" < ")));
            }
        }
        return text.toString();
    }

    /**
     * Writes a heap dump (live objects only) for finding what still holds the loader: the strong paths from GC roots
     * to the loader, its classes and their instances. Says where the dump is, or why there is none.
     */
    private static String heapDump(String what, WeakReference<ClassLoader> loader) {
        ClassLoader strong = loader.get();
        // Felix names a bundle revision's loader by its bundle and revision ("org.sluice.sink.hdfs [40.0]").
        String identity = strong == null ? "(collected meanwhile)" : strong.toString();
        strong = null;
        try {
            Path directory = Files.createDirectories(Paths.get(System.getProperty("sluice.itests.heapdumps",
                    "target/heapdumps")).toAbsolutePath());
            Path dump = directory.resolve(what.replaceAll("[^A-Za-z0-9]+", "-") + "-" + System.currentTimeMillis()
                    + ".hprof");
            // Through the MBean server: com.sun.management is not visible to a bundle.
            ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=HotSpotDiagnostic"),
                    "dumpHeap", new Object[] {dump.toString(), true},
                    new String[] {String.class.getName(), boolean.class.getName()});
            return "the loader " + identity + " is in the heap dump " + dump;
        } catch (IOException | JMException | RuntimeException e) {
            return "the loader " + identity + "; no heap dump: " + e;
        }
    }
}

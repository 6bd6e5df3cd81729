package org.sluice.itests.osgi.support;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
        Await.until("the class loader of " + what + " to be collected", () -> {
            System.gc();
            return loader.get() == null;
        }, collected -> collected);
    }
}

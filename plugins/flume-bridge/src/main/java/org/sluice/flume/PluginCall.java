package org.sluice.flume;

import org.sluice.flume.counters.CounterScope;

/**
 * How the bridge calls into one Flume component: with the thread context class loader set to the plugin's (Flume
 * plugins and the libraries they embed load classes and resources through it, as they did on Flume's flat class
 * path) and with the component's {@link CounterScope} current, so the counter groups it creates are its Sluice
 * counters. Threads a component starts inherit that class loader.
 */
final class PluginCall {
    private final ClassLoader loader;
    private final CounterScope counters;

    PluginCall(ClassLoader loader, CounterScope counters) {
        this.loader = loader;
        this.counters = counters;
    }

    CounterScope counters() {
        return counters;
    }

    <T, E extends Exception> T call(Work<T, E> work) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try (CounterScope.Entered entered = counters.enter()) {
            return work.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    <E extends Exception> void run(Action<E> action) throws E {
        call(() -> {
            action.run();
            return null;
        });
    }

    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run() throws E;
    }

    @FunctionalInterface
    interface Action<E extends Exception> {
        void run() throws E;
    }
}

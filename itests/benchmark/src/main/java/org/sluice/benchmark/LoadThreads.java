package org.sluice.benchmark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** The sender threads of a load generator: started, their first failure kept, and stopped on close. */
final class LoadThreads {
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    @FunctionalInterface
    interface Task {
        void run() throws IOException, InterruptedException;
    }

    boolean running() {
        return running;
    }

    void start(String name, Task task) {
        Thread thread = new Thread(() -> {
            try {
                task.run();
            } catch (IOException | InterruptedException | RuntimeException e) {
                if (running) {
                    failure.compareAndSet(null, e);
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
    }

    /** Throws the first failure of a thread while running, naming the load. */
    void check(String load) throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw new IOException(load + " failed: " + t.getMessage(), t);
        }
    }

    /** Stops the threads: {@code closeable} (their sockets) is closed first so blocked writes end. */
    void stop(AutoCloseable closeable) throws IOException, InterruptedException {
        running = false;
        try {
            closeable.close();
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            for (Thread thread : threads) {
                thread.interrupt();
                thread.join(10_000);
                if (thread.isAlive()) {
                    throw new IllegalStateException(thread.getName() + " did not stop: "
                            + Arrays.toString(thread.getStackTrace()));
                }
            }
        }
    }
}

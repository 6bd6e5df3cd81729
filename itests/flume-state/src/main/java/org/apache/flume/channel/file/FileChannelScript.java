package org.apache.flume.channel.file;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.Transaction;
import org.apache.flume.conf.Configurables;
import org.sluice.flumestate.ScriptEvents;

/**
 * Drives Apache Flume 1.11.0's own file channel through a script, so that a test gets the directories Flume leaves in
 * a known state: {@code FileChannelScript <channel.properties> <script>}. The properties are the channel's
 * configuration (Flume's keys); each line of the script is one step:
 *
 * <pre>
 * put A B           one transaction puts events A to B ({@link ScriptEvents}) and commits
 * take N            one transaction takes N events and commits
 * take-rollback N   one transaction takes N events and rolls back
 * open-take N       a transaction on a thread of its own takes N events and stays open
 * open-put A B      a transaction on a thread of its own puts events A to B and stays open
 * commit-put        the last open-put transaction commits
 * checkpoint        Flume's checkpoint, now (and its backup, waited for, with useDualCheckpoints)
 * drain             takes every event, 100 a transaction, and commits, printing each as DRAINED
 * stop              stops the channel as an agent's shutdown does, prints STOPPED and exits
 * hold              prints READY and waits to be killed
 * </pre>
 *
 * Printed, one line per event as {@link ScriptEvents#line} gives it: {@code PUT} when a put commits, {@code TAKE}
 * when a take commits, {@code OPEN-TAKE} when an open transaction takes it. In this package for Flume's checkpoint,
 * which its channel only offers to its own package ({@code getLog()}, {@code Log.BackgroundWorker}).
 */
public final class FileChannelScript {
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private final FileChannel channel;
    private final Context context;
    private final Deque<Holder> openPuts = new ArrayDeque<>();

    private FileChannelScript(FileChannel channel, Context context) {
        this.channel = channel;
        this.context = context;
    }

    public static void main(String[] args) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = new FileInputStream(args[0])) {
            properties.load(in);
        }
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> map.put(key, properties.getProperty(key)));
        Context context = new Context(map);
        FileChannel channel = new FileChannel();
        channel.setName(context.getString("name", "c1"));
        Configurables.configure(channel, context);
        channel.start();
        if (!channel.isOpen()) {
            throw new IllegalStateException("Flume's file channel did not start; see flume.log");
        }
        new FileChannelScript(channel, context).run(Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8));
    }

    private void run(List<String> script) throws Exception {
        for (String step : script) {
            String[] words = step.trim().split("\\s+");
            switch (words[0]) {
                case "" -> { }
                case "put" -> put(Integer.parseInt(words[1]), Integer.parseInt(words[2]));
                case "take" -> take(Integer.parseInt(words[1]), true);
                case "take-rollback" -> take(Integer.parseInt(words[1]), false);
                case "open-take" -> new Holder(() -> takeOpen(Integer.parseInt(words[1]))).begin();
                case "open-put" -> {
                    Holder holder = new Holder(() -> {
                        for (int n = Integer.parseInt(words[1]); n <= Integer.parseInt(words[2]); n++) {
                            channel.put(ScriptEvents.event(n));
                        }
                    });
                    holder.from = Integer.parseInt(words[1]);
                    holder.to = Integer.parseInt(words[2]);
                    holder.begin();
                    openPuts.push(holder);
                }
                case "commit-put" -> {
                    Holder holder = openPuts.pop();
                    holder.commit();
                    for (int n = holder.from; n <= holder.to; n++) {
                        OUT.println("PUT " + ScriptEvents.line(ScriptEvents.event(n)));
                    }
                }
                case "checkpoint" -> checkpoint();
                case "drain" -> drain();
                case "stop" -> {
                    channel.stop();
                    OUT.println("STOPPED");
                    System.exit(0);
                }
                case "hold" -> {
                    OUT.println("READY");
                    Thread.sleep(Long.MAX_VALUE);
                }
                default -> throw new IllegalArgumentException("unknown step: " + step);
            }
        }
    }

    private void put(int from, int to) {
        Transaction transaction = channel.getTransaction();
        transaction.begin();
        for (int n = from; n <= to; n++) {
            channel.put(ScriptEvents.event(n));
        }
        transaction.commit();
        transaction.close();
        for (int n = from; n <= to; n++) {
            OUT.println("PUT " + ScriptEvents.line(ScriptEvents.event(n)));
        }
    }

    private void take(int count, boolean commit) {
        Transaction transaction = channel.getTransaction();
        transaction.begin();
        StringBuilder taken = new StringBuilder();
        for (int i = 0; i < count; i++) {
            Event event = channel.take();
            if (event == null) {
                throw new IllegalStateException("the channel is empty after " + i + " takes");
            }
            taken.append("TAKE ").append(ScriptEvents.line(event)).append('\n');
        }
        if (commit) {
            transaction.commit();
            OUT.print(taken);
        } else {
            transaction.rollback();
        }
        transaction.close();
    }

    private void drain() {
        while (true) {
            Transaction transaction = channel.getTransaction();
            transaction.begin();
            StringBuilder taken = new StringBuilder();
            int count = 0;
            for (Event event; count < 100 && (event = channel.take()) != null; count++) {
                taken.append("DRAINED ").append(ScriptEvents.line(event)).append('\n');
            }
            transaction.commit();
            transaction.close();
            OUT.print(taken);
            if (count == 0) {
                return;
            }
        }
    }

    private void takeOpen(int count) {
        for (int i = 0; i < count; i++) {
            Event event = channel.take();
            if (event == null) {
                throw new IllegalStateException("the channel is empty after " + i + " takes");
            }
            OUT.println("OPEN-TAKE " + ScriptEvents.line(event));
        }
    }

    private void checkpoint() throws InterruptedException {
        Path backup = context.getBoolean("useDualCheckpoints", false)
                ? Path.of(context.getString("backupCheckpointDir")) : null;
        if (backup != null) {
            // The previous backup must be done before a checkpoint may start.
            awaitBackup(backup);
        }
        new Log.BackgroundWorker(channel.getLog()).run();
        if (backup != null) {
            Thread.sleep(200);
            awaitBackup(backup);
        }
    }

    private static void awaitBackup(Path backup) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(backup.resolve(EventQueueBackingStore.BACKUP_COMPLETE_FILENAME))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Flume's backup checkpoint did not complete in 30 s");
            }
            Thread.sleep(50);
        }
    }

    /** A transaction on a thread of its own (Flume binds a transaction to its thread), held open until told. */
    private final class Holder {
        private final Step body;
        private final CountDownLatch begun = new CountDownLatch(1);
        private final SynchronousQueue<Boolean> decision = new SynchronousQueue<>();
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile Throwable failure;
        int from;
        int to;

        Holder(Step body) {
            this.body = body;
        }

        void begin() throws InterruptedException {
            Thread thread = new Thread(() -> {
                Transaction transaction = channel.getTransaction();
                transaction.begin();
                try {
                    body.run();
                } catch (Throwable e) {
                    failure = e;
                }
                begun.countDown();
                try {
                    if (decision.take()) {
                        transaction.commit();
                    }
                    transaction.close();
                } catch (Throwable e) {
                    failure = e;
                }
                done.countDown();
            }, "open-transaction");
            thread.setDaemon(true);
            thread.start();
            begun.await();
            check();
        }

        void commit() throws InterruptedException {
            decision.put(true);
            done.await();
            check();
        }

        private void check() {
            if (failure != null) {
                throw new IllegalStateException("the open transaction failed", failure);
            }
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }
}

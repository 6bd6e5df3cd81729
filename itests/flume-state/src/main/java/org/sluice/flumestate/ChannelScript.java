package org.sluice.flumestate;

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

import org.apache.flume.Channel;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.Transaction;
import org.apache.flume.conf.Configurables;

/**
 * Drives one of Apache Flume 1.11.0's own channels through a script, so that a test gets the state Flume leaves in a
 * known shape; run by a main that makes the channel ({@code FileChannelScript}, {@link JdbcChannelScript}) with
 * {@code <channel.properties> <script>}. The properties are the channel's configuration (Flume's keys); each line of
 * the script is one step:
 *
 * <pre>
 * put A B           one transaction puts events A to B ({@link ScriptEvents}) and commits
 * take N            one transaction takes N events and commits
 * take-rollback N   one transaction takes N events and rolls back
 * open-take N       a transaction on a thread of its own takes N events and stays open
 * open-put A B      a transaction on a thread of its own puts events A to B and stays open
 * commit-put        the last open-put transaction commits
 * checkpoint        the file channel's checkpoint, now (and its backup, waited for, with useDualCheckpoints)
 * drain             takes every event, 100 a transaction, and commits, printing each as DRAINED
 * stop              stops the channel as an agent's shutdown does, prints STOPPED and exits
 * hold              prints READY and waits to be killed
 * </pre>
 *
 * Printed, one line per event as {@link ScriptEvents#line} gives it: {@code PUT} when a put commits, {@code TAKE}
 * when a take commits, {@code OPEN-TAKE} when an open transaction takes it.
 */
public final class ChannelScript {
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private final Channel channel;
    private final Runnable checkpoint;
    private final Deque<Holder> openPuts = new ArrayDeque<>();

    private ChannelScript(Channel channel, Runnable checkpoint) {
        this.channel = channel;
        this.checkpoint = checkpoint;
    }

    /** The channel's configuration from the properties file {@code path}. */
    public static Context context(String path) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = new FileInputStream(path)) {
            properties.load(in);
        }
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> map.put(key, properties.getProperty(key)));
        return new Context(map);
    }

    /**
     * Configures and starts {@code channel} (named by the {@code name} key, c1 by default) with {@code context}, then
     * runs the script {@code scriptPath}; {@code checkpoint} is what the {@code checkpoint} step does.
     */
    public static void run(Channel channel, Context context, String scriptPath, Runnable checkpoint) throws Exception {
        channel.setName(context.getString("name", "c1"));
        Configurables.configure(channel, context);
        channel.start();
        new ChannelScript(channel, checkpoint).run(Files.readAllLines(Path.of(scriptPath), StandardCharsets.UTF_8));
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
                case "checkpoint" -> checkpoint.run();
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

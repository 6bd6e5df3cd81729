package org.sluice.source.exec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.api.source.EventDrivenSource;
import org.sluice.api.source.SourceContext;

/**
 * Runs a command and makes each line of its standard output an event, in batches of batchSize, or fewer when a
 * line has waited batchTimeout. The command runs in a process group of its own: stopping the source ends it and
 * every process it started ({@link ProcessTree}), leaving neither a process nor a zombie.
 *
 * <p>Where it differs from Flume's, on purpose:
 * <ul>
 * <li>A batch the channels refuse is offered again after a backoff (1 s, doubling up to 5 s) until they take it;
 * meanwhile the command's output waits in its pipe, so a full channel slows the command instead of losing its lines
 * (Flume drops the batch and kills the command).</li>
 * <li>On stop, the lines already read and those still in the pipe when the command ends are delivered before the
 * source stops, for as long as the channels take them within {@value #STOP_DELIVERY_MILLIS} ms.</li>
 * <li>A line keeps at most maxLineLength characters (Sluice's key); the rest is dropped and counted.</li>
 * </ul>
 */
final class ExecSource implements EventDrivenSource {

    /** Flume's logger name, so existing log configurations keep working. */
    static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.source.ExecSource");
    static final String TRUNCATED_COUNTER = "TruncatedLineCount";
    static final long FIRST_RETRY_MILLIS = 1000;
    static final long MAX_RETRY_MILLIS = 5000;
    /** How long stop() lets the lines read, and those left in the pipe, reach the channels. */
    static final long STOP_DELIVERY_MILLIS = 10_000;
    /** The most characters of a stderr line logged. */
    static final int STDERR_LOG_CHARS = 2000;

    private final String agent;
    private final String name;
    private final ChannelProcessor processor;
    private final SourceCounter counter;
    private final Settings settings;

    private final Object lock = new Object();
    /** Guarded by lock. */
    private final List<Event> batch = new ArrayList<>();
    /** When the oldest line of the batch was read (ms); guarded by lock. */
    private long batchStartedAt;

    private volatile boolean running;
    private volatile ProcessTree tree;
    private volatile long stopDeadline = Long.MAX_VALUE;
    private Thread runner;
    private Thread flusher;
    private boolean truncationReported;

    ExecSource(SourceContext context, Settings settings) {
        this.agent = context.agentName();
        this.name = context.componentName();
        this.processor = context.channelProcessor();
        this.counter = context.counter();
        this.settings = settings;
    }

    @Override
    public void start() throws IOException {
        running = true;
        tree = launch(); // a command that cannot start fails the start, with the reason
        runner = new Thread(this::run, "sluice-" + agent + "-source-" + name);
        runner.setDaemon(true);
        runner.start();
        flusher = new Thread(this::flushOnTimeout, "sluice-" + agent + "-source-" + name + "-batch-timeout");
        flusher.setDaemon(true);
        flusher.start();
    }

    private ProcessTree launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder();
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (!settings.logStdErr()) {
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        try {
            ProcessTree started = ProcessTree.start(builder, settings.commandLine());
            LOG.info("Exec source {}: started [{}], pid {}", name, settings.command(), started.pid());
            return started;
        } catch (IOException e) {
            throw new IOException("agent '" + agent + "', component '" + name + "', key 'command': cannot run "
                    + settings.commandLine() + ": " + e.getMessage(), e);
        }
    }

    private void run() {
        try {
            while (true) {
                ProcessTree current = tree;
                if (current == null) {
                    break;
                }
                Thread stderr = settings.logStdErr() ? logStderr(current.process()) : null;
                read(current.process().getInputStream());
                deliverBatch(); // the lines before the end of the output
                int exit = current.process().waitFor();
                current.end(); // what the command left running
                if (stderr != null) {
                    stderr.join(1000);
                }
                if (!running || !settings.restart()) {
                    LOG.info("Exec source {}: command [{}] exited with {}", name, settings.command(), exit);
                    break;
                }
                LOG.info("Exec source {}: command [{}] exited with {}; restarting it in {} ms", name,
                        settings.command(), exit, settings.restartThrottle());
                synchronized (lock) {
                    long until = System.currentTimeMillis() + settings.restartThrottle();
                    for (long left = settings.restartThrottle(); running && left > 0;
                            left = until - System.currentTimeMillis()) {
                        lock.wait(left);
                    }
                }
                if (!running) {
                    break;
                }
                try {
                    ProcessTree launched = launch();
                    synchronized (lock) {
                        if (running) {
                            tree = launched;
                            launched = null;
                        }
                    }
                    if (launched != null) { // stop() came meanwhile and ended the tree it knew of
                        launched.end();
                        break;
                    }
                } catch (IOException e) {
                    counter.incrementGenericProcessingFail();
                    LOG.error("Exec source {}: {}; trying again in {} ms", name, e.getMessage(),
                            settings.restartThrottle());
                    tree = current; // its output is at its end: the loop waits the throttle and tries again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            counter.incrementGenericProcessingFail();
            LOG.error("Exec source {}: stopped by an unexpected failure", name, e);
        } finally {
            synchronized (lock) {
                int left = batch.size();
                if (left > 0) {
                    LOG.error("Exec source {}: {} lines read from the command were not accepted by the channels "
                            + "before the source stopped; they are lost", name, left);
                    batch.clear();
                }
            }
        }
    }

    /** Reads the output to its end (the command and every process holding the pipe ended). */
    private void read(InputStream output) throws InterruptedException {
        java.nio.charset.CharsetDecoder decoder = settings.charset().newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        LineReader lines = new LineReader(new InputStreamReader(output, decoder), settings.maxLineLength());
        try {
            for (LineReader.Line line = lines.next(); line != null; line = lines.next()) {
                counter.addToEventReceivedCount(1);
                if (line.truncated()) {
                    reportTruncation();
                }
                Event event = new SimpleEvent(line.text().getBytes(settings.charset()), null);
                synchronized (lock) {
                    if (batch.isEmpty()) {
                        batchStartedAt = System.currentTimeMillis();
                    }
                    batch.add(event);
                    if (batch.size() >= settings.batchSize()) {
                        deliverLocked();
                    }
                }
            }
        } catch (IOException e) {
            if (running) {
                LOG.warn("Exec source {}: reading the output of [{}] failed: {}", name, settings.command(),
                        e.toString());
            }
        }
    }

    private void reportTruncation() {
        counter.add(TRUNCATED_COUNTER, 1);
        if (!truncationReported) {
            truncationReported = true;
            LOG.warn("Exec source {}: [{}] wrote a line longer than maxLineLength ({} characters); its first {} are "
                    + "the event, the rest is dropped (counted in {}; further ones are counted only)", name,
                    settings.command(), settings.maxLineLength(), settings.maxLineLength(), TRUNCATED_COUNTER);
        }
    }

    /** Delivers batches whose oldest line waited batchTimeout. */
    private void flushOnTimeout() {
        long period = Math.max(1, Math.min(settings.batchTimeout(), 100));
        try {
            while (running || runner.isAlive()) {
                synchronized (lock) {
                    if (!batch.isEmpty() && System.currentTimeMillis() - batchStartedAt >= settings.batchTimeout()) {
                        deliverLocked();
                    }
                    lock.wait(period);
                }
                if (!runner.isAlive()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliverBatch() throws InterruptedException {
        synchronized (lock) {
            deliverLocked();
        }
    }

    /**
     * Hands the batch to the channels, again after a backoff while they refuse it, until they take it or the
     * stop's delivery time is over. The reader waits meanwhile, and so does the command, on its full pipe.
     */
    private void deliverLocked() throws InterruptedException {
        long retry = FIRST_RETRY_MILLIS;
        while (!batch.isEmpty()) {
            counter.incrementAppendBatchReceivedCount();
            try {
                processor.processEventBatch(new ArrayList<>(batch));
                counter.addToEventAcceptedCount(batch.size());
                counter.incrementAppendBatchAcceptedCount();
                batch.clear();
                return;
            } catch (ChannelException e) {
                counter.incrementChannelWriteFail();
                LOG.warn("Exec source {}: the channels refused {} lines ({}); offering them again in {} ms", name,
                        batch.size(), e.getMessage(), retry);
            } catch (RuntimeException e) {
                counter.incrementChannelWriteFail();
                LOG.error("Exec source {}: handing {} lines to the channels failed; offering them again in {} ms",
                        name, batch.size(), retry, e);
            }
            if (System.currentTimeMillis() + retry > stopDeadline) {
                return; // stopping: run() reports what is left
            }
            lock.wait(retry);
            retry = Math.min(retry * 2, MAX_RETRY_MILLIS);
        }
    }

    private Thread logStderr(Process process) {
        Thread thread = new Thread(() -> {
            BufferedReader errors = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    settings.charset()));
            LineReader lines = new LineReader(errors, STDERR_LOG_CHARS);
            int number = 0;
            try {
                for (LineReader.Line line = lines.next(); line != null; line = lines.next()) {
                    LOG.info("StderrLogger[{}] = '{}'", ++number, LogText.of(line.text()));
                }
            } catch (IOException e) {
                LOG.debug("Exec source {}: stderr of [{}] ended: {}", name, settings.command(), e.toString());
            }
        }, "sluice-" + agent + "-source-" + name + "-stderr");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void stop() {
        ProcessTree current;
        synchronized (lock) {
            running = false;
            stopDeadline = System.currentTimeMillis() + STOP_DELIVERY_MILLIS;
            current = tree;
            lock.notifyAll();
        }
        try {
            if (current != null) {
                current.end();
            }
            Thread thread = runner;
            if (thread != null) {
                thread.join(STOP_DELIVERY_MILLIS + 2000);
                if (thread.isAlive()) {
                    // A process outside the group still holds the pipe: stop reading it.
                    LOG.warn("Exec source {}: the output of [{}] did not end; closing it", name, settings.command());
                    closeQuietly(current);
                    thread.interrupt();
                    thread.join(2000);
                }
            }
            if (flusher != null) {
                flusher.interrupt();
                flusher.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Exec source {} stopped", name);
    }

    private static void closeQuietly(ProcessTree current) {
        if (current == null) {
            return;
        }
        try {
            current.process().getInputStream().close();
        } catch (IOException e) {
            // closing a pipe we read from loses nothing more
        }
    }

    /** For tests: the process tree running now. */
    ProcessTree tree() {
        return tree;
    }

    /** Unused lines when the command ends are flushed by run(); waits for that in tests. */
    boolean awaitRunnerEnd(long millis) throws InterruptedException {
        runner.join(millis);
        return !runner.isAlive();
    }
}

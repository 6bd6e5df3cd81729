package org.sluice.platform.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.Channel;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.channel.Transaction;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.api.source.Source;

/**
 * Flume's avro-client on Sluice's components: events go through a small channel to the installed {@code avro} (or
 * {@code thrift}) sink, and each batch is delivered before the next is read, as Flume's client sends a batch and
 * waits for its answer before it reads on. The lines of a file or of standard input are read here, one event per
 * line; a spooling directory is read by the installed {@code spooldir} source, whose batch counts as done (and
 * whose file is renamed {@code .COMPLETED}) only once the sink has delivered it: a file is never marked sent with
 * events of it undelivered.
 *
 * <p>The first delivery that fails ends the run: the message says how many events were delivered before it. Flume's
 * client logs the failure and exits with 0; this one exits with 1, so a script can tell.
 */
final class AvroClient {
    private static final Logger LOG = LoggerFactory.getLogger(AvroClient.class);

    /** How long a spooling directory may hold unsent files without anything being delivered before giving up. */
    static final long STALL_MILLIS = 10_000;
    private static final String COMPLETED_SUFFIX = ".COMPLETED";

    private final AvroClientSettings settings;
    private final Channel channel;
    private final Sink sink;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** @param channel and {@code sink} started, the sink taking from the channel */
    AvroClient(AvroClientSettings settings, Channel channel, Sink sink) {
        this.settings = settings;
        this.channel = channel;
        this.sink = sink;
    }

    long delivered() {
        return delivered.get();
    }

    /** Where a source puts its batches: each one is delivered before the call returns, or the call fails. */
    ChannelProcessor deliverEachBatch() {
        return new ChannelProcessor() {
            @Override
            public void processEvent(Event event) throws ChannelException {
                processEventBatch(List.of(event));
            }

            @Override
            public void processEventBatch(List<Event> events) throws ChannelException {
                try {
                    deliver(events);
                } catch (EventDeliveryException e) {
                    failure.compareAndSet(null, e);
                    throw new ChannelException("the avro client could not deliver the batch: " + e.getMessage(), e);
                }
            }
        };
    }

    /**
     * Sends the lines of {@code input} in batches of the sink's batch size.
     *
     * @throws EventDeliveryException when a batch is not delivered; {@link #delivered()} says how many were
     */
    void sendLines(InputStream input, int batchSize) throws IOException, EventDeliveryException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        List<Event> batch = new ArrayList<>(batchSize);
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            batch.add(EventBuilder.withBody(line, StandardCharsets.UTF_8));
            if (batch.size() == batchSize) {
                deliver(batch);
                batch = new ArrayList<>(batchSize);
            }
        }
        if (!batch.isEmpty()) {
            deliver(batch);
        }
    }

    /**
     * Waits until the spooling directory source (started, putting through {@link #deliverEachBatch()}) has sent
     * every file of {@code directory}: none is left without the {@code .COMPLETED} suffix.
     *
     * @throws EventDeliveryException when a batch was not delivered
     * @throws IOException when files remain and nothing has been delivered for {@link #STALL_MILLIS} (the source
     *         refused them: its log says why)
     */
    void awaitDirectorySent(Path directory, Source source) throws IOException, EventDeliveryException,
            InterruptedException {
        long lastProgress = System.nanoTime();
        long lastDelivered = -1;
        List<Path> lastRemaining = null;
        while (true) {
            Exception failed = failure.get();
            if (failed != null) {
                throw failed instanceof EventDeliveryException e ? e
                        : new EventDeliveryException("delivery failed: " + failed.getMessage(), failed);
            }
            List<Path> remaining = unsent(directory);
            if (remaining.isEmpty()) {
                return;
            }
            if (delivered.get() != lastDelivered || !remaining.equals(lastRemaining)) {
                lastDelivered = delivered.get();
                lastRemaining = remaining;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
                throw new IOException("the spooling directory source sent nothing for " + STALL_MILLIS / 1000
                        + " s and these files are not sent: " + remaining + " (the log says why it refused them)");
            }
            Thread.sleep(100);
        }
    }

    /** The files of the directory the spooling source would still send (its defaults: not hidden, not done). */
    static List<Path> unsent(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .filter(file -> !file.getFileName().toString().endsWith(COMPLETED_SUFFIX))
                    .sorted().toList();
        }
    }

    /** Puts the batch with the client's headers in one transaction, then has the sink deliver all it holds. */
    private synchronized void deliver(List<Event> events) throws EventDeliveryException {
        Transaction transaction = channel.getTransaction();
        transaction.begin();
        try {
            for (Event event : events) {
                // As Flume's client: every event carries exactly the header file's headers.
                event.setHeaders(new HashMap<>(settings.headers()));
                channel.put(event);
            }
            transaction.commit();
        } catch (RuntimeException e) {
            transaction.rollback();
            throw new EventDeliveryException("cannot hand " + events.size() + " events to the sink: " + e, e);
        } finally {
            transaction.close();
        }
        while (sink.process() == Sink.Status.READY) {
            // each call delivered a batch; BACKOFF: the channel is empty
        }
        long total = delivered.addAndGet(events.size());
        LOG.debug("{} events delivered to {}", total, settings.target());
    }

    /** A header map's description for the log, without values (they may be anything). */
    static String describe(Map<String, String> headers) {
        return headers.isEmpty() ? "no headers" : "headers " + headers.keySet();
    }
}

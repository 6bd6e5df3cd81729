package org.sluice.sink.fileroll;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.counter.SinkCounter;
import org.sluice.api.event.Event;
import org.sluice.api.format.EventSerializer;
import org.sluice.api.format.EventSerializerFactory;
import org.sluice.api.sink.EventDeliveryException;
import org.sluice.api.sink.Sink;
import org.sluice.api.sink.SinkContext;
import org.sluice.support.sink.BatchTaker;
import org.sluice.support.sink.BatchWriter;

/**
 * Writes the events of each transaction to the current file, flushes them, and only then commits the take,
 * so a committed event is at least in the operating system's hands ({@code sink.fsync}: on the disk).
 *
 * <p>A scheduler closes the current file every {@code sink.rollInterval} seconds; the next event opens a new
 * one, so an idle sink leaves no empty files behind (Flume's opens one per interval). Batches and rolls take
 * the same lock: a roll never cuts a batch in two, and a batch never writes to a file being closed.
 *
 * <p>When a batch fails, its bytes are cut off the file again, the file is closed, the transaction rolls
 * back, and the next batch starts a new file.
 *
 * <p>Each file gets a serializer of its own, made when the file is opened, as Flume does: {@code afterCreate} on
 * the new file, {@code flush} before each commit, {@code beforeClose} when the file is rolled or the sink stops.
 * A file abandoned after a failed batch ends with its last committed batch, without what {@code beforeClose} would
 * have written.
 */
final class RollingFileSink implements Sink {
    /** Flume's logger name, so log configurations written for Flume still apply. */
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.sink.RollingFileSink");
    /** A file name already taken is skipped; this many in a row means something else is wrong. */
    private static final int MAX_NAME_ATTEMPTS = 1000;

    private final String agent;
    private final String name;
    private final SinkCounter counter;
    private final BatchTaker batches;
    private final BatchWriter writer = new FileWriter();
    private final PathManager files;
    private final EventSerializerFactory serializers;
    private final String serializerName;
    private final SinkContext context;
    private final long rollIntervalSeconds;
    private final boolean fsync;

    /** Fair, so a waiting roll gets its turn between two batches of a busy sink. */
    private final ReentrantLock lock = new ReentrantLock(true);
    /** The open file, or null; guarded by {@link #lock}. */
    private OutputFile current;
    /** The open file's serializer; guarded by {@link #lock}. */
    private EventSerializer serializer;
    private ScheduledExecutorService roller;

    /** @param serializerName what the serializer is, for the log */
    RollingFileSink(SinkContext context, PathManager files, EventSerializerFactory serializers, String serializerName,
            int batchSize, long rollIntervalSeconds, boolean fsync) {
        this.context = context;
        this.agent = context.agentName();
        this.name = context.componentName();
        this.counter = context.counter();
        this.batches = new BatchTaker(context, batchSize, "file_roll sink " + name);
        this.files = files;
        this.serializers = serializers;
        this.serializerName = serializerName;
        this.rollIntervalSeconds = rollIntervalSeconds;
        this.fsync = fsync;
    }

    @Override
    public void start() throws Exception {
        Path directory = files.directory();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new ConfigurationException(agent, name, "sink.directory",
                    "cannot create directory " + directory.toAbsolutePath() + ": " + e, e);
        }
        if (!Files.isWritable(directory)) {
            throw new ConfigurationException(agent, name, "sink.directory",
                    "directory " + directory.toAbsolutePath() + " is not writable");
        }
        if (rollIntervalSeconds > 0) {
            roller = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "file_roll-" + agent + "-" + name + "-roller");
                thread.setDaemon(true);
                return thread;
            });
            roller.scheduleAtFixedRate(this::roll, rollIntervalSeconds, rollIntervalSeconds, TimeUnit.SECONDS);
        }
        LOG.info("file_roll sink {} writing {} to {}, {}", name, serializerName, directory.toAbsolutePath(),
                rollIntervalSeconds > 0 ? "a new file every " + rollIntervalSeconds + " s" : "never rolling");
    }

    @Override
    public Status process() throws EventDeliveryException {
        lock.lock();
        try {
            return batches.takeBatch(writer);
        } finally {
            lock.unlock();
        }
    }

    /** The sink's part of each batch, under {@link #lock}: events into the current file, cut off again on failure. */
    private final class FileWriter implements BatchWriter {
        @Override
        public void write(Event event) throws IOException {
            openFile();
            serializer.write(event);
        }

        @Override
        public void flush(int written) throws IOException {
            if (written > 0) {
                serializer.flush();
                current.flush(fsync);
            }
        }

        @Override
        public void committed(int written) {
            if (written > 0) {
                current.committed();
            }
        }

        @Override
        public String destination() {
            return current == null ? null : current.toString();
        }

        @Override
        public void abandon(Throwable cause) {
            abandonFile(cause);
        }
    }

    private OutputFile openFile() throws IOException {
        if (current == null) {
            for (int attempt = 0; current == null; attempt++) {
                Path path = files.currentFile();
                try {
                    current = OutputFile.create(path);
                } catch (FileAlreadyExistsException e) {
                    if (attempt >= MAX_NAME_ATTEMPTS) {
                        counter.incrementConnectionFailedCount();
                        throw e;
                    }
                    files.rotate();
                } catch (IOException e) {
                    counter.incrementConnectionFailedCount();
                    throw e;
                }
            }
            counter.incrementConnectionCreatedCount();
            LOG.debug("file_roll sink {} opened {}", name, current);
            try {
                serializer = serializers.create(context, FileRollSinkFactory.SERIALIZER_KEYS, current.stream());
            } catch (ConfigurationException e) {
                // Flume builds the serializer when it opens a file, too: the batch fails and is taken again.
                throw new IOException("serializer " + serializerName + " could not be made: " + e.getMessage(), e);
            }
            serializer.afterCreate();
        }
        return current;
    }

    /** After a failed batch: cut the batch off the file and close it, so nothing of it stays on disk. */
    private void abandonFile(Throwable cause) {
        if (current == null) {
            return;
        }
        try {
            current.abandon();
            counter.incrementConnectionClosedCount();
        } catch (IOException e) {
            // The partial batch may stay in the file; its events are rolled back and will be written again.
            counter.incrementConnectionFailedCount();
            cause.addSuppressed(e);
        } finally {
            current = null;
            serializer = null;
            files.rotate();
        }
    }

    /** The scheduled roll: close the current file; the next event opens a new one. */
    private void roll() {
        lock.lock();
        try {
            closeFile();
        } finally {
            lock.unlock();
        }
    }

    private void closeFile() {
        if (current == null) {
            return;
        }
        OutputFile closing = current;
        EventSerializer ending = serializer;
        current = null;
        serializer = null;
        files.rotate();
        try {
            if (ending != null) {
                ending.flush();
                ending.beforeClose();
            }
        } catch (IOException | RuntimeException e) {
            // What was committed is in the file already; only the serializer's ending may be missing.
            LOG.error("file_roll sink {}: serializer {} failed to end {}", name, serializerName, closing, e);
        }
        try {
            closing.close();
            counter.incrementConnectionClosedCount();
            LOG.debug("file_roll sink {} closed {}", name, closing);
        } catch (IOException e) {
            // Every committed batch was flushed before its commit: closing loses no event, only the handle.
            counter.incrementConnectionFailedCount();
            LOG.error("file_roll sink {} could not close {}", name, closing, e);
        }
    }

    @Override
    public void stop() {
        if (roller != null) {
            // shutdown(), not shutdownNow(): a roll under way finishes its close instead of being interrupted.
            roller.shutdown();
            try {
                if (!roller.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("file_roll sink {}: roll thread did not end within 10 s", name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            closeFile();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "file_roll sink " + name;
    }
}

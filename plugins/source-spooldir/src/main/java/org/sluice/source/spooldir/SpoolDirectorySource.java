package org.sluice.source.spooldir;

import java.io.IOException;
import java.nio.charset.CharsetDecoder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.api.source.EventDrivenSource;
import org.sluice.api.source.SourceContext;
import org.sluice.source.spooldir.DirectoryScanner.Candidate;
import org.sluice.source.spooldir.PositionStore.Position;
import org.sluice.support.source.SourceThread;

/**
 * Reads the files dropped into a directory, one file at a time, {@code batchSize} events per channel
 * transaction, on a thread of its own. Which files to read and in what order is the {@link DirectoryScanner}'s
 * job, what becomes of a finished file the {@link FinishedFiles}', where reading stopped the
 * {@link PositionStore}'s; this class reads and delivers batches, and refuses the files that cannot be read.
 *
 * <p>What users rely on:
 * <ul>
 * <li>A file is renamed (or deleted, or marked) only after all its events are committed to the channels.</li>
 * <li>After each committed batch the position in the file is saved in trackerDir, so a restart continues
 * there: at most the batch that was in flight is delivered twice.</li>
 * <li>A batch the channels refuse is read again from the last committed position and offered again after a
 * backoff that doubles up to maxBackoff: nothing is skipped.</li>
 * <li>A file whose size or modification time changes after it was picked up, a file whose finished name
 * already exists, a file that cannot be decoded or read: the source says so in an ERROR and stops reading
 * that file (it stays where it is, with its position), and goes on with the others. A restart looks at it
 * again.</li>
 * </ul>
 */
final class SpoolDirectorySource implements EventDrivenSource {
    /** Flume's logger name, so existing log configurations keep working. */
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.source.SpoolDirectorySource");
    private static final long FIRST_BACKOFF = 250;
    /** How long stop() waits for a batch in flight (a channel put may wait its keep-alive) before interrupting. */
    private static final long STOP_WAIT_MILLIS = 10_000;

    enum Step { WORKED, IDLE, BACKOFF }

    private final SourceContext context;
    private final String agent;
    private final String name;
    private final ChannelProcessor processor;
    private final SourceCounter counter;
    private final Settings settings;
    private final PositionStore positions;
    private final FinishedFiles finished;
    private final DirectoryScanner scanner;
    private final Object pause = new Object();

    // Runner thread only (or the test thread, which calls open() and step() without start()).
    private final Set<String> refused = new HashSet<>();
    private SpooledFile current;

    private volatile boolean running;
    private SourceThread thread;

    SpoolDirectorySource(SourceContext context, Settings settings) {
        this.context = context;
        this.agent = context.agentName();
        this.name = context.componentName();
        this.processor = context.channelProcessor();
        this.counter = context.counter();
        this.settings = settings;
        this.positions = new PositionStore(settings.trackerDir());
        this.finished = new FinishedFiles(settings);
        this.scanner = new DirectoryScanner(settings, finished);
    }

    @Override
    public void start() throws IOException {
        open();
        running = true;
        thread = SourceThread.start(agent, name, "Spooling directory source " + name, this::run);
    }

    /**
     * Checks the directories and loads the saved positions. A missing or unwritable spoolDir is an ordinary
     * exception, not a configuration error: the platform retries the start, so creating the directory (or
     * mounting it) is enough to get going.
     */
    void open() throws IOException {
        Path dir = settings.spoolDir();
        if (!Files.isDirectory(dir)) {
            throw new IOException(problem("spoolDir", "'" + dir + "' does not exist or is not a directory"));
        }
        if (!Files.isReadable(dir) || !Files.isWritable(dir)) {
            throw new IOException(problem("spoolDir", "'" + dir + "' must be readable and writable: finished "
                    + "files are renamed there"));
        }
        try {
            Files.createDirectories(settings.trackerDir());
        } catch (IOException e) {
            throw new IOException(problem("trackerDir", "cannot create '" + settings.trackerDir() + "': " + e), e);
        }
        for (Position gone : positions.load(settings.spoolDir())) {
            // Finished (renamed or deleted) just before a crash, or taken away by hand: nothing to resume.
            LOG.info("Spooling directory source {}: {} is gone; forgot its saved position", name, gone.path());
        }
        // Where a Flume spooldir source on the same directory stopped, once: finished lines are not read again.
        FlumeTracker.takeOver(name, settings, positions, finished);
    }

    private String problem(String key, String message) {
        return "agent '" + agent + "', component '" + name + "', key '" + key + "': " + message;
    }

    private void run() {
        long backoff = FIRST_BACKOFF;
        try {
            while (running) {
                Step step;
                try {
                    step = step();
                } catch (IOException | RuntimeException e) {
                    // Listing the directory failed (it was removed, a permission changed), or a bug: no
                    // batch was committed in this step, so nothing is lost; look again after the poll delay.
                    counter.incrementGenericProcessingFail();
                    LOG.error("Spooling directory source {}: failed looking for or at files in {}", name,
                            settings.spoolDir(), e);
                    step = Step.IDLE;
                }
                switch (step) {
                    case WORKED -> backoff = FIRST_BACKOFF;
                    case IDLE -> pause(settings.pollDelay());
                    case BACKOFF -> {
                        pause(backoff);
                        backoff = Math.min(backoff * 2, settings.maxBackoff());
                    }
                }
            }
        } finally {
            closeCurrent();
        }
    }

    private void pause(long millis) {
        synchronized (pause) {
            if (running) {
                try {
                    pause.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        synchronized (pause) {
            pause.notifyAll();
        }
        SourceThread runner = thread;
        if (runner == null) {
            closeCurrent();
            return;
        }
        runner.stop(STOP_WAIT_MILLIS, LOG);
    }

    /** One unit of work: pick a file, or hand one batch to the channels, or finish a file. */
    Step step() throws IOException {
        if (current == null) {
            current = pickNext();
            if (current == null) {
                return Step.IDLE;
            }
        }
        SpooledFile file = current;
        String change = file.changeSincePickedUp();
        if (change != null) {
            refuse(file.relative, change);
            return Step.WORKED;
        }
        List<Event> batch = new ArrayList<>(Math.min(settings.batchSize(), 1024));
        try {
            for (byte[] body; batch.size() < settings.batchSize() && (body = file.reader.next()) != null; ) {
                batch.add(EventBuilder.withBody(body, headers(file)));
            }
        } catch (IOException e) {
            if (batch.isEmpty() || !file.reader.keepsEventsBeforeAnError()) {
                // Nothing of the batch is delivered: the file stays with its position, and a restart reads those
                // events again.

                counter.incrementEventReadFail();
                refuse(file.relative, e.getMessage() + " after " + file.events + " events; from "
                        + file.committedPosition() + " on it is not read");
                return Step.WORKED;
            }
            // The events before the bad one go first; the next step meets the error again at the same place.
            LOG.debug("Spooling directory source {}: read error in {} after {} events of the batch; "
                    + "delivering those first: {}", name, file.relative, batch.size(), e.getMessage());
        }
        if (batch.isEmpty()) {
            finish(file);
            return Step.WORKED;
        }
        counter.addToEventReceivedCount(batch.size());
        counter.incrementAppendBatchReceivedCount();
        try {
            processor.processEventBatch(batch);
        } catch (RuntimeException e) { // ChannelException, or a failure in an interceptor or selector
            // Not accepted: the same events are read again from the last committed position and offered
            // again after the backoff. Nothing is skipped.
            counter.incrementChannelWriteFail();
            if (e instanceof ChannelException) {
                LOG.warn("Spooling directory source {}: the channels refused {} events of {} ({}); retrying after "
                        + "a backoff", name, batch.size(), file.relative, e.getMessage());
            } else {
                LOG.error("Spooling directory source {}: handing {} events of {} to the channels failed; retrying "
                        + "after a backoff", name, batch.size(), file.relative, e);
            }
            try {
                file.reader.seek(file.committed);
            } catch (IOException seekFailure) {
                refuse(file.relative, "cannot go back to " + file.committedPosition() + " to offer the refused "
                        + "batch again: " + seekFailure);
            }
            return Step.BACKOFF;
        }
        file.events += batch.size();
        counter.addToEventAcceptedCount(batch.size());
        counter.incrementAppendBatchAcceptedCount();
        try {
            file.committed = file.reader.commit();
        } catch (IOException e) {
            refuse(file.relative, "the " + batch.size() + " events just committed cannot be marked as read (" + e
                    + "); the saved position stays at " + file.committedPosition() + ", so a restart delivers them "
                    + "again");
            return Step.WORKED;
        }
        Position position = new Position(file.relative, file.size, file.lastModified, file.committed, file.events,
                settings.deserializerName());
        try {
            positions.save(position);
        } catch (IOException e) {
            // The batch is in the channels; only its record is missing. The next batch's save records it,
            // and until then a crash would deliver it again (at-least-once): loud, but no reason to stop.
            counter.incrementGenericProcessingFail();
            LOG.error("Spooling directory source {}: cannot save the position in {} in {}; a restart now would "
                    + "read {} events again", name, file.relative, positions.directory(), batch.size(), e);
        }
        return Step.WORKED;
    }

    /** The next file to read: a partly read one first, then by consumeOrder; files that cannot be read are refused. */
    private SpooledFile pickNext() throws IOException {
        for (Candidate candidate : scanner.inReadingOrder(refused, positions.partlyRead())) {
            SpooledFile picked = pick(candidate);
            if (picked != null) {
                return picked;
            }
        }
        return null;
    }

    private SpooledFile pick(Candidate candidate) {
        Position saved = positions.get(candidate.relative());
        if (saved != null && (saved.size() != candidate.size() || saved.lastModified() != candidate.lastModified())) {
            refuse(candidate.relative(), "it changed since it was partly read (size " + saved.size() + " -> "
                    + candidate.size() + ", modified " + saved.lastModified() + " -> " + candidate.lastModified()
                    + "); " + saved.events() + " events were delivered");
            return null;
        }
        if (saved != null && !saved.deserializer().equals(settings.deserializerName())) {
            refuse(candidate.relative(), "it was partly read with deserializer " + saved.deserializer()
                    + " and the source now uses " + settings.deserializerName() + "; its saved position (" + saved.offset()
                    + ") means nothing to the new one. Set the deserializer back to finish it");
            return null;
        }
        Path taken = saved == null ? finished.takenFinishedName(candidate.path()) : null;
        if (taken != null) {
            refuse(candidate.relative(), "its name was used before: " + taken.getFileName()
                    + " exists; rename the new file to read it");
            return null;
        }
        EventReader reader = null;
        try {
            long offset = saved == null ? 0 : saved.offset();
            reader = reader(candidate, offset);
            Map<String, String> headers = headers(candidate);
            headers.putAll(reader.headers());
            SpooledFile picked = new SpooledFile(candidate, reader, offset, saved == null ? 0 : saved.events(), headers);
            if (saved != null) {
                LOG.info("Spooling directory source {}: continuing {} at {} after {} events", name,
                        candidate.relative(), picked.committedPosition(), saved.events());
            } else {
                LOG.info("Spooling directory source {}: reading {}", name, candidate.relative());
            }
            return picked;
        } catch (IOException e) {
            closeQuietly(reader, candidate.relative());
            refuse(candidate.relative(), "cannot open it: " + e);
            return null;
        }
    }

    /** A reader of the file, at {@code offset}: 0, or the position saved after the last committed batch. */
    private EventReader reader(Candidate candidate, long offset) throws IOException {
        EventReader reader;
        if (settings.deserializer() == Settings.Deserializer.BLOB) {
            reader = new BlobEventReader(candidate.path(), candidate.size(), settings.maxBlobLength());
        } else if (settings.deserializer() == Settings.Deserializer.AVRO) {
            reader = new AvroEventReader(candidate.path(), candidate.size(), settings.avroLiteralSchema(),
                    settings.batchSize());
        } else {
            CharsetDecoder decoder = settings.inputCharset().newDecoder()
                    .onMalformedInput(settings.decodeErrorAction())
                    .onUnmappableCharacter(settings.decodeErrorAction());
            CharReader chars = new CharReader(candidate.path(), candidate.size(), decoder);
            if (settings.deserializer() == Settings.Deserializer.PLUGIN) {
                // Made on the input at the position, as Flume makes one on its file's saved position.
                return PluginEventReader.open(settings.pluginDeserializers(), context, chars, candidate.size(),
                        offset);
            }
            reader = new LineEventReader(chars, settings.maxLineLength(), settings.outputCharset());
        }
        reader.seek(offset);
        return reader;
    }

    /**
     * An event's headers: those its deserializer gave it, then the file's (fileHeader, basenameHeader, the AVRO
     * schema's), which win, as in Flume.
     */
    private static Map<String, String> headers(SpooledFile file) {
        Map<String, String> own = file.reader.eventHeaders();
        if (own == null || own.isEmpty()) {
            return file.headers;
        }
        Map<String, String> headers = new HashMap<>(own);
        headers.putAll(file.headers);
        return headers;
    }

    private Map<String, String> headers(Candidate candidate) {
        Map<String, String> headers = new HashMap<>();
        if (settings.fileHeaderKey() != null) {
            headers.put(settings.fileHeaderKey(), candidate.path().toString());
        }
        if (settings.basenameHeaderKey() != null) {
            headers.put(settings.basenameHeaderKey(), candidate.path().getFileName().toString());
        }
        return headers;
    }

    /** All its events are committed: rename, delete or mark it, then forget its position. */
    private void finish(SpooledFile file) {
        String change = file.changeSincePickedUp();
        if (change != null) {
            refuse(file.relative, change);
            return;
        }
        closeCurrent();
        try {
            finished.finish(file.path, file.relative);
        } catch (FileAlreadyExistsException e) {
            refuse(file.relative, "its name was used before: " + e.getFile() + " exists; all " + file.events
                    + " events were delivered, rename or remove the file by hand");
            return;
        } catch (IOException e) {
            refuse(file.relative, "all " + file.events + " events were delivered but it cannot be "
                    + finished.action() + ": " + e);
            return;
        }
        try {
            positions.delete(file.relative);
        } catch (IOException e) {
            // The file is finished; a leftover position names a file that no longer exists and is dropped
            // at the next start.
            LOG.error("Spooling directory source {}: cannot delete the saved position of {}", name, file.relative, e);
        }
        LOG.info("Spooling directory source {}: finished {} ({} events read and committed)", name, file.relative,
                file.events);
    }

    private void refuse(String relative, String reason) {
        refused.add(relative);
        counter.incrementGenericProcessingFail();
        if (current != null && current.relative.equals(relative)) {
            closeCurrent();
        }
        LOG.error("Spooling directory source {}: stops reading {}: {}. The file is left as it is; files in the "
                + "spooling directory must be complete and never change, and their names must not be reused. "
                + "It is looked at again after a restart.", name, relative, reason);
    }

    private void closeCurrent() {
        SpooledFile file = current;
        current = null;
        if (file != null) {
            closeQuietly(file.reader, file.relative);
        }
    }

    private void closeQuietly(EventReader reader, String relative) {
        if (reader == null) {
            return;
        }
        try {
            reader.close();
        } catch (IOException e) {
            LOG.warn("Spooling directory source {}: cannot close {}: {}", name, relative, e.toString());
        }
    }

    @Override
    public String toString() {
        return "spooling directory source " + name;
    }
}

package org.sluice.channel.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.event.Event;
import org.sluice.support.log.AppendLog;
import org.sluice.support.log.CorruptRecordException;
import org.sluice.support.log.FileOpener;

/**
 * Takes over the events an Apache Flume file channel left in the directories this channel is configured with: at
 * start, before anything of Sluice's is read or written there, a Flume channel's checkpoint and data files are
 * recognised by their metadata files, the queue Flume would recover is computed ({@link FlumeReplay}), and its events
 * are imported once into Sluice's format. Why an import and not reading Flume's files in place: docs/file-channel.md.
 *
 * <p>The import is atomic. Flume's files are only read until the imported events are written, in Sluice's format, to
 * a staging directory ({@value #STAGING} in the first data directory) and forced to the disk. Then a commit file
 * ({@value #COMMIT} in the checkpoint directory) is written and renamed into place: from that moment the import is
 * decided. Flume's files are then moved, unchanged, to {@code flume-original/} in each of their directories, the
 * staged files into the data directory, and the commit file is removed. A crash before the commit file leaves Flume's
 * files as they were (the staging directory is dropped and the import done again at the next start); a crash after it
 * is finished by the next start, which moves what was not moved yet. Flume's files are kept: nothing of them is
 * deleted, so the operator can check the result, and go back to Flume by moving them back.
 */
final class FlumeTakeover {
    private static final Logger LOG = LoggerFactory.getLogger(FileChannel.LOGGER);

    static final String STAGING = "flume-takeover.staging";
    static final String COMMIT = "flume-takeover.commit";
    static final String ORIGINALS = "flume-original";
    /** Flume's files in a checkpoint or backup checkpoint directory. */
    private static final Pattern CHECKPOINT_FILES = Pattern.compile(
            "checkpoint|checkpoint[.-].*|inflightputs|inflighttakes|queueset|backupComplete");
    /** Flume's files in a data directory: data files and their metadata, with what a crash leaves of a rewrite. */
    private static final Pattern DATA_FILES = Pattern.compile("log-\\d{1,9}(\\.meta(\\.tmp|\\.old)?)?");
    /** Events imported per transaction, and bytes at most (a smaller maxFileSize makes them smaller). */
    private static final int BATCH_EVENTS = 1000;
    private static final int BATCH_BYTES = 4 << 20;

    /** The takeover cannot be done as configured; Flume's files are untouched and the message says what to do. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** What a takeover did: nothing ({@link #NONE}), or the events imported and those lost to damage. */
    record Result(int imported, int lost, String source) {
        static final Result NONE = new Result(0, 0, null);
    }

    /** Where a test stops a takeover, as a crash would: after staging, and after the decision. */
    interface Interruption {
        Interruption NONE = stage -> { };

        void at(String stage) throws IOException;
    }

    private final String name;
    private final FileChannel.Settings settings;
    private final FileOpener opener;
    private final DataLog.SpaceProbe probe;
    private final Interruption interruption;

    FlumeTakeover(String name, FileChannel.Settings settings, FileOpener opener, DataLog.SpaceProbe probe) {
        this(name, settings, opener, probe, Interruption.NONE);
    }

    FlumeTakeover(String name, FileChannel.Settings settings, FileOpener opener, DataLog.SpaceProbe probe,
            Interruption interruption) {
        this.name = name;
        this.settings = settings;
        this.opener = opener;
        this.probe = probe;
        this.interruption = interruption;
    }

    /** Whether the directories hold a Flume file channel's checkpoint or data files (at their top level). */
    static boolean found(Path checkpointDir, List<Path> dataDirs) throws IOException {
        if (FlumeCheckpoint.present(checkpointDir)) {
            return true;
        }
        for (Path dir : dataDirs) {
            if (!flumeDataFiles(dir).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs at start, with the directories locked: finishes an import a crash interrupted, or imports the events of a
     * Flume channel found in the directories; does nothing if there is neither.
     */
    Result run() throws IOException {
        Path commit = settings.checkpointDir().resolve(COMMIT);
        if (Files.exists(commit)) {
            Properties decided = new Properties();
            try (InputStream in = Files.newInputStream(commit)) {
                decided.load(in);
            }
            LOG.info("Channel {}: finishing the takeover of Flume's file channel that the last start began", name);
            moveIntoPlace(decided.getProperty("originals", ORIGINALS));
            return new Result(Integer.parseInt(decided.getProperty("events", "0")),
                    Integer.parseInt(decided.getProperty("lost", "0")), decided.getProperty("source", "?"));
        }
        if (!found(settings.checkpointDir(), settings.dataDirs())) {
            return Result.NONE;
        }
        refuseMixedDirectories();
        Path staging = settings.dataDirs().get(0).resolve(STAGING);
        deleteTree(staging);
        Imported imported = importInto(staging);
        interruption.at("staged");
        String originals = freeOriginalsName();
        Properties decided = new Properties();
        decided.setProperty("originals", originals);
        decided.setProperty("events", Integer.toString(imported.events()));
        decided.setProperty("lost", Integer.toString(imported.lost()));
        decided.setProperty("source", imported.source());
        Path temporary = settings.checkpointDir().resolve(COMMIT + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            decided.store(out, "Sluice: the import of Flume's file channel is decided; a start finishes it");
        }
        try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(temporary,
                StandardOpenOption.WRITE)) {
            file.force(true);
        }
        Files.move(temporary, commit, StandardCopyOption.ATOMIC_MOVE);
        AppendLog.forceDirectory(settings.checkpointDir());
        interruption.at("decided");
        moveIntoPlace(originals);
        return new Result(imported.events(), imported.lost(), imported.source());
    }

    private record Imported(int events, int lost, String source) {
    }

    /** Computes Flume's queue and writes its events to {@code staging} in Sluice's format, forced. */
    private Imported importInto(Path staging) throws IOException {
        FlumeCheckpoint checkpoint = null;
        String source = "a full replay of Flume's data files";
        try {
            checkpoint = FlumeCheckpoint.read(settings.checkpointDir(), false);
            if (checkpoint != null) {
                source = "Flume's checkpoint in " + settings.checkpointDir();
            }
        } catch (FlumeCheckpoint.InvalidException e) {
            LOG.warn("Channel {}: {}; {}", name, e.getMessage(), settings.backupCheckpointDir() == null
                    ? "replaying Flume's data files whole, as Flume would" : "trying the backup checkpoint");
        }
        if (checkpoint == null && settings.backupCheckpointDir() != null) {
            try {
                checkpoint = FlumeCheckpoint.read(settings.backupCheckpointDir(), true);
                if (checkpoint != null) {
                    source = "Flume's backup checkpoint in " + settings.backupCheckpointDir();
                }
            } catch (FlumeCheckpoint.InvalidException e) {
                LOG.warn("Channel {}: {}; replaying Flume's data files whole, as Flume would", name, e.getMessage());
            }
        }
        TreeMap<Integer, FlumeDataFile> files = new TreeMap<>();
        for (Path dir : settings.dataDirs()) {
            for (Path path : flumeDataFiles(dir)) {
                FlumeDataFile file = FlumeDataFile.open(name, path, settings.encryption());
                if (files.put(file.id(), file) != null) {
                    throw new Refused("channel " + name + ": two of Flume's data files have id " + file.id()
                            + " (" + path + "); was a data directory copied into another?");
                }
            }
        }
        int[] damaged = new int[1];
        FlumeReplay.Result queue = new FlumeReplay(List.copyOf(files.values()), checkpoint, (file, offset, what) -> {
            damaged[0]++;
            LOG.error("Channel {}: Flume's data file {} is damaged at offset {}: {}", name, file, offset, what);
        }).run();
        if (queue.pendingTakes() > 0) {
            LOG.info("Channel {}: {} takes committed in Flume's files are of events no longer there; ignored, as "
                    + "Flume ignores them", name, queue.pendingTakes());
        }
        requireSpace(files, queue);
        int maxId = files.isEmpty() ? 0 : files.lastKey();
        Files.createDirectories(staging);
        DataLog log = new DataLog(name, List.of(staging), settings.maxFileSize(), settings.encryption(), opener);
        int written = 0;
        int attempted = 0;
        try {
            // Sluice's file ids follow Flume's, so no name is ever taken twice while both are in a directory.
            log.reserveIdsBelow(maxId + 1);
            Batch batch = new Batch(log);
            List<Long> head = distinct(queue.head());
            attempted = head.size() + queue.queue().length;
            for (Event event : headEvents(files, head)) {
                batch.add(event);
                written++;
            }
            for (long pointer : queue.queue()) {
                FlumeRecords.Record record = readPut(files, pointer);
                if (record != null) {
                    batch.add(record.event());
                    written++;
                }
            }
            batch.commit();
        } finally {
            log.close();
            files.values().forEach(FlumeDataFile::close);
        }
        int lost = attempted - written;
        AppendLog.forceDirectory(staging);
        LOG.info("Channel {}: read {} records of {} Flume data files from {}{}: {} events to take over", name,
                queue.records(), files.size(), source, damaged[0] > 0 ? " (" + damaged[0] + " damaged)" : "",
                written);
        return new Imported(written, lost, source);
    }

    /**
     * The events of takes that never committed, which go back first: Flume does not record their order among
     * themselves, so they come in the order they were put (their write order).
     */
    private List<Event> headEvents(Map<Integer, FlumeDataFile> files, List<Long> pointers) throws IOException {
        record Read(long writeOrder, Event event) {
        }
        List<Read> reads = new ArrayList<>();
        for (long pointer : pointers) {
            FlumeRecords.Record record = readPut(files, pointer);
            if (record != null) {
                reads.add(new Read(record.writeOrderId(), record.event()));
            }
        }
        reads.sort(Comparator.comparingLong(Read::writeOrder));
        return reads.stream().map(Read::event).toList();
    }

    private static List<Long> distinct(long[] values) {
        Set<Long> set = new LinkedHashSet<>();
        for (long value : values) {
            set.add(value);
        }
        return List.copyOf(set);
    }

    /** The PUT record a pointer names, or null, logged, if it is lost (its file is gone, or it is damaged). */
    private FlumeRecords.Record readPut(Map<Integer, FlumeDataFile> files, long pointer) throws IOException {
        FlumeDataFile file = files.get(FlumeRecords.fileId(pointer));
        if (file == null) {
            LOG.error("Channel {}: Flume's queue holds an event in data file log-{} at offset {}, but that file is "
                    + "missing; the event is lost", name, FlumeRecords.fileId(pointer), FlumeRecords.offset(pointer));
            return null;
        }
        try {
            return file.readPut(FlumeRecords.offset(pointer));
        } catch (CorruptRecordException e) {
            LOG.error("Channel {}: an event of Flume's queue cannot be read: {}; the event is lost", name,
                    e.getMessage());
            return null;
        }
    }

    /** Refuses to start an import that the data directory cannot hold, before anything is written. */
    private void requireSpace(Map<Integer, FlumeDataFile> files, FlumeReplay.Result queue) throws IOException {
        long needed = 0;
        for (long[] pointers : new long[][] {queue.head(), queue.queue()}) {
            for (long pointer : pointers) {
                FlumeDataFile file = files.get(FlumeRecords.fileId(pointer));
                if (file != null) {
                    // Sluice's record of an event is about as long as Flume's: framing instead of protobuf tags.
                    needed += file.recordLength(FlumeRecords.offset(pointer)) + Records.RECORD_HEADER
                            + Records.PAYLOAD_PREFIX;
                }
            }
        }
        Path dir = settings.dataDirs().get(0);
        long usable = probe.usableSpace(dir);
        if (usable - needed < settings.minimumRequiredSpace()) {
            throw new Refused("channel " + name + ": taking over Flume's file channel copies its " + needed
                    + " bytes of events into Sluice's format in " + dir + ", which has " + usable + " bytes free and "
                    + "must keep minimumRequiredSpace " + settings.minimumRequiredSpace() + "; free space there. "
                    + "Nothing was changed; Flume's files are as they were");
        }
    }

    /** Collects events into transactions of Sluice's format and commits them to the staging log. */
    private final class Batch {
        private final DataLog log;
        private final AppendLog.Writer writer;
        private final long limit;
        private ByteBuffer records = ByteBuffer.allocate(64 << 10);
        private int[] putOffsets = new int[BATCH_EVENTS];
        private int puts;
        private long sequence;

        Batch(DataLog log) {
            this.log = log;
            this.writer = log.writer(0);
            long room = settings.maxFileSize() - Records.MAX_FILE_HEADER - Records.RECORD_HEADER
                    - Records.COMMIT_PAYLOAD;
            this.limit = Math.min(BATCH_BYTES, room);
        }

        void add(Event event) throws IOException {
            int size = Records.putRecordSize(event);
            if (puts > 0 && (puts == BATCH_EVENTS || records.position() + size > limit)) {
                commit();
            }
            if (size > limit) {
                throw new Refused("channel " + name + ": an event of Flume's channel takes " + size + " bytes, more "
                        + "than a data file of maxFileSize " + settings.maxFileSize() + " holds; raise maxFileSize. "
                        + "Nothing was changed; Flume's files are as they were");
            }
            if (records.remaining() < size + Records.RECORD_HEADER + Records.COMMIT_PAYLOAD) {
                ByteBuffer grown = ByteBuffer.allocate(Math.max(records.capacity() * 2,
                        records.position() + size + Records.RECORD_HEADER + Records.COMMIT_PAYLOAD));
                records.flip();
                records = grown.put(records);
            }
            if (puts == 0) {
                sequence++;
            }
            putOffsets[puts++] = records.position();
            Records.writePut(records, sequence, event);
        }

        void commit() throws IOException {
            if (puts == 0) {
                return;
            }
            Records.writeCommit(records, sequence, sequence, puts, 0);
            records.flip();
            AppendLog.Appended appended = log.append(writer, records, putOffsets, puts);
            appended.file().syncTo(appended.end());
            records.clear();
            puts = 0;
        }
    }

    /**
     * Finishes a decided import: Flume's files to {@code originals} in each of their directories, then the staged
     * files into the first data directory; then the commit file goes. Each step is a rename, done again harmlessly
     * after a crash: what was moved already is no longer there to move.
     */
    private void moveIntoPlace(String originals) throws IOException {
        List<Path> checkpointDirs = new ArrayList<>();
        checkpointDirs.add(settings.checkpointDir());
        if (settings.backupCheckpointDir() != null) {
            checkpointDirs.add(settings.backupCheckpointDir());
        }
        List<Path> moved = new ArrayList<>();
        for (Path dir : checkpointDirs) {
            moved.addAll(moveAside(dir, CHECKPOINT_FILES, originals));
        }
        for (Path dir : settings.dataDirs()) {
            moved.addAll(moveAside(dir, DATA_FILES, originals));
        }
        Path dataDir = settings.dataDirs().get(0);
        Path staging = dataDir.resolve(STAGING);
        if (Files.isDirectory(staging)) {
            for (Path file : DataLog.list(staging).values()) {
                Files.move(file, dataDir.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }
            AppendLog.forceDirectory(dataDir);
            deleteTree(staging);
        }
        Files.delete(settings.checkpointDir().resolve(COMMIT));
        AppendLog.forceDirectory(settings.checkpointDir());
        Set<Path> kept = new LinkedHashSet<>();
        for (Path path : moved) {
            kept.add(path.getParent());
        }
        LOG.info("Channel {}: Flume's files are kept unchanged in {}; delete them once the takeover is checked "
                + "(moving them back, with Sluice's files moved away, returns the channel to Flume as it was)", name,
                kept.isEmpty() ? "the flume-original directories" : kept);
    }

    private static List<Path> moveAside(Path dir, Pattern names, String originals) throws IOException {
        List<Path> moved = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return moved;
        }
        Path target = dir.resolve(originals);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (names.matcher(entry.getFileName().toString()).matches()) {
                    Files.createDirectories(target);
                    Path to = target.resolve(entry.getFileName());
                    Files.move(entry, to, StandardCopyOption.ATOMIC_MOVE);
                    moved.add(to);
                }
            }
        }
        if (!moved.isEmpty()) {
            AppendLog.forceDirectory(target);
            AppendLog.forceDirectory(dir);
        }
        return moved;
    }

    /** {@value #ORIGINALS}, or with a number if a directory has one already (an earlier takeover). */
    private String freeOriginalsName() {
        List<Path> dirs = new ArrayList<>(settings.dataDirs());
        dirs.add(settings.checkpointDir());
        if (settings.backupCheckpointDir() != null) {
            dirs.add(settings.backupCheckpointDir());
        }
        for (int n = 1; ; n++) {
            String candidate = n == 1 ? ORIGINALS : ORIGINALS + "-" + n;
            if (dirs.stream().noneMatch(dir -> Files.exists(dir.resolve(candidate)))) {
                return candidate;
            }
        }
    }

    /** Flume's data files at the top of {@code dir}: {@code log-N} with its metadata file, in id order. */
    private static List<Path> flumeDataFiles(Path dir) throws IOException {
        TreeMap<Integer, Path> found = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "log-*")) {
            for (Path entry : entries) {
                String fileName = entry.getFileName().toString();
                int id = FlumeDataFile.idOf(fileName);
                if (id >= 0 && hasMeta(entry)) {
                    found.put(id, entry);
                }
            }
        }
        return List.copyOf(found.values());
    }

    private static boolean hasMeta(Path dataFile) {
        String base = dataFile.getFileName() + FlumeDataFile.META_SUFFIX;
        return Files.exists(dataFile.resolveSibling(base)) || Files.exists(dataFile.resolveSibling(base + ".tmp"))
                || Files.exists(dataFile.resolveSibling(base + ".old"));
    }

    /**
     * Sluice's own files beside Flume's: the directories were used by both. Importing would mix two queues whose
     * order nobody knows, so the operator decides.
     */
    private void refuseMixedDirectories() throws IOException {
        for (Path dir : settings.dataDirs()) {
            for (Path file : DataLog.list(dir).values()) {
                if (!hasMeta(file)) {
                    throw new Refused("channel " + name + ": " + dir + " holds Flume's file channel files and "
                            + file.getFileName() + ", which is not Flume's (Sluice's, or Flume 1.2's); give the "
                            + "channel directories that hold one channel's files only");
                }
            }
        }
        Path checkpoint = settings.checkpointDir().resolve(Checkpoint.FILE);
        if (Files.exists(checkpoint) && !Files.exists(settings.checkpointDir().resolve(FlumeCheckpoint.META))) {
            try (InputStream in = Files.newInputStream(checkpoint)) {
                byte[] start = in.readNBytes(8);
                if (start.length == 8 && ByteBuffer.wrap(start).getLong() != FlumeRecords.VERSION) {
                    throw new Refused("channel " + name + ": " + settings.checkpointDir() + " holds a checkpoint "
                            + "that is not Flume's beside Flume's file channel files; give the channel directories "
                            + "that hold one channel's files only");
                }
            } catch (NoSuchFileException e) {
                // Gone meanwhile: nothing to refuse.
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}

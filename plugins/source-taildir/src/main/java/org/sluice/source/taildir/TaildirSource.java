package org.sluice.source.taildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.api.source.EventDrivenSource;
import org.sluice.api.source.SourceContext;
import org.sluice.source.taildir.FileId.Stat;
import org.sluice.source.taildir.LineSplitter.Line;
import org.sluice.support.source.SourceThread;

/**
 * Tails the files of its file groups on a thread of its own: each look lists the groups' files, follows every
 * file by its inode, and hands its new lines to the channels, {@code batchSize} per transaction. With
 * {@code readerThreads} above 1, a look reads several files at once on reader threads beside its own; everything
 * else (looking, rotation, positions) stays on the source's thread, between the reads. The offset after
 * a file's last committed line is its position; positions go to the position file every writePosInterval and at
 * stop, so a restart reads again at most what was committed since the last write (at least once, as Flume). The
 * first bytes of each file go beside it ({@link HeadFile}), so a restart knows a file renamed meanwhile.
 *
 * <p>Rotation gives every line once:
 * <ul>
 * <li>rename and create: the renamed file keeps its inode, and it is read through the descriptor the source holds,
 * to its end, under whatever name (or none) it has now; the new file is a new inode, read from its start;</li>
 * <li>copytruncate: a new file whose first bytes are a tailed file's is held back until that file is truncated,
 * and then read from the offset the tailed file was committed up to (the rest of it was in the copy only);</li>
 * <li>compression of the old file: a compressed file (gzip, bzip2, xz, zstd, lz4) is never read; its lines were
 * read from the file it was made of.</li>
 * </ul>
 * A line is complete at its newline: bytes after the last newline wait for it, except in a file that left the
 * group's names and has not grown for idleTimeout, whose last bytes are the last line. A file that shrank below
 * the offset read is read again from its start. Where the file system tells of changes (inotify), a change wakes
 * the source at once; otherwise it looks again after a backoff of backoffSleepIncrement steps up to
 * maxBackoffSleep, as Flume's runner does.
 */
final class TaildirSource implements EventDrivenSource {

    /** Flume's logger name, so existing log configurations keep working. */
    static final Logger LOG = LoggerFactory.getLogger("org.apache.flume.source.taildir.TaildirSource");

    static final String BYTE_OFFSET_HEADER = "byteoffset";
    /** Sluice's counter of lines (or multi-line events) cut at maxLineLength. */
    static final String TRUNCATED_COUNTER = "TruncatedLineCount";
    /** How long a copy of a tailed file may wait for that file's truncation after it stopped growing. */
    static final long COPY_HOLD_MILLIS = 3000;
    /**
     * A file modified less than this long ago whose size and modification time did not change since the last look
     * has its first bytes checked: within one tick of a file system's clock a file can be truncated and written
     * again to the same size and time (copytruncate between two looks).
     */
    static final long COARSE_CLOCK_MILLIS = 10_000;
    /** How long a new file too short to tell from a copy waits to grow. */
    static final long UNDECIDED_HOLD_MILLIS = 1000;
    /** How often the source looks while a new file is held back. */
    static final long HOLD_RECHECK_MILLIS = 100;
    static final long FIRST_RETRY_MILLIS = 1000;
    static final long MAX_RETRY_MILLIS = 5000;
    /** How long stop() lets the source finish files that left their names, and a batch in flight. */
    static final long STOP_DRAIN_MILLIS = 5000;
    static final long STOP_WAIT_MILLIS = 15_000;
    static final int CHUNK_BYTES = 128 * 1024;
    /** How long a reader thread without files to read waits before it ends. */
    static final long READER_IDLE_SECONDS = 60;

    private enum Outcome { WORKED, IDLE, REFUSED }

    private final String agent;
    private final String name;
    private final ChannelProcessor processor;
    private final SourceCounter counter;
    private final Settings settings;
    private final PositionFile positionFile;
    private final HeadFile headFile;
    private final List<FileFinder> finders = new ArrayList<>();

    // The source's thread only (or a test's, which calls open(), pass() and close() itself).
    private final Map<FileId, TailedFile> files = new LinkedHashMap<>();
    /**
     * Compressed files, by identity, as last seen: never read. A file that changes is looked at again, because a
     * deleted file's inode may be a new file's by now.
     */
    private final Map<FileId, Stat> compressed = new HashMap<>();
    /** Names a file could not be opened under, reported once each until they open. */
    private final Set<Path> unreadable = new HashSet<>();
    private final Map<Path, WatchKey> watched = new HashMap<>();
    /** One per reading thread: [0] the source's own, the others its readers' (readerThreads). */
    private final ReadChunk[] chunks;
    /** The threads that read files beside the source's own (readerThreads - 1), made at the first need. */
    private ThreadPoolExecutor readers;
    private Map<Long, PositionFile.Entry> startPositions;
    private Map<Long, byte[]> startHeads = Map.of();
    private boolean firstLook = true;
    private boolean positionsChanged = true;
    private long positionsWrittenAt;
    private long retryDelay = FIRST_RETRY_MILLIS;
    private int idleLooks;

    private volatile boolean running;
    /** finish() ran: files closed, positions written. */
    private boolean finished;
    private volatile WatchService watcher;
    private SourceThread thread;

    TaildirSource(SourceContext context, Settings settings) {
        this.agent = context.agentName();
        this.name = context.componentName();
        this.processor = context.channelProcessor();
        this.counter = context.counter();
        this.settings = settings;
        this.positionFile = new PositionFile(settings.positionFile());
        this.headFile = new HeadFile(settings.positionFile());
        for (FileGroup group : settings.groups()) {
            finders.add(new FileFinder(group, settings.cachePatternMatching()));
        }
        this.chunks = new ReadChunk[settings.readerThreads()];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = new ReadChunk(CHUNK_BYTES);
        }
    }

    @Override
    public void start() throws IOException {
        open();
        running = true;
        thread = SourceThread.start(agent, name, "Taildir source " + name, this::run);
    }

    /**
     * Checks the groups' directories, reads the position file and starts watching. A missing directory fails
     * the start with an ordinary exception: the platform tries again, so creating it is enough (Flume's source
     * does not start either).
     */
    void open() throws IOException {
        for (FileGroup group : settings.groups()) {
            if (!group.walks() && !Files.isDirectory(group.directory())) {
                throw new IOException(problem("filegroups." + group.name(), "the directory " + group.directory()
                        + " does not exist"));
            }
        }
        try {
            Path parent = settings.positionFile().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new IOException(problem("positionFile", "cannot create the directory of "
                    + settings.positionFile() + ": " + e), e);
        }
        List<PositionFile.Entry> entries;
        try {
            entries = positionFile.read();
        } catch (PositionFile.DamagedException e) {
            throw new IOException(problem("positionFile", e.getMessage() + ". Repair or remove it: without it "
                    + "every file is read from its " + (settings.skipToEnd() ? "end" : "start")), e);
        }
        startPositions = new HashMap<>();
        for (PositionFile.Entry entry : entries) {
            startPositions.put(entry.inode(), entry);
        }
        try {
            startHeads = headFile.read();
        } catch (IOException e) {
            LOG.warn("Taildir source {}: cannot read {} ({}); saved positions are used as Flume uses them, for "
                    + "their inode and path only", name, headFile.path(), e.getMessage());
        }
        try {
            watcher = FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("Taildir source {}: no file system notifications ({}); looking for changes by polling", name,
                    e.toString());
        }
        LOG.info("Taildir source {}: tailing {} with positions in {} ({} known)", name,
                settings.groups().stream().map(FileGroup::configured).toList(), settings.positionFile(),
                entries.size());
    }

    private String problem(String key, String message) {
        return "agent '" + agent + "', component '" + name + "', key '" + key + "': " + message;
    }

    private void run() {
        try {
            while (running) {
                Outcome outcome = pass();
                if (!running) {
                    break;
                }
                switch (outcome) {
                    case WORKED -> {
                        idleLooks = 0;
                        drainNotifications();
                    }
                    case IDLE -> {
                        idleLooks++;
                        long backoff = Math.min(idleLooks * settings.backoffSleepIncrement(),
                                settings.maxBackoffSleep());
                        await(Math.min(backoff, untilNextDeadline(System.currentTimeMillis())));
                    }
                    case REFUSED -> {
                        await(retryDelay);
                        retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MILLIS);
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            counter.incrementGenericProcessingFail();
            LOG.error("Taildir source {}: stopped by an unexpected failure; the committed positions are kept", name,
                    e);
        } finally {
            finish();
        }
    }

    /** One look: find the files, read what is new, close what is idle, save the positions when due. */
    Outcome pass() {
        long now = System.currentTimeMillis();
        try {
            look(now);
        } catch (IOException | RuntimeException e) {
            counter.incrementGenericProcessingFail();
            LOG.error("Taildir source {}: looking for files failed; trying again", name, e);
        }
        Outcome outcome = readFiles(now);
        closeIdle(System.currentTimeMillis());
        writePositionsIfDue(System.currentTimeMillis(), false);
        return outcome;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Finding files

    private void look(long now) throws IOException {
        Set<FileId> seen = new HashSet<>();
        List<TailedFile> truncated = new ArrayList<>();
        for (FileFinder finder : finders) {
            // Watched before the listing too: a file created while the listing runs wakes the next look, not
            // the backoff's end. After it, directories a walk found for the first time.
            watch(finder);
            List<Path> paths;
            try {
                paths = finder.files(now);
            } catch (NoSuchFileException e) {
                LOG.debug("Taildir source {}: the directory of {} is gone", name, finder.group().configured());
                continue;
            }
            watch(finder);
            List<Map.Entry<Path, Stat>> found = new ArrayList<>();
            for (Path path : paths) {
                try {
                    found.add(Map.entry(path, FileId.stat(path)));
                } catch (NoSuchFileException e) {
                    // removed since the listing
                }
            }
            // Flume's order: the least recently modified first.
            found.sort(Comparator.comparingLong(entry -> entry.getValue().modified()));
            for (Map.Entry<Path, Stat> entry : found) {
                Path path = entry.getKey();
                Stat stat = entry.getValue();
                if (!seen.add(stat.id())) {
                    continue; // a second name of the same file: the first one found is used
                }
                if (stillCompressed(path, stat)) {
                    continue;
                }
                TailedFile file = files.get(stat.id());
                if (file == null) {
                    discover(finder.group(), path, stat, now);
                } else {
                    follow(file, path, stat, now, truncated);
                }
            }
        }
        compressed.keySet().retainAll(seen);
        for (Iterator<TailedFile> it = files.values().iterator(); it.hasNext(); ) {
            TailedFile file = it.next();
            if (seen.contains(file.id)) {
                continue;
            }
            if (file.heldSince >= 0 || (!file.isOpen() && !reopenUnderAnotherName(file))) {
                forget(file);
                it.remove();
                continue;
            }
            if (file.attached) {
                file.attached = false;
                positionsChanged = true;
                LOG.info("Taildir source {}: {} left the names of its group; reading it to its end", name, file);
            }
        }
        for (TailedFile file : truncated) {
            truncatedOrCopied(file);
        }
        for (TailedFile file : truncatedUnderAWaitingCopy()) {
            truncatedOrCopied(file);
        }
        releaseHeld(now);
        firstLook = false;
    }

    /**
     * Whether the file is a compressed file seen before: unchanged since, or still starting as a compressed file
     * does (gzip writing it). A file that changed into something else got a compressed file's freed inode.
     */
    private boolean stillCompressed(Path path, Stat stat) {
        Stat known = compressed.get(stat.id());
        if (known == null) {
            return false;
        }
        if (known.size() == stat.size() && known.modified() == stat.modified()) {
            return true;
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(path)) {
            byte[] start = TailedFile.readStart(channel, 16);
            if (start.length == 0 || Compression.isCompressed(start, start.length)) {
                compressed.put(stat.id(), stat);
                return true;
            }
        } catch (IOException e) {
            return true; // gone meanwhile: the next look will not find it
        }
        compressed.remove(stat.id());
        LOG.info("Taildir source {}: {} has the inode of a compressed file that is gone; it is a new file", name,
                path);
        return false;
    }

    /** A file not seen before. */
    private void discover(FileGroup group, Path path, Stat stat, long now) {
        TailedFile file = new TailedFile(stat.id(), group, path.toAbsolutePath(), 0, settings.maxLineLength(), now);
        long start;
        try {
            file.open();
            unreadable.remove(path);
            start = firstLook ? startPosition(file, stat) : 0;
            file.restartAt(start);
        } catch (IOException e) {
            file.close();
            if (unreadable.add(path)) {
                counter.incrementEventReadFail();
                LOG.warn("Taildir source {}: cannot open {}: {}; trying again at every look", name, path,
                        e.toString());
            }
            return;
        }
        file.size = stat.size();
        file.modified = stat.modified();
        try {
            if (!firstLook && mayBeACopy(file)) {
                file.heldSince = now;
                file.heldGrowthAt = now;
                LOG.debug("Taildir source {}: {} begins like a tailed file; holding it back", name, file);
            } else {
                file.captureHead();
            }
        } catch (IOException e) {
            counter.incrementEventReadFail();
            LOG.warn("Taildir source {}: cannot read {}: {}", name, path, e.toString());
            file.close();
            return;
        }
        files.put(stat.id(), file);
        positionsChanged = true;
        LOG.info("Taildir source {}: tailing {} from offset {}", name, file, start);
    }

    /**
     * Where a file found at the first look starts: its saved position, if the position file names its inode and the
     * file is the one it names; otherwise its start, or its end with skipToEnd. The file is the one named if its first
     * bytes are the saved ones (the heads file), whatever its name now; without saved first bytes (a position file of
     * Flume's), if its path is the one saved, as Flume decides.
     */
    private long startPosition(TailedFile file, Stat stat) throws IOException {
        PositionFile.Entry saved = startPositions.get(stat.id().inode());
        long unknown = settings.skipToEnd() ? stat.size() : 0;
        if (saved == null) {
            return unknown;
        }
        boolean samePath = saved.file().equals(file.path().toString());
        byte[] head = startHeads.get(stat.id().inode());
        boolean same = head == null ? samePath
                : Arrays.equals(TailedFile.readStart(file.channel(), head.length), head);
        if (!same) {
            LOG.info("Taildir source {}: {} is not the file saved for its inode ({}); reading it as a new file", name,
                    file, saved.file());
            return unknown;
        }
        if (saved.pos() > stat.size()) {
            LOG.info("Taildir source {}: {} is shorter ({} bytes) than its saved position {}; reading it from its "
                    + "start", name, file, stat.size(), saved.pos());
            return 0;
        }
        if (!samePath) {
            LOG.info("Taildir source {}: {} was {} when its position was saved; continuing at offset {}", name, file,
                    saved.file(), saved.pos());
        }
        return saved.pos();
    }

    /** A file seen before, found again under {@code path}. */
    private void follow(TailedFile file, Path path, Stat stat, long now, List<TailedFile> truncated)
            throws IOException {
        if (!file.attached) {
            file.attached = true;
            positionsChanged = true;
        }
        Path absolute = path.toAbsolutePath();
        if (!file.path().equals(absolute)) {
            if (!file.isOpen() && !sameFile(file, absolute)) {
                // The inode was freed while the file was closed and is another file's now.
                forget(file);
                files.remove(file.id);
                discover(file.group, path, stat, now);
                return;
            }
            LOG.info("Taildir source {}: {} is now {}", name, file, absolute);
            file.renamedTo(absolute);
            positionsChanged = true;
        }
        if (file.heldSince >= 0) {
            return; // a held-back file's growth is followed where it is released
        }
        if (stat.size() == file.size && stat.modified() == file.modified && file.isOpen()
                && (now - stat.modified() / 1000 >= COARSE_CLOCK_MILLIS || file.headStillThere())) {
            return;
        }
        if (!file.isOpen()) {
            if (stat.size() == file.size || file.compressed) {
                return;
            }
            try {
                file.open();
                unreadable.remove(absolute);
            } catch (IOException e) {
                if (unreadable.add(absolute)) {
                    counter.incrementEventReadFail();
                    LOG.warn("Taildir source {}: cannot open {} again: {}; trying again at every look", name, file,
                            e.toString());
                }
                return;
            }
        }
        if (stat.size() < file.splitter.offset() || !file.headStillThere()) {
            truncated.add(file);
        }
        file.size = stat.size();
        file.modified = stat.modified();
        file.activeAt = now;
    }

    /**
     * A closed (idle) file that left its group's names: renamed within its directory, it is opened under its new
     * name and read to its end; false if it is not there (deleted, or moved away).
     */
    private boolean reopenUnderAnotherName(TailedFile file) {
        Path directory = file.path().getParent();
        if (directory == null) {
            return false;
        }
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                try {
                    if (FileId.stat(entry).id().equals(file.id)) {
                        file.renamedTo(entry.toAbsolutePath());
                        file.open();
                        LOG.info("Taildir source {}: {} left its group's names; reading it to its end", name, file);
                        return true;
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        } catch (IOException e) {
            LOG.debug("Taildir source {}: cannot look for {} in its directory: {}", name, file, e.toString());
        }
        return false;
    }

    /** Whether a closed file's remembered head is still the start of the file now at {@code path}. */
    private static boolean sameFile(TailedFile file, Path path) {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(path)) {
            return Arrays.equals(TailedFile.readStart(channel, file.head().length), file.head());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether a new file's first bytes are those of a tailed file (or, while it is shorter, a part of them): it
     * may be a copy being made for a copytruncate rotation.
     */
    private boolean mayBeACopy(TailedFile candidate) throws IOException {
        byte[] start = TailedFile.readStart(candidate.channel(), TailedFile.HEAD_BYTES);
        return copyOf(candidate, start, true) != null;
    }

    /**
     * The tailed file whose head {@code start} begins with (or, if {@code partial}, that begins with
     * {@code start} while it is shorter); null if none.
     */
    private TailedFile copyOf(TailedFile candidate, byte[] start, boolean partial) {
        for (TailedFile file : files.values()) {
            byte[] head = file.head();
            if (file == candidate || file.heldSince >= 0 || head.length == 0) {
                continue;
            }
            int length = Math.min(head.length, start.length);
            if (length < head.length && !partial) {
                continue;
            }
            if (Arrays.equals(start, 0, length, head, 0, length)) {
                return file;
            }
        }
        return null;
    }

    /**
     * A tailed file shrank, or its first bytes changed: it was truncated. A held-back new file that begins with
     * its old first bytes is its copy, read from where the file was committed up to; the file itself is read
     * from its start.
     */
    private void truncatedOrCopied(TailedFile file) throws IOException {
        long committed = file.committed;
        TailedFile copy = null;
        for (TailedFile candidate : files.values()) {
            if (candidate.heldSince >= 0 && file.head().length > 0 && Arrays.equals(
                    TailedFile.readStart(candidate.channel(), file.head().length), file.head())) {
                copy = candidate;
                break;
            }
        }
        if (copy == null && committed > 0) {
            copy = copyOutsideTheGroup(file);
        }
        if (copy != null) {
            long start = Math.min(committed, copy.sizeOfOpenFile());
            copy.heldSince = -1;
            copy.restartAt(start);
            copy.captureHead();
            LOG.info("Taildir source {}: {} was copied to {} and truncated (copytruncate); reading the copy from "
                    + "offset {}", name, file, copy.path(), start);
        } else {
            LOG.info("Taildir source {}: {} was truncated; reading it from its start", name, file);
        }
        invalidateBuffer(file);
        file.restartAt(0);
        file.captureHead();
        positionsChanged = true;
    }

    /**
     * A copy of a truncated file under a name outside its group (logrotate's {@code app.log.1} for a group of
     * {@code app.log}): a file of its directory, not tailed, that begins with its first bytes. It is read from the
     * offset the truncated file was committed up to, to its end, and then let go; null if there is none.
     */
    private TailedFile copyOutsideTheGroup(TailedFile file) {
        byte[] head = file.head();
        Path directory = file.path().getParent();
        if (head.length == 0 || directory == null) {
            return null;
        }
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                Stat stat;
                try {
                    stat = FileId.stat(entry);
                } catch (IOException e) {
                    continue;
                }
                if (files.containsKey(stat.id()) || compressed.containsKey(stat.id()) || stat.size() < head.length
                        || !Files.isRegularFile(entry)) {
                    continue;
                }
                TailedFile copy = new TailedFile(stat.id(), file.group, entry.toAbsolutePath(), 0,
                        settings.maxLineLength(), System.currentTimeMillis());
                copy.open();
                if (Arrays.equals(TailedFile.readStart(copy.channel(), head.length), head)) {
                    copy.attached = false;
                    copy.size = stat.size();
                    files.put(stat.id(), copy);
                    return copy;
                }
                copy.close();
            }
        } catch (IOException e) {
            LOG.warn("Taildir source {}: cannot look for a copy of the truncated {}: {}", name, file, e.toString());
        }
        return null;
    }

    /**
     * Tailed files that a held-back file copies and whose first bytes are gone: truncated and written again to the
     * size and modification time they had at the last look, which a file system's coarse clock allows when the copy,
     * the truncation and the new lines come within one tick. Their stat tells nothing then; the waiting copy is the
     * reason to read their first bytes at every look, so the copy is read from the committed offset and the file's
     * new lines from its start.
     */
    private List<TailedFile> truncatedUnderAWaitingCopy() throws IOException {
        List<TailedFile> truncated = new ArrayList<>();
        for (TailedFile held : files.values()) {
            if (held.heldSince < 0) {
                continue;
            }
            TailedFile original = copyOf(held, TailedFile.readStart(held.channel(), TailedFile.HEAD_BYTES), true);
            if (original != null && original.isOpen() && !truncated.contains(original)
                    && !original.headStillThere()) {
                truncated.add(original);
            }
        }
        return truncated;
    }

    /** Starts reading held-back files that turned out not to be copies. */
    private void releaseHeld(long now) throws IOException {
        for (TailedFile file : files.values()) {
            if (file.heldSince < 0) {
                continue;
            }
            long size = file.sizeOfOpenFile();
            if (size != file.size) {
                file.size = size;
                file.heldGrowthAt = now;
            }
            byte[] start = TailedFile.readStart(file.channel(), TailedFile.HEAD_BYTES);
            boolean whole = copyOf(file, start, false) != null;
            boolean partial = !whole && copyOf(file, start, true) != null;
            boolean release = whole ? now - file.heldGrowthAt >= COPY_HOLD_MILLIS
                    : !partial || now - file.heldSince >= UNDECIDED_HOLD_MILLIS;
            if (release) {
                file.heldSince = -1;
                file.captureHead();
                LOG.debug("Taildir source {}: {} is no copy of a tailed file; reading it", name, file);
            }
        }
    }

    private void watch(FileFinder finder) {
        WatchService service = watcher;
        if (service == null) {
            return;
        }
        for (Path directory : finder.directories()) {
            WatchKey key = watched.get(directory);
            if (key != null && key.isValid()) {
                continue;
            }
            try {
                watched.put(directory, directory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
            } catch (IOException | ClosedWatchServiceException e) {
                LOG.debug("Taildir source {}: cannot watch {}: {}", name, directory, e.toString());
            }
        }
    }

    private void forget(TailedFile file) {
        invalidateBuffer(file);
        file.close();
        positionsChanged = true;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading

    /**
     * Reads what is new in every readable file: one file after another on the source's thread, in Flume's order, or,
     * with readerThreads above 1 and more than one file to read, several files at once (readAtOnce).
     */
    private Outcome readFiles(long now) {
        List<TailedFile> readable = new ArrayList<>(files.size());
        for (TailedFile file : files.values()) {
            if (file.heldSince < 0 && !file.compressed && file.isOpen()) {
                readable.add(file);
            }
        }
        Outcome[] outcomes = chunks.length > 1 && readable.size() > 1 ? readAtOnce(readable, now) : null;
        boolean worked = false;
        boolean refused = false;
        for (int i = 0; i < readable.size(); i++) {
            TailedFile file = readable.get(i);
            Outcome outcome;
            if (outcomes == null) {
                if (!running && thread != null) {
                    break;
                }
                outcome = tail(file, now, chunks[0]);
            } else {
                outcome = outcomes[i];
                if (outcome == null) {
                    continue; // not read: stopping, or a batch of another file was refused
                }
            }
            if (outcome == Outcome.REFUSED) {
                refused = true;
                if (outcomes == null) {
                    break; // the channels are full: the files after it wait for the retry
                }
                continue;
            }
            worked |= outcome == Outcome.WORKED;
            if (file.compressed) {
                compressed.put(file.id, statOrUnknown(file));
            }
            if (file.finished || file.compressed) {
                if (file.finished) {
                    LOG.info("Taildir source {}: finished {}, which left its group's names", name, file);
                }
                forget(file);
                files.remove(file.id);
            }
        }
        if (worked) {
            retryDelay = FIRST_RETRY_MILLIS;
        }
        return refused ? Outcome.REFUSED : worked ? Outcome.WORKED : Outcome.IDLE;
    }

    /** A compressed file's identity as it is now; unknown (looked at again when found again) if it cannot be read. */
    private static Stat statOrUnknown(TailedFile file) {
        try {
            return FileId.stat(file.path());
        } catch (IOException e) {
            return new Stat(file.id, -1, -1);
        }
    }

    /**
     * Reads the files on up to readerThreads threads at once, the source's own among them, each thread taking the
     * next file not yet taken and reading it as {@link #tail} does; returns each file's outcome (null for a file not
     * read), once every thread is done. Lines of one file stay in their order; files no longer come one after
     * another. No thread takes another file once a batch was refused (the channels are full) or the source stops.
     * Interrupted (a stop past its grace), it interrupts the readers and still waits for them: no reader may touch
     * a file after this returns.
     */
    private Outcome[] readAtOnce(List<TailedFile> readable, long now) {
        Outcome[] outcomes = new Outcome[readable.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean giveUp = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int helpers = Math.min(chunks.length, readable.size()) - 1;
        CountDownLatch done = new CountDownLatch(helpers);
        Thread[] helping = new Thread[helpers];
        for (int h = 0; h < helpers; h++) {
            int helper = h;
            Runnable share = () -> {
                synchronized (helping) {
                    helping[helper] = Thread.currentThread();
                }
                try {
                    readShare(readable, next, outcomes, giveUp, failure, chunks[helper + 1], now);
                } finally {
                    synchronized (helping) {
                        helping[helper] = null;
                    }
                    done.countDown();
                }
            };
            try {
                readers().execute(share);
            } catch (RejectedExecutionException e) {
                done.countDown(); // the pool is shut down (the source finished): the threads left read its share
            }
        }
        readShare(readable, next, outcomes, giveUp, failure, chunks[0], now);
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                giveUp.set(true);
                synchronized (helping) {
                    for (Thread reader : helping) {
                        if (reader != null) {
                            reader.interrupt();
                        }
                    }
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable failed = failure.get();
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed instanceof Error error) {
            throw error;
        }
        return outcomes;
    }

    /**
     * One reading thread's share of {@link #readAtOnce}. A failure is kept for the source's thread to throw, as a
     * look on that thread alone would, and no thread takes another file after it.
     */
    private void readShare(List<TailedFile> readable, AtomicInteger next, Outcome[] outcomes, AtomicBoolean giveUp,
            AtomicReference<Throwable> failure, ReadChunk chunk, long now) {
        try {
            for (int i = next.getAndIncrement(); i < readable.size(); i = next.getAndIncrement()) {
                if (giveUp.get() || (!running && thread != null)) {
                    return;
                }
                Outcome outcome = tail(readable.get(i), now, chunk);
                outcomes[i] = outcome;
                if (outcome == Outcome.REFUSED) {
                    giveUp.set(true);
                }
            }
        } catch (RuntimeException | Error e) {
            giveUp.set(true);
            if (!failure.compareAndSet(null, e)) {
                failure.get().addSuppressed(e);
            }
        }
    }

    /** The reader threads, made at the first look that has more than one file to read; idle ones end. */
    private synchronized ExecutorService readers() {
        if (readers == null) {
            AtomicInteger number = new AtomicInteger();
            readers = new ThreadPoolExecutor(chunks.length - 1, chunks.length - 1, READER_IDLE_SECONDS,
                    TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                        Thread reader = new Thread(task, "sluice-" + agent + "-source-" + name + "-reader-"
                                + number.incrementAndGet());
                        reader.setDaemon(true);
                        return reader;
                    });
            readers.allowCoreThreadTimeOut(true);
        }
        return readers;
    }

    /** Reads batches of one file until it has no more, or maxBatchCount batches were read. */
    private Outcome tail(TailedFile file, long now, ReadChunk chunk) {
        long batches = 0;
        boolean worked = false;
        while (true) {
            List<Event> events = new ArrayList<>(Math.min(settings.batchSize(), 1024));
            long end;
            try {
                end = readBatch(file, events, now, chunk);
            } catch (IOException e) {
                counter.incrementEventReadFail();
                LOG.warn("Taildir source {}: reading {} failed: {}; trying again at the next look", name, file,
                        e.toString());
                file.rewind();
                chunk.invalidate(file);
                return worked ? Outcome.WORKED : Outcome.IDLE;
            }
            if (events.isEmpty()) {
                if (end >= 0) { // only the end of a finished file: nothing to deliver, but the offset moved
                    file.committed = end;
                }
                return worked ? Outcome.WORKED : Outcome.IDLE;
            }
            if (!deliver(file, events)) {
                file.finished = false;
                file.rewind();
                chunk.invalidate(file);
                return Outcome.REFUSED;
            }
            file.committed = end;
            positionsChanged = true;
            worked = true;
            if (events.size() < settings.batchSize() || ++batches >= settings.maxBatchCount()) {
                return Outcome.WORKED;
            }
        }
    }

    /**
     * Reads up to batchSize events of a file into {@code events}; returns the offset after the last one, or -1.
     */
    private long readBatch(TailedFile file, List<Event> events, long now, ReadChunk chunk) throws IOException {
        long end = -1;
        while (events.size() < settings.batchSize()) {
            Line line = file.assembler.poll();
            if (line == null) {
                file.assembler.expire(now);
                line = file.assembler.poll();
            }
            if (line == null) {
                int before = events.size();
                if (fill(file, now, events, chunk) > 0) {
                    if (events.size() > before) { // lines that went straight to the batch
                        end = file.splitter.lineStart();
                    }
                    continue;
                }
                if (file.attached || file.finished
                        || (!file.draining && now - file.activeAt < settings.idleTimeout())) {
                    break;
                }
                // A file that left its names and no longer grows: its last bytes are its last line.
                Line last = file.splitter.flushPartial();
                if (last != null) {
                    file.assembler.add(last, now);
                }
                file.assembler.flush();
                file.finished = true;
                end = Math.max(end, file.splitter.offset());
                continue;
            }
            events.add(event(file, line));
            end = line.end();
        }
        return end;
    }

    /**
     * Reads the next chunk of a file into its line splitter; the bytes fed, or -1 at its end. Each line is an event
     * of {@code events} at once, or, for multi-line events, goes to the file's event assembler first.
     */
    private int fill(TailedFile file, long now, List<Event> events, ReadChunk chunk) throws IOException {
        long at = file.splitter.offset();
        int from;
        int length;
        ByteBuffer buffer = chunk.bytes;
        if (chunk.holds(file, at)) {
            from = (int) (at - chunk.start);
            length = chunk.length - from;
        } else {
            buffer.clear();
            int read = file.read(buffer, at);
            if (read <= 0) {
                return -1;
            }
            chunk.owner = file;
            chunk.start = at;
            chunk.length = read;
            from = 0;
            length = read;
            file.activeAt = now;
            if (at == 0 && Compression.isCompressed(buffer.array(), read)) {
                // Recorded among the compressed files by the look that read it (readFiles), on the source's thread.
                file.compressed = true;
                LOG.info("Taildir source {}: {} is compressed (a rotated log, compressed): it is not read", name,
                        file);
                chunk.invalidate(file);
                return -1;
            }
            if (file.head().length < TailedFile.HEAD_BYTES) {
                file.captureHead();
            }
        }
        int batchSize = settings.batchSize();
        if (!file.assembler.joins()) {
            return file.splitter.feed(buffer.array(), from, length, line -> {
                events.add(event(file, line));
                return events.size() < batchSize;
            });
        }
        return file.splitter.feed(buffer.array(), from, length, line -> {
            file.assembler.add(line, now);
            return file.assembler.readyCount() < batchSize;
        });
    }

    private Event event(TailedFile file, Line line) {
        Map<String, String> groupHeaders = file.group.headers();
        Map<String, String> headers;
        if (groupHeaders.isEmpty() && !settings.byteOffsetHeader() && settings.fileHeaderKey() == null) {
            headers = new HashMap<>(); // no table until an interceptor puts a header
        } else {
            headers = new HashMap<>(Math.max(4, (groupHeaders.size() + 2) * 2));
            headers.putAll(groupHeaders);
            if (settings.byteOffsetHeader()) {
                headers.put(BYTE_OFFSET_HEADER, Long.toString(line.start()));
            }
            if (settings.fileHeaderKey() != null) {
                headers.put(settings.fileHeaderKey(), file.path().toString());
            }
        }
        if (line.truncated()) {
            counter.add(TRUNCATED_COUNTER, 1);
            if (!file.truncationReported) {
                file.truncationReported = true;
                LOG.warn("Taildir source {}: {} has a line longer than maxLineLength ({} bytes) at offset {}; "
                        + "its first {} bytes are the event, the rest is dropped (counted in {}; further ones in "
                        + "this file are counted only)", name, file, settings.maxLineLength(), line.start(),
                        settings.maxLineLength(), TRUNCATED_COUNTER);
            }
        }
        return new SimpleEvent(line.body(), headers);
    }

    private boolean deliver(TailedFile file, List<Event> events) {
        counter.addToEventReceivedCount(events.size());
        counter.incrementAppendBatchReceivedCount();
        try {
            processor.processEventBatch(events);
        } catch (ChannelException e) {
            counter.incrementChannelWriteFail();
            LOG.warn("Taildir source {}: the channels refused {} lines of {} ({}); reading them again after {} ms",
                    name, events.size(), file, e.getMessage(), retryDelay);
            return false;
        } catch (RuntimeException e) {
            counter.incrementChannelWriteFail();
            LOG.error("Taildir source {}: handing {} lines of {} to the channels failed; reading them again after "
                    + "{} ms", name, events.size(), file, retryDelay, e);
            return false;
        }
        counter.addToEventAcceptedCount(events.size());
        counter.incrementAppendBatchAcceptedCount();
        return true;
    }

    /** On the source's thread, while no reader reads: the file's bytes are in no chunk any more. */
    private void invalidateBuffer(TailedFile file) {
        for (ReadChunk chunk : chunks) {
            chunk.invalidate(file);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Idle files, positions, waiting

    /** Closes files that have not grown for idleTimeout and are read to their end; they open again on growth. */
    private void closeIdle(long now) {
        for (TailedFile file : files.values()) {
            if (file.attached && file.isOpen() && file.heldSince < 0 && !file.compressed
                    && now - file.activeAt >= settings.idleTimeout() && !file.assembler.assembling()
                    && file.assembler.readyCount() == 0 && file.splitter.offset() >= file.size) {
                LOG.info("Taildir source {}: closing {}, idle for {} ms, at offset {}", name, file,
                        settings.idleTimeout(), file.committed);
                invalidateBuffer(file);
                file.close();
            }
        }
    }

    private void writePositionsIfDue(long now, boolean force) {
        if (!force && (!positionsChanged || now - positionsWrittenAt < settings.writePosInterval())) {
            return;
        }
        List<PositionFile.Entry> entries = new ArrayList<>();
        Map<Long, byte[]> heads = new HashMap<>();
        for (TailedFile file : files.values()) {
            if (file.attached && file.heldSince < 0 && !file.compressed) {
                entries.add(new PositionFile.Entry(file.id.inode(), file.committed, file.path().toString()));
                heads.put(file.id.inode(), file.head());
            }
        }
        try {
            headFile.write(heads); // first: a position is never saved without the head that names its file
            positionFile.write(entries);
            positionsChanged = false;
            positionsWrittenAt = now;
        } catch (IOException e) {
            counter.incrementGenericProcessingFail();
            LOG.error("Taildir source {}: cannot write the position file {}; the positions are kept and written "
                    + "at the next chance", name, settings.positionFile(), e);
        }
    }

    /** Milliseconds until a multi-line event times out, a held file is looked at again, or positions are due. */
    private long untilNextDeadline(long now) {
        long deadline = Long.MAX_VALUE;
        for (TailedFile file : files.values()) {
            deadline = Math.min(deadline, file.assembler.deadline());
            if (file.heldSince >= 0) {
                deadline = Math.min(deadline, now + HOLD_RECHECK_MILLIS);
            }
            if (!file.attached && file.isOpen()) {
                deadline = Math.min(deadline, file.activeAt + settings.idleTimeout());
            }
        }
        if (positionsChanged) {
            deadline = Math.min(deadline, positionsWrittenAt + settings.writePosInterval());
        }
        return Math.max(1, deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - now);
    }

    /** Waits until a watched directory changes, {@code millis} pass, or the source stops. */
    private void await(long millis) {
        WatchService service = watcher;
        try {
            if (service == null) {
                synchronized (this) {
                    if (running) {
                        wait(Math.max(1, millis));
                    }
                }
                return;
            }
            WatchKey key = service.poll(Math.max(1, millis), TimeUnit.MILLISECONDS);
            if (key != null) {
                handle(key);
                drainNotifications();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (ClosedWatchServiceException e) {
            // stopping
        }
    }

    /** Takes every pending notification: their news is that the next look may find changes. */
    private void drainNotifications() {
        WatchService service = watcher;
        if (service == null) {
            return;
        }
        try {
            for (WatchKey key = service.poll(); key != null; key = service.poll()) {
                handle(key);
            }
        } catch (ClosedWatchServiceException e) {
            // stopping
        }
    }

    private void handle(WatchKey key) {
        key.pollEvents();
        key.reset();
        for (FileFinder finder : finders) {
            finder.changed();
        }
    }

    @Override
    public void stop() {
        running = false;
        WatchService service = watcher;
        if (service != null) {
            try {
                service.close(); // wakes the thread from its wait
            } catch (IOException e) {
                LOG.debug("Taildir source {}: closing the watch service: {}", name, e.toString());
            }
        }
        synchronized (this) {
            notifyAll();
        }
        SourceThread runner = thread;
        if (runner == null) {
            finish();
            return;
        }
        runner.stop(STOP_WAIT_MILLIS, LOG);
    }

    /**
     * At stop: reads the files that left their names to their end (they cannot be found after a restart), for
     * up to {@value #STOP_DRAIN_MILLIS} ms, writes the positions and closes every file.
     */
    synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        long deadline = System.currentTimeMillis() + STOP_DRAIN_MILLIS;
        for (TailedFile file : List.copyOf(files.values())) {
            if (file.attached || !file.isOpen() || file.compressed || file.heldSince >= 0) {
                continue;
            }
            file.draining = true; // no more growth is waited for
            while (!file.finished && System.currentTimeMillis() < deadline) {
                if (tail(file, System.currentTimeMillis(), chunks[0]) != Outcome.WORKED) {
                    break;
                }
            }
            if (!file.finished) {
                LOG.warn("Taildir source {}: stopping before the end of {}, which left its group's names; its lines "
                        + "after offset {} are not read", name, file, file.committed);
            }
        }
        writePositionsIfDue(System.currentTimeMillis(), true);
        for (TailedFile file : files.values()) {
            file.close();
        }
        files.clear();
        for (ReadChunk chunk : chunks) {
            chunk.owner = null;
        }
        if (readers != null) {
            readers.shutdown(); // idle: every look waits for its readers
        }
        WatchService service = watcher;
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                LOG.debug("Taildir source {}: closing the watch service: {}", name, e.toString());
            }
        }
        LOG.info("Taildir source {} stopped", name);
    }

    /** Whether the file system tells this source of changes (inotify); false when it looks by polling. */
    boolean notified() {
        return watcher != null;
    }

    /** For tests: the files tailed now, by path. */
    Map<Path, Long> committedPositions() {
        Map<Path, Long> positions = new LinkedHashMap<>();
        for (TailedFile file : files.values()) {
            positions.put(file.path(), file.committed);
        }
        return positions;
    }
}

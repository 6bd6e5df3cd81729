package org.sluice.support.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;

/**
 * The files of one durable log across its directories: append-only files named by a growing id, unique across the
 * directories, so that a higher id is a later file. {@link Writer}s append records to them with group commit and
 * roll to a new file at maxFileSize; anyone reads a record back by its pointer ({@link #pointer}: file id in the
 * high half, offset in the low half); a file no longer needed is deleted. What the records mean, and which files
 * are no longer needed, is the owner's: this class knows files and bytes.
 *
 * <p>Every start writes to new files; files found at start are only read (and deleted). A new file's name is made
 * durable by forcing its directory before the first record goes into it.
 */
public final class AppendLog implements Closeable {
    /** How writers use the directories. */
    public enum Placement {
        /**
         * One writer per directory, each with a file of its own, so that concurrent commits given to different
         * writers go to different disks (the file channel).
         */
        WRITER_PER_DIRECTORY,
        /** One writer, one file at a time, each new file in the next directory (the spillable overflow). */
        ONE_WRITER_IN_TURN
    }

    /** How the files are named: prefix, decimal id, suffix, for example {@code log-7} or {@code spill-7.log}. */
    public record FileNames(String prefix, String suffix) {
        public String name(int id) {
            return prefix + id + suffix;
        }

        /** The id a file name carries, or -1 if it is no file of this log. */
        public int idOf(String name) {
            if (!name.startsWith(prefix) || !name.endsWith(suffix)
                    || name.length() <= prefix.length() + suffix.length()) {
                return -1;
            }
            String id = name.substring(prefix.length(), name.length() - suffix.length());
            // At most 9 digits: always an int, and never the sign or leading text Integer.parseInt would accept.
            return id.length() < 10 && id.chars().allMatch(c -> c >= '0' && c <= '9') ? Integer.parseInt(id) : -1;
        }

        /** The files of this log in {@code directory}, by id. */
        public TreeMap<Integer, Path> list(Path directory) throws IOException {
            TreeMap<Integer, Path> found = new TreeMap<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, prefix + "*" + suffix)) {
                for (Path path : stream) {
                    int id = idOf(path.getFileName().toString());
                    if (id >= 0) {
                        found.put(id, path);
                    }
                }
            }
            return found;
        }
    }

    /** The header a new file starts with (empty for none); called under the writer's lock as the file is made. */
    public interface HeaderFactory {
        ByteBuffer header(int fileId) throws IOException;
    }

    /**
     * What the owner does to a commit's records in the writer's lock, once the file and offset they go to are known
     * and before they are written: encrypt them, count the events they put in that file.
     */
    public interface AppendHook {
        AppendHook NONE = (file, start, records) -> {
        };

        void beforeWrite(LogFile file, long start, ByteBuffer records);

        /**
         * The write failed and nothing of it stays in the file: undo {@link #beforeWrite}, so that a commit retried
         * later starts again from the records as they were.
         */
        default void afterFailedWrite(LogFile file, long start, ByteBuffer records) {
        }
    }

    /** Where a commit's records went: {@code [start, end)} of {@code file}. */
    public record Appended(LogFile file, long start, long end) {
    }

    private final String owner;
    private final List<Path> directories;
    private final FileNames names;
    private final long maxFileSize;
    private final HeaderFactory headers;
    private final FileOpener opener;
    private final Logger log;
    private final Writer[] writers;
    private final AtomicInteger nextFileId;
    /** Every file of the log, by id, in id order. */
    private final ConcurrentSkipListMap<Integer, Path> files = new ConcurrentSkipListMap<>();
    private final Map<Integer, FileChannel> readers = new ConcurrentHashMap<>();

    /**
     * Lists the files the directories hold; writes nothing until the first append.
     *
     * @param owner what the log belongs to, for messages ("channel c1")
     * @param log   the owner's logger, so that its log configuration applies
     */
    public AppendLog(String owner, List<Path> directories, Placement placement, FileNames names, long maxFileSize,
            HeaderFactory headers, FileOpener opener, Logger log) throws IOException {
        if (directories.isEmpty()) {
            throw new IllegalArgumentException("a log needs a directory");
        }
        this.owner = owner;
        this.directories = List.copyOf(directories);
        this.names = names;
        this.maxFileSize = maxFileSize;
        this.headers = headers;
        this.opener = opener;
        this.log = log;
        int maxId = 0;
        for (Path directory : this.directories) {
            for (Map.Entry<Integer, Path> file : names.list(directory).entrySet()) {
                Path previous = files.put(file.getKey(), file.getValue());
                if (previous != null) {
                    throw new IOException(owner + ": two files with id " + file.getKey() + ": " + previous + " and "
                            + file.getValue() + "; was a data directory copied into another?");
                }
                maxId = Math.max(maxId, file.getKey());
            }
        }
        this.nextFileId = new AtomicInteger(maxId + 1);
        if (placement == Placement.WRITER_PER_DIRECTORY) {
            writers = new Writer[this.directories.size()];
            for (int i = 0; i < writers.length; i++) {
                writers[i] = new Writer(List.of(this.directories.get(i)));
            }
        } else {
            writers = new Writer[] {new Writer(this.directories)};
        }
    }

    // ------------------------------------------------------------------------------------------------ pointers

    /** A pointer to the record at {@code offset} of file {@code fileId}. */
    public static long pointer(int fileId, long offset) {
        return ((long) fileId << 32) | (offset & 0xFFFFFFFFL);
    }

    public static int fileId(long pointer) {
        return (int) (pointer >>> 32);
    }

    public static long offset(long pointer) {
        return pointer & 0xFFFFFFFFL;
    }

    /** The file (its path if known) and offset of a pointer, for messages. */
    public String describe(long pointer) {
        Path path = files.get(fileId(pointer));
        return (path == null ? names.name(fileId(pointer)) : path.toString()) + " offset " + offset(pointer);
    }

    // ------------------------------------------------------------------------------------------------ files

    /**
     * The files, by id, in id order: a live view, which a new file or a deletion changes while it is iterated
     * (the iteration sees each file at most once).
     */
    public NavigableMap<Integer, Path> files() {
        return Collections.unmodifiableNavigableMap(files);
    }

    public boolean contains(int fileId) {
        return files.containsKey(fileId);
    }

    /** The path of a file, or null if the log has no such file. */
    public Path path(int fileId) {
        return files.get(fileId);
    }

    public List<Path> directories() {
        return directories;
    }

    public long maxFileSize() {
        return maxFileSize;
    }

    /** The id the next new file gets. */
    public int nextFileId() {
        return nextFileId.get();
    }

    /** Never gives a new file an id below {@code id}, even if no file of that id is left. */
    public void reserveIdsBelow(int id) {
        nextFileId.accumulateAndGet(id, Math::max);
    }

    public int writerCount() {
        return writers.length;
    }

    public Writer writer(int index) {
        return writers[index];
    }

    /** Ids of the files being appended to. */
    public List<Integer> activeFileIds() {
        List<Integer> active = new ArrayList<>();
        for (Writer writer : writers) {
            LogFile file = writer.current;
            if (file != null) {
                active.add(file.id());
            }
        }
        return active;
    }

    /**
     * The lowest id of a file that is being written or may be written later: every file below it is complete and
     * takes no more records, whatever a writer does meanwhile (ids are never reused).
     */
    public int firstWritableFileId() {
        int first = Integer.MAX_VALUE;
        for (Writer writer : writers) {
            // Under the writer's lock: a roll in progress has taken its new id but not yet made the file current.
            synchronized (writer) {
                LogFile file = writer.current;
                first = Math.min(first, file != null ? file.id() : nextFileId.get());
            }
        }
        return first;
    }

    /**
     * Reads {@code into.remaining()} bytes at {@code position} of a file. A file the log does not have, or one that
     * ends first, is a {@link CorruptRecordException}: the record asked for is not there.
     */
    public void read(int fileId, long position, ByteBuffer into) throws IOException {
        FileChannel reader = reader(fileId);
        int start = into.position();
        while (into.hasRemaining()) {
            if (reader.read(into, position + into.position() - start) < 0) {
                throw new CorruptRecordException(files.get(fileId), position, "the file ends inside the record");
            }
        }
    }

    /**
     * Reads at most {@code into.remaining()} bytes at {@code position} of a file, fewer if it ends first (a short
     * file has a short header). Returns the bytes read.
     */
    public int readAtMost(int fileId, long position, ByteBuffer into) throws IOException {
        FileChannel reader = reader(fileId);
        int start = into.position();
        while (into.hasRemaining() && reader.read(into, position + into.position() - start) >= 0) {
            // Until the buffer is full or the file ends.
        }
        return into.position() - start;
    }

    private FileChannel reader(int fileId) throws IOException {
        FileChannel reader = readers.get(fileId);
        if (reader != null) {
            return reader;
        }
        synchronized (readers) {
            reader = readers.get(fileId);
            if (reader == null) {
                Path path = files.get(fileId);
                if (path == null) {
                    throw new CorruptRecordException(owner + ": " + names.name(fileId) + " is not in " + directories
                            + " (deleted while events in it were queued?)");
                }
                reader = opener.open(path, FileOpener.Purpose.READ);
                readers.put(fileId, reader);
            }
            return reader;
        }
    }

    /** Deletes a file no longer needed; false, and nothing done, if it is being appended to. */
    public boolean delete(int fileId) throws IOException {
        if (activeFileIds().contains(fileId)) {
            return false;
        }
        Path path = files.remove(fileId);
        FileChannel reader;
        synchronized (readers) {
            reader = readers.remove(fileId);
        }
        if (reader != null) {
            reader.close();
        }
        if (path != null) {
            Files.deleteIfExists(path);
            log.debug("{}: deleted {}, no longer needed", owner, path);
        }
        return true;
    }

    /** Forces and closes every file; the first failure is thrown after all were tried. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Writer writer : writers) {
            try {
                writer.close();
            } catch (IOException e) {
                failure = add(failure, e);
            }
        }
        synchronized (readers) {
            for (FileChannel reader : readers.values()) {
                try {
                    reader.close();
                } catch (IOException e) {
                    failure = add(failure, e);
                }
            }
            readers.clear();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static IOException add(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /** Makes a created or renamed name in {@code directory} durable. Some platforms cannot open a directory; Linux can. */
    public static void forceDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    // ------------------------------------------------------------------------------------------------ writers

    /** Appends to one file at a time, rolling to a new file at maxFileSize. */
    public final class Writer {
        /** Where its files go: a new file with id n goes to {@code directories[n % size]}. */
        private final List<Path> directories;
        private volatile LogFile current;

        private Writer(List<Path> directories) {
            this.directories = directories;
        }

        /** The file being appended to; null before the first append and after a file was retired. */
        public LogFile current() {
            return current;
        }

        /** The directory of the file being written, or of the next one. */
        public Path directory() {
            LogFile file = current;
            return file != null ? file.path().getParent() : directoryOf(nextFileId.get());
        }

        private Path directoryOf(int fileId) {
            return directories.get(Math.floorMod(fileId, directories.size()));
        }

        /**
         * Appends one commit's records, contiguously, in one file: the current one, or a new one if they would take
         * it past maxFileSize (a file holding no record yet takes them whatever their size). The caller then waits
         * for them with {@link LogFile#syncTo}{@code (end)}.
         */
        public synchronized Appended append(ByteBuffer records, AppendHook hook) throws IOException {
            int size = records.remaining();
            LogFile file = current;
            if (file == null || file.failed()
                    || (file.written() + size > maxFileSize && file.written() > file.recordsStart())) {
                file = roll();
            }
            long start = file.written();
            int from = records.position();
            hook.beforeWrite(file, start, records);
            try {
                file.append(records);
            } catch (IOException e) {
                records.position(from);
                hook.afterFailedWrite(file, start, records);
                if (e instanceof LogFile.RetireException) {
                    current = null;
                    file.abandon();
                }
                throw e;
            }
            return new Appended(file, start, file.written());
        }

        /** Forces the current file up to what was appended, for owners that do not force at every commit. */
        public void flush() throws IOException {
            LogFile file = current;
            if (file != null) {
                file.syncTo(file.written());
            }
        }

        private LogFile roll() throws IOException {
            LogFile previous = current;
            if (previous != null) {
                // Forced entirely before it is closed, so commits still waiting on it are released.
                current = null;
                if (previous.failed()) {
                    previous.abandon();
                } else {
                    try {
                        previous.close();
                    } catch (IOException e) {
                        // The commits waiting on it get this failure from their own syncTo and fail; this commit
                        // goes to the new file.
                        log.error("{}: forcing {} before starting the next file failed; commits waiting on it fail",
                                owner, previous.path(), e);
                    }
                }
            }
            int id = nextFileId.getAndIncrement();
            Path directory = directoryOf(id);
            Path path = directory.resolve(names.name(id));
            LogFile file = LogFile.create(id, path, headers.header(id), opener, log);
            try {
                file.syncTo(file.recordsStart());
                forceDirectory(directory);
            } catch (IOException e) {
                file.abandon();
                throw e;
            }
            files.put(id, path);
            current = file;
            log.debug("{}: writing {}", owner, path);
            return file;
        }

        synchronized void close() throws IOException {
            LogFile file = current;
            current = null;
            if (file != null) {
                if (file.failed()) {
                    file.abandon();
                } else {
                    file.close();
                }
            }
        }
    }
}

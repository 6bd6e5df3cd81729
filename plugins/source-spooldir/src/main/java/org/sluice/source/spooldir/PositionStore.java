package org.sluice.source.spooldir;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where reading stopped in each file that is not finished, kept in memory and, one small file per spooled
 * file, in the tracker directory: the file's path (relative to spoolDir), its size and modification time when it was picked up,
 * and the byte offset after its last committed event. Written after every committed batch, to a temporary
 * file that is forced to the disk and then moved over the old one, so a crash leaves the old or the new
 * position, never a torn one. Deleted once the file is renamed or deleted.
 */
final class PositionStore {
    private static final Logger LOG = LoggerFactory.getLogger(PositionStore.class);
    static final String SUFFIX = ".position";

    /** A saved position; {@code offset} is in the deserializer's unit: bytes for LINE and BLOB, records for AVRO. */
    record Position(String path, long size, long lastModified, long offset, long events, String deserializer) {
    }

    private final Path directory;
    /** The saved positions by relative path, as on disk. */
    private final Map<String, Position> positions = new HashMap<>();

    PositionStore(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    /**
     * Reads every saved position, and forgets those whose file is no longer in {@code spoolDir}: finished (renamed
     * or deleted) just before a crash, or taken away by hand. A position file that cannot be read is an error:
     * guessing loses data.
     *
     * @return the positions forgotten
     */
    List<Position> load(Path spoolDir) throws IOException {
        positions.clear();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                Position position = read(file);
                positions.put(position.path(), position);
            }
        }
        List<Position> gone = new ArrayList<>();
        for (Position position : List.copyOf(positions.values())) {
            if (!Files.exists(spoolDir.resolve(position.path()))) {
                delete(position.path());
                gone.add(position);
            }
        }
        return gone;
    }

    /** Where reading stopped in the file, or null if it was never partly read. */
    Position get(String path) {
        return positions.get(path);
    }

    /** The files partly read (relative paths); a live view. */
    Set<String> partlyRead() {
        return Collections.unmodifiableSet(positions.keySet());
    }

    private static Position read(Path file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
        try {
            String path = properties.getProperty("path");
            if (path == null) {
                throw new IllegalArgumentException("no path");
            }
            return new Position(path, Long.parseLong(properties.getProperty("size")),
                    Long.parseLong(properties.getProperty("lastModified")),
                    Long.parseLong(properties.getProperty("offset")),
                    Long.parseLong(properties.getProperty("events", "0")),
                    properties.getProperty("deserializer", "LINE"));
        } catch (RuntimeException e) {
            throw new IOException("the position file " + file + " is damaged (" + e
                    + "); move it away to read its file from the start", e);
        }
    }

    /** Records the position, in memory at once and then on disk. */
    void save(Position position) throws IOException {
        positions.put(position.path(), position);
        Properties properties = new Properties();
        properties.setProperty("path", position.path());
        properties.setProperty("size", Long.toString(position.size()));
        properties.setProperty("lastModified", Long.toString(position.lastModified()));
        properties.setProperty("offset", Long.toString(position.offset()));
        properties.setProperty("events", Long.toString(position.events()));
        properties.setProperty("deserializer", position.deserializer());
        Path target = fileFor(position.path());
        Path temporary = directory.resolve(target.getFileName() + ".tmp");
        // FileOutputStream and its descriptor's sync() are not interruptible, unlike a FileChannel: a stop
        // that interrupts this thread must not leave a committed batch unrecorded.
        try (OutputStream out = new FileOutputStream(temporary.toFile())) {
            properties.store(out, "Sluice spooldir: where reading stopped in " + position.path());
            ((FileOutputStream) out).getFD().sync();
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
    }

    /** Forgets the file's position, in memory at once and then on disk. */
    void delete(String path) throws IOException {
        positions.remove(path);
        Files.deleteIfExists(fileFor(path));
        syncDirectory();
    }

    private void syncDirectory() {
        // Makes the rename itself durable. Not every file system lets a directory be opened: then the
        // rename is as durable as that file system makes it, which is all it offers.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Not fatal, see above; the position file itself was already forced.
            LOG.debug("Cannot force the directory {} to the disk: {}", directory, e.toString());
        }
    }

    /** A name that is safe for any path, however deep or long: a hash; the path itself is inside. */
    Path fileFor(String path) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            return directory.resolve(HexFormat.of().formatHex(digest, 0, 16) + SUFFIX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

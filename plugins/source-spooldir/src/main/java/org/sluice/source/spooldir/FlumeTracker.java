package org.sluice.source.spooldir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.source.spooldir.PositionStore.Position;

/**
 * Where an Apache Flume spooldir source stopped in the file it was reading, taken over once so that Sluice goes on
 * from there: Flume keeps it in {@value #META} in the tracker directory (the same {@code trackerDir}, default
 * {@code .flumespool}), an Avro data file whose metadata {@code file} names the file being read and whose last record
 * ({@code TransferStateFileMeta}, one long {@code offset}) is the position after the last committed batch. Files
 * Flume had finished need nothing: they carry its {@code fileSuffix}, are deleted, or are marked in the tracker
 * directory, all as Sluice does.
 *
 * <p>The position becomes a Sluice position file, forced to the disk, and only then is Flume's file renamed to
 * {@value #TAKEN_OVER} (kept, not deleted): a crash in between finds both and keeps Sluice's. Flume's offset is in
 * bytes for the {@code LINE} and {@code BLOB} deserializers, as Sluice's is. For {@code AVRO} it is the start of the
 * block that was being read, and Sluice counts records: the position becomes the number of records before that
 * block, so the block's records are delivered again, as Flume itself would deliver them after a restart.
 */
final class FlumeTracker {
    private static final Logger LOG = LoggerFactory.getLogger(FlumeTracker.class);

    static final String META = ".flumespool-main.meta";
    static final String TAKEN_OVER = META + ".taken-over";
    /** Bytes of an Avro sync marker: Flume records the position just before the one that starts the block. */
    private static final int AVRO_SYNC_BYTES = 16;

    private FlumeTracker() {
    }

    /**
     * Takes over Flume's position, if there is one and Sluice has none for that file, and renames Flume's file.
     *
     * @return the position saved, or null
     */
    static Position takeOver(String name, Settings settings, PositionStore positions, FinishedFiles finished)
            throws IOException {
        Path meta = settings.trackerDir().resolve(META);
        if (!Files.exists(meta)) {
            return null;
        }
        Position saved = null;
        if (Files.size(meta) == 0) {
            // Flume itself treats an empty tracker file as a crash before its first write: nothing was committed.
            LOG.info("Spooling directory source {}: Flume's position file {} is empty; nothing to resume", name, meta);
        } else {
            saved = position(name, settings, positions, finished, meta);
        }
        Files.move(meta, settings.trackerDir().resolve(TAKEN_OVER), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        return saved;
    }

    private static Position position(String name, Settings settings, PositionStore positions, FinishedFiles finished,
            Path meta) throws IOException {
        String target;
        long offset = -1;
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(meta.toFile(),
                new GenericDatumReader<>())) {
            target = reader.getMetaString("file");
            for (GenericRecord record : reader) {
                offset = (Long) record.get("offset");
            }
        } catch (IOException | AvroRuntimeException | ClassCastException e) {
            throw new IOException("Spooling directory source " + name + ": Flume's position file " + meta
                    + " cannot be read (" + e + "); move it away to read its file from the start", e);
        }
        String relative = target == null ? null : relativeToSpoolDir(settings.spoolDir(), target);
        if (relative == null) {
            LOG.info("Spooling directory source {}: Flume was reading {}, which is no longer in {} (finished); "
                    + "nothing to resume", name, target, settings.spoolDir());
            return null;
        }
        if (positions.get(relative) != null) {
            // A crash after the position was saved and before Flume's file was renamed: Sluice's is newer.
            return null;
        }
        if (finished.isMarked(relative)) {
            return null;
        }
        Path file = settings.spoolDir().resolve(relative);
        long size = Files.size(file);
        long position = Math.max(0, offset);
        long events = 0;
        if (settings.deserializer() == Settings.Deserializer.AVRO) {
            position = recordsBeforeBlock(file, position);
            events = position;
        }
        Position taken = new Position(relative, size, Files.getLastModifiedTime(file).toMillis(), position, events,
                settings.deserializerName());
        positions.save(taken);
        LOG.info("Spooling directory source {}: took over Flume's position in {}: {} {}", name, relative, position,
                settings.deserializer() == Settings.Deserializer.AVRO ? "records (the start of the block Flume was "
                        + "reading)" : "bytes");
        return taken;
    }

    /**
     * The path of Flume's target relative to spoolDir, or null if it is not a file there. Flume wrote the path as its
     * configuration gave spoolDir, absolute or relative to its working directory: the longest tail of it that names a
     * file in spoolDir is the one.
     */
    static String relativeToSpoolDir(Path spoolDir, String target) {
        Path path;
        try {
            path = Path.of(target);
        } catch (InvalidPathException e) {
            return null;
        }
        Path root = spoolDir.toAbsolutePath().normalize();
        if (path.isAbsolute() && path.normalize().startsWith(root)) {
            Path relative = root.relativize(path.normalize());
            return Files.isRegularFile(root.resolve(relative)) ? relative.toString() : null;
        }
        for (int first = 0; first < path.getNameCount(); first++) {
            Path tail = path.subpath(first, path.getNameCount());
            if (Files.isRegularFile(root.resolve(tail))) {
                return tail.toString();
            }
        }
        return null;
    }

    /** The number of records in the blocks before the one that starts right after the sync marker at {@code mark}. */
    private static long recordsBeforeBlock(Path file, long mark) throws IOException {
        long blockStart = mark + AVRO_SYNC_BYTES;
        long records = 0;
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
            GenericRecord record = null;
            while (reader.hasNext()) {
                record = reader.next(record);
                if (reader.previousSync() >= blockStart) {
                    break;
                }
                records++;
            }
        }
        return records;
    }
}

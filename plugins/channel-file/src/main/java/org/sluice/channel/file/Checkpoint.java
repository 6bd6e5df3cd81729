package org.sluice.channel.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.sluice.support.log.AppendLog;
import org.sluice.support.log.RecordFraming;

/**
 * A snapshot of the queue and of how far the data files had been written when it was taken: a recovery
 * loads it and replays only what the files hold beyond those positions. Layout (big-endian):
 *
 * <pre>
 * long  MAGIC, int version
 * long  sequence        the last transaction sequence number handed out
 * int   nextFileId      files with this id or higher were created after the snapshot: replayed whole
 * int   n, n x (int fileId, long offset)   files being written at the snapshot: replayed from offset
 * int   m, m x long     the queued event pointers, in take order
 * int   CRC32C of all the bytes before it
 * </pre>
 *
 * Files with an id below nextFileId and not among the n were complete before the snapshot and are not read.
 */
record Checkpoint(long sequence, int nextFileId, Map<Integer, Long> activeOffsets, long[] pointers) {
    static final String FILE = "checkpoint";
    private static final long MAGIC = 0x534C55494345434BL; // "SLUICECK"
    private static final int VERSION = 1;

    /** The checkpoint file could not be used; recovery falls back to the backup or a full replay. */
    static final class InvalidException extends IOException {
        private static final long serialVersionUID = 1L;

        InvalidException(Path file, String why) {
            super("checkpoint " + file + " is not usable: " + why);
        }
    }

    /**
     * What reading one directory's checkpoint gave: the checkpoint, or why it is not usable ({@code failure}:
     * an {@link InvalidException} for a damaged file, another IOException if it could not be read), or neither
     * if there is none. {@code modified} is the file's time (null if absent): the checkpoint holds no clock.
     */
    record Loaded(Path dir, Checkpoint checkpoint, IOException failure, FileTime modified) {
        boolean usable() {
            return checkpoint != null;
        }

        boolean absent() {
            return checkpoint == null && failure == null;
        }
    }

    /** Reads {@code dir/checkpoint} without throwing: a start, and the check, must go on without it. */
    static Loaded load(Path dir) {
        FileTime modified = null;
        try {
            modified = Files.getLastModifiedTime(dir.resolve(FILE));
        } catch (NoSuchFileException e) {
            // No checkpoint (yet): read() below says so by returning null.
        } catch (IOException e) {
            return new Loaded(dir, null, e, null);
        }
        try {
            return new Loaded(dir, read(dir), null, modified);
        } catch (IOException e) {
            return new Loaded(dir, null, e, modified);
        }
    }

    /**
     * The rule a start follows, shared with the check so that it predicts what a restart does: the checkpoint
     * if usable, else the backup (read only then, if there is a backup directory), else none: a full replay.
     *
     * @return the checkpoint chosen, or null for a full replay
     */
    static Loaded choose(Loaded primary, Supplier<Loaded> backup) {
        if (primary.usable()) {
            return primary;
        }
        Loaded second = backup.get();
        return second != null && second.usable() ? second : null;
    }

    /** Writes to a temporary file, forces it and renames it over {@code dir/checkpoint} atomically. */
    void write(Path dir) throws IOException {
        int size = 8 + 4 + 8 + 4 + 4 + activeOffsets.size() * 12 + 4 + pointers.length * 8 + 4;
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putLong(MAGIC).putInt(VERSION).putLong(sequence).putInt(nextFileId).putInt(activeOffsets.size());
        activeOffsets.forEach((id, offset) -> buffer.putInt(id).putLong(offset));
        buffer.putInt(pointers.length);
        buffer.asLongBuffer().put(pointers);
        buffer.position(buffer.position() + pointers.length * 8);
        buffer.putInt(RecordFraming.crc(buffer.array(), 0, size - 4));
        buffer.flip();
        Path temp = dir.resolve(FILE + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        Files.move(temp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        AppendLog.forceDirectory(dir);
    }

    /** The checkpoint in {@code dir}, or null if there is none. */
    static Checkpoint read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (bytes.length < 8 + 4 + 8 + 4 + 4 + 4 + 4) {
            throw new InvalidException(file, "only " + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int storedCrc = buffer.getInt(bytes.length - 4);
        if (RecordFraming.crc(bytes, 0, bytes.length - 4) != storedCrc) {
            throw new InvalidException(file, "checksum mismatch (damaged or zeroed)");
        }
        if (buffer.getLong() != MAGIC) {
            throw new InvalidException(file, "not a Sluice checkpoint");
        }
        int version = buffer.getInt();
        if (version != VERSION) {
            throw new InvalidException(file, "version " + version + ", this channel reads " + VERSION);
        }
        try {
            long sequence = buffer.getLong();
            int nextFileId = buffer.getInt();
            int active = buffer.getInt();
            Map<Integer, Long> offsets = new LinkedHashMap<>();
            for (int i = 0; i < active; i++) {
                offsets.put(buffer.getInt(), buffer.getLong());
            }
            int count = buffer.getInt();
            if (count < 0 || (long) count * 8 != buffer.remaining() - 4) {
                throw new InvalidException(file, "queue length " + count + " does not match the file size");
            }
            long[] pointers = new long[count];
            buffer.asLongBuffer().get(pointers);
            return new Checkpoint(sequence, nextFileId, offsets, pointers);
        } catch (RuntimeException e) {
            throw new InvalidException(file, "malformed: " + e);
        }
    }
}

package org.sluice.source.taildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * What the source knows of one file, identified by its device and inode, whatever its name: the name it was last
 * found under, the offset up to which its lines are committed to the channels, the offset read up to, the
 * unfinished line and multi-line event read past that, and the first bytes of the file (its "head"), which tell a
 * copy of it, and a new file that got its inode, from the file itself.
 *
 * <p>The file stays open while it is tailed, so a rename, or a delete, does not stop its reading: its lines are
 * read through the same descriptor until its end. Not thread-safe: the source's thread only.
 */
final class TailedFile {

    /** Bytes of a file's start kept to recognise it. */
    static final int HEAD_BYTES = 64;

    final FileId id;
    final FileGroup group;
    private Path path;
    private FileChannel channel;
    /** Lines before this offset are committed to the channels. */
    long committed;
    final LineSplitter splitter;
    final EventAssembler assembler;
    /** The file's first bytes, up to HEAD_BYTES of them; shorter while the file is shorter. */
    private byte[] head = new byte[0];
    /** Size at the last look. */
    long size;
    /** When the file last grew or was read from (ms). */
    long activeAt;
    /** Found under one of the group's names at the last look. */
    boolean attached = true;
    /** A compressed file (a rotated log, compressed): never read. */
    boolean compressed;
    /** An oversized line of this file was reported. */
    boolean truncationReported;
    /** When a new file that may be a copy of a tailed one was held back (ms); -1: not held. */
    long heldSince = -1;
    /** When a held-back file last grew (ms). */
    long heldGrowthAt;
    /** The file is read to its end and will not grow: its last bytes are its last line. */
    boolean draining;
    /** Read to its end, last line included: the file is done with. */
    boolean finished;

    TailedFile(FileId id, FileGroup group, Path path, long position, int maxLineLength, long now) {
        this.id = id;
        this.group = group;
        this.path = path;
        this.committed = position;
        this.splitter = new LineSplitter(maxLineLength, position);
        this.assembler = new EventAssembler(group.multiline(), maxLineLength);
        this.activeAt = now;
    }

    Path path() {
        return path;
    }

    void renamedTo(Path newPath) {
        path = newPath;
    }

    /** The open descriptor; null when closed. */
    FileChannel channel() {
        return channel;
    }

    boolean isOpen() {
        return channel != null;
    }

    void open() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        }
    }

    /** Closes the descriptor; what was read past the committed offset is read again when it opens. */
    void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // A descriptor opened for reading loses nothing when its close fails.
            }
            channel = null;
        }
        rewind();
    }

    /** Forgets what was read past the committed offset: it is read again. */
    void rewind() {
        splitter.reset(committed);
        assembler.reset();
    }

    /** Starts over at {@code offset}: the file was truncated, or is a copy read from there. */
    void restartAt(long offset) {
        committed = offset;
        rewind();
        head = new byte[0];
    }

    /** Reads into {@code buffer} from the read offset; -1 at the end of the file. */
    int read(ByteBuffer buffer, long at) throws IOException {
        return channel.read(buffer, at);
    }

    /** The file's current size through its descriptor (the name may be another file's by now). */
    long sizeOfOpenFile() throws IOException {
        return channel.size();
    }

    byte[] head() {
        return head;
    }

    /** Reads the head again while it is shorter than HEAD_BYTES and the file has more. */
    void captureHead() throws IOException {
        if (head.length < HEAD_BYTES && channel != null) {
            byte[] first = readStart(channel, HEAD_BYTES);
            if (first.length > head.length) {
                head = first;
            }
        }
    }

    /** Whether the file's start, read through its descriptor, still is the head: false after a truncation. */
    boolean headStillThere() throws IOException {
        if (head.length == 0 || channel == null) {
            return true;
        }
        return Arrays.equals(readStart(channel, head.length), head);
    }

    /** The first {@code count} bytes of a channel, fewer when it is shorter. */
    static byte[] readStart(FileChannel channel, int count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(count);
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, buffer.position());
            if (read < 0) {
                break;
            }
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    @Override
    public String toString() {
        return path + " (inode " + id.inode() + ")";
    }
}

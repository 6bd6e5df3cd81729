package org.sluice.source.spooldir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

import org.apache.avro.file.SeekableInput;

/**
 * A file as Avro's {@link SeekableInput}, cut at {@code limit}, the size the file had when it was picked up:
 * bytes appended later are never read. A file that became shorter is an error, not an end: Avro takes an
 * early end of the input for the end of the file and would stop quietly.
 *
 * <p>A {@link RandomAccessFile} rather than Avro's {@code SeekableFileInput} (a {@code FileChannel}): a
 * channel is closed by an interrupt, which would turn a stop into a read error on the file.
 */
final class FileRangeInput implements SeekableInput {
    private final Path path;
    private final RandomAccessFile file;
    private final long limit;

    FileRangeInput(Path path, long limit) throws IOException {
        this.path = path;
        this.file = new RandomAccessFile(path.toFile(), "r");
        this.limit = limit;
    }

    @Override
    public void seek(long position) throws IOException {
        file.seek(position);
    }

    @Override
    public long tell() throws IOException {
        return file.getFilePointer();
    }

    @Override
    public long length() {
        return limit;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        long left = limit - file.getFilePointer();
        if (left <= 0) {
            return -1;
        }
        int read = file.read(buffer, offset, (int) Math.min(length, left));
        if (read < 0) {
            throw new IOException(path + " became shorter than the " + limit + " bytes it had when picked up");
        }
        return read;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}

package org.sluice.source.spooldir;

import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * The BLOB deserializer: the whole file as one event, or, for a file larger than {@code maxBlobLength},
 * consecutive pieces of that many bytes. Each event is held in memory whole. An empty file gives
 * no event, as with LINE.
 */
final class BlobEventReader implements EventReader {
    private final RandomAccessFile file;
    private final long limit;
    private final int maxBlobLength;
    private long position;

    BlobEventReader(Path path, long limit, int maxBlobLength) throws IOException {
        this.file = new RandomAccessFile(path.toFile(), "r");
        this.limit = limit;
        this.maxBlobLength = maxBlobLength;
    }

    @Override
    public byte[] next() throws IOException {
        if (position >= limit) {
            return null;
        }
        int length = (int) Math.min(maxBlobLength, limit - position);
        byte[] body = new byte[length];
        file.seek(position);
        try {
            file.readFully(body);
        } catch (EOFException e) {
            throw new IOException("the file became shorter than the " + limit + " bytes it had when picked up", e);
        }
        position += length;
        return body;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void seek(long position) {
        this.position = position;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}

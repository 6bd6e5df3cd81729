package org.sluice.source.taildir;

import java.nio.ByteBuffer;

/**
 * The bytes of a file read last by one reading thread, so that the next fill of the same file continues in them
 * instead of reading again. Each thread that reads files has one of its own; a file's bytes at an offset do not
 * change while the file is tailed (a truncation invalidates the file in every chunk), so a chunk left behind by
 * another thread is still right when its thread reads that file again.
 */
final class ReadChunk {
    final ByteBuffer bytes;
    /** The file whose bytes these are; null: none. */
    TailedFile owner;
    /** The file offset of the chunk's first byte. */
    long start;
    int length;

    ReadChunk(int capacity) {
        this.bytes = ByteBuffer.allocate(capacity);
    }

    /** Whether the chunk holds the file's byte at {@code offset}. */
    boolean holds(TailedFile file, long offset) {
        return owner == file && offset >= start && offset < start + length;
    }

    void invalidate(TailedFile file) {
        if (owner == file) {
            owner = null;
        }
    }
}

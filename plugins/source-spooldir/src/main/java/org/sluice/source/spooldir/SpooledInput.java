package org.sluice.source.spooldir;

import java.io.IOException;

import org.sluice.api.format.PositionedInput;

/**
 * The file being read as a plugin's deserializer sees it: the {@link CharReader}'s bytes and characters, and a mark
 * that is the position the source saves after each committed batch.
 */
final class SpooledInput implements PositionedInput {
    private final CharReader chars;
    private final long length;
    private long mark;

    SpooledInput(CharReader chars, long length) {
        this.chars = chars;
        this.length = length;
    }

    @Override
    public int read() throws IOException {
        return chars.readByte();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        return chars.readBytes(buffer, offset, length);
    }

    @Override
    public int readChar() throws IOException {
        return chars.read();
    }

    @Override
    public void mark() {
        mark = chars.position();
    }

    @Override
    public void markPosition(long position) throws IOException {
        if (position < 0 || position > length) {
            throw new IOException("cannot mark position " + position + ": the file has " + length + " bytes");
        }
        mark = position;
    }

    @Override
    public long markedPosition() {
        return mark;
    }

    @Override
    public void reset() throws IOException {
        chars.seek(mark);
    }

    @Override
    public long tell() {
        return chars.position();
    }

    @Override
    public void seek(long position) throws IOException {
        chars.seek(position);
    }

    @Override
    public long length() {
        return length;
    }
}

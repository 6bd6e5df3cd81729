package org.sluice.api.format;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The file a deserializer reads, as the source that reads it offers it: bytes, and characters in the source's
 * charset, from a byte position; a mark the source saves after each committed batch and that {@link #reset()}
 * returns to. Reads end at the size the file had when the source picked it up.
 */
@ProviderType
public interface PositionedInput {

    /** The next byte, or -1 at the end. */
    int read() throws IOException;

    /** Up to {@code length} bytes into {@code buffer}; -1 at the end. */
    int read(byte[] buffer, int offset, int length) throws IOException;

    /**
     * The next character in the source's charset ({@code inputCharset}), or -1 at the end; a character outside the
     * Basic Multilingual Plane comes as its two surrogates. Bytes that cannot be decoded are handled by the source's
     * {@code decodeErrorPolicy}: under FAIL they throw.
     */
    int readChar() throws IOException;

    /** Marks the current position ({@link #tell()}). */
    void mark() throws IOException;

    /** Marks {@code position}, for a format that knows where a record it has passed begins (a block's start). */
    void markPosition(long position) throws IOException;

    /** The marked position, in bytes from the start of the file. */
    long markedPosition();

    /** Back to the marked position. */
    void reset() throws IOException;

    /** The position of the next byte or character, in bytes from the start of the file. */
    long tell() throws IOException;

    void seek(long position) throws IOException;

    /** The file's length in bytes, as when the source picked it up. */
    long length();
}

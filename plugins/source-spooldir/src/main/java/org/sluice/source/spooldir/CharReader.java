package org.sluice.source.spooldir;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.MalformedInputException;
import java.nio.file.Path;

/**
 * Decodes a file one character at a time and knows the byte offset of the next character, so a line's
 * start can be saved and returned to exactly. A plugin's deserializer may read bytes through it too. Reads stop at {@code limit}, the size the file had when it
 * was picked up: bytes appended later are never read (the change is reported instead).
 *
 * <p>Uses {@link RandomAccessFile} rather than a {@code FileChannel}: a channel is closed by an interrupt,
 * which would turn a stop into a read error on the file.
 */
final class CharReader implements Closeable {
    private final Path path;
    private final RandomAccessFile file;
    private final long limit;
    private final CharsetDecoder decoder;
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    private final CharBuffer out = CharBuffer.allocate(2);
    /** File offset of {@code in}'s first byte. */
    private long bufferStart;
    /** The low half of a surrogate pair decoded together with its high half; -1 if none. */
    private int pendingLow = -1;
    private boolean endOfInput;
    /**
     * Bytes below 0x80 are themselves as characters in these charsets, and their decoders keep no state
     * between characters: such a byte is taken directly, sparing a decoder call for most of a log file.
     */
    private final boolean asciiCompatible;

    CharReader(Path path, long limit, CharsetDecoder decoder) throws IOException {
        this.path = path;
        String charset = decoder.charset().name();
        this.asciiCompatible = charset.equals("UTF-8") || charset.equals("US-ASCII") || charset.equals("ISO-8859-1");
        this.file = new RandomAccessFile(path.toFile(), "r");
        this.limit = limit;
        this.decoder = decoder;
        seek(0);
    }

    /** Byte offset of the next character; inside a surrogate pair, the offset after the pair. */
    long position() {
        return bufferStart + in.position();
    }

    void seek(long position) throws IOException {
        if (position < 0 || position > limit) {
            throw new IOException(path + ": position " + position + " is outside the file's " + limit + " bytes");
        }
        file.seek(position);
        bufferStart = position;
        in.clear().flip();
        decoder.reset();
        pendingLow = -1;
        endOfInput = false;
    }

    /** The next character, or -1 at the end. A malformed sequence under policy FAIL throws, naming the offset. */
    int read() throws IOException {
        if (pendingLow >= 0) {
            int c = pendingLow;
            pendingLow = -1;
            return c;
        }
        if (asciiCompatible && in.hasRemaining() && in.get(in.position()) >= 0) {
            return in.get();
        }
        while (true) {
            out.clear().limit(1);
            int before = in.position();
            CoderResult result = decoder.decode(in, out, endOfInput);
            if (result.isOverflow() && out.position() == 0) {
                // A character outside the BMP needs both halves of its surrogate pair at once.
                out.limit(2);
                result = decoder.decode(in, out, endOfInput);
            }
            if (result.isError()) {
                long offset = bufferStart + in.position();
                CharacterCodingException e = result.isMalformed() ? new MalformedInputException(result.length())
                        : new CharacterCodingException();
                throw (IOException) new IOException(path + ": cannot decode the bytes at offset " + offset + " as "
                        + decoder.charset() + " (decodeErrorPolicy FAIL)").initCause(e);
            }
            if (out.position() > 0) {
                out.flip();
                char c = out.get();
                if (out.hasRemaining()) {
                    pendingLow = out.get();
                }
                return c;
            }
            if (endOfInput) {
                if (in.position() == before) {
                    return -1;
                }
                continue; // bytes dropped by policy IGNORE at the end: look again
            }
            if (in.position() == before || !in.hasRemaining() || result.isUnderflow()) {
                fill();
            }
        }
    }

    /** The next byte, or -1 at the end. A character half decoded (the low surrogate of a pair) is dropped. */
    int readByte() throws IOException {
        if (!hasBytes()) {
            return -1;
        }
        return in.get() & 0xff;
    }

    /** Up to {@code length} bytes, or -1 at the end. */
    int readBytes(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!hasBytes()) {
            return -1;
        }
        int count = Math.min(length, in.remaining());
        in.get(buffer, offset, count);
        return count;
    }

    /** Whether a byte is buffered, filling the buffer if needed; decoding starts afresh after bytes were read. */
    private boolean hasBytes() throws IOException {
        pendingLow = -1;
        decoder.reset();
        if (!in.hasRemaining() && !endOfInput) {
            fill();
        }
        return in.hasRemaining();
    }

    private void fill() throws IOException {
        bufferStart += in.position();
        in.compact();
        long remaining = limit - (bufferStart + in.position());
        int room = (int) Math.min(in.remaining(), remaining);
        int read = room <= 0 ? -1 : file.read(in.array(), in.arrayOffset() + in.position(), room);
        if (read > 0) {
            in.position(in.position() + read);
        } else {
            endOfInput = true;
        }
        in.flip();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}

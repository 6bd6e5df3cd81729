package org.sluice.source.spooldir;

import java.io.IOException;
import java.nio.charset.Charset;

/**
 * Flume's LINE deserializer: one event per line, split at {@code \n} (a {@code \r} before it stays in the
 * body, as in Flume); a line longer than {@code maxLineLength} characters is cut there and the rest becomes
 * the next event. The last line needs no newline.
 */
final class LineEventReader implements EventReader {
    private final CharReader chars;
    private final int maxLineLength;
    private final Charset outputCharset;
    private final StringBuilder line = new StringBuilder();

    LineEventReader(CharReader chars, int maxLineLength, Charset outputCharset) {
        this.chars = chars;
        this.maxLineLength = maxLineLength;
        this.outputCharset = outputCharset;
    }

    @Override
    public byte[] next() throws IOException {
        long start = chars.position();
        line.setLength(0);
        boolean any = false;
        try {
            for (int c; (c = chars.read()) != -1; ) {
                any = true;
                if (c == '\n') {
                    break;
                }
                line.append((char) c);
                if (line.length() >= maxLineLength) {
                    skipNewlineRightAfterCut();
                    break;
                }
            }
        } catch (IOException e) {
            // Back to the line's start: the events before it can still be committed, and a retry reads the
            // same line again rather than its tail.
            chars.seek(start);
            throw e;
        }
        return any ? line.toString().getBytes(outputCharset) : null;
    }

    /**
     * A line of exactly maxLineLength characters: its newline belongs to it. Flume turns that newline into an
     * extra empty event; it is consumed here instead.
     */
    private void skipNewlineRightAfterCut() throws IOException {
        long before = chars.position();
        int c = chars.read();
        if (c != '\n' && c != -1) {
            chars.seek(before);
        }
    }

    @Override
    public long position() {
        return chars.position();
    }

    @Override
    public void seek(long position) throws IOException {
        chars.seek(position);
    }

    @Override
    public void close() throws IOException {
        chars.close();
    }
}

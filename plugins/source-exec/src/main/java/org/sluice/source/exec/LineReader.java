package org.sluice.source.exec;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads the lines of a command's output as Flume's exec source does (a line ends at {@code \n}, {@code \r} or
 * {@code \r\n}, as {@link java.io.BufferedReader#readLine()} has it), but bounded: a line keeps at most
 * {@code maxLineLength} characters, the rest up to its end is skipped and the line is marked truncated. A command
 * that writes without newlines costs the source maxLineLength characters, not all it writes. Text after the last
 * line end when the output closes is the last line. Not thread-safe.
 */
final class LineReader {

    /** One line, and whether characters of it were dropped. */
    record Line(String text, boolean truncated) {
    }

    private final Reader in;
    private final int maxLineLength;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;
    private boolean skipNewline;
    private final StringBuilder line = new StringBuilder();

    LineReader(Reader in, int maxLineLength) {
        this.in = in;
        this.maxLineLength = maxLineLength;
    }

    /** The next line; null at the end of the output. */
    Line next() throws IOException {
        line.setLength(0);
        boolean truncated = false;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? new Line(line.toString(), truncated) : null;
                }
            }
            if (skipNewline) {
                skipNewline = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
                position++;
            }
            int room = maxLineLength - line.length();
            int length = position - start;
            if (length > room) {
                truncated = true;
            }
            line.append(buffer, start, Math.min(length, room));
            if (position < limit) {
                skipNewline = buffer[position] == '\r';
                position++;
                return new Line(line.toString(), truncated);
            }
        }
    }
}

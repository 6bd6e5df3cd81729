package org.sluice.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lines typed on an SSH client's terminal. With a pseudo-terminal the client sends keys as they are typed and shows
 * only what the server sends back, so this echoes them and does the little line editing a shell needs: Enter ends a
 * line, Backspace erases a character, Ctrl-C drops the line, Ctrl-D on an empty line ends the session. Escape
 * sequences (arrow keys) are ignored.
 */
final class TerminalLines implements GogoSession.Lines {
    private static final int MAX_LINE = 64 * 1024;

    private final InputStream in;
    private final OutputStream echo;
    /** A line ended by CR, whose LF (if the client sends CR LF) is not a second, empty line. */
    private boolean lastWasCr;

    TerminalLines(InputStream in, OutputStream echo) {
        this.in = in;
        this.echo = echo;
    }

    @Override
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n' && lastWasCr) {
                lastWasCr = false;
                continue;
            }
            lastWasCr = b == '\r';
            switch (b) {
                case '\r', '\n' -> {
                    write("\r\n");
                    return line.toString(StandardCharsets.UTF_8);
                }
                case 0x7f, 0x08 -> {
                    byte[] bytes = line.toByteArray();
                    int end = bytes.length;
                    // A whole UTF-8 character: its continuation bytes and its first byte.
                    while (end > 0 && (bytes[end - 1] & 0xc0) == 0x80) {
                        end--;
                    }
                    if (end > 0) {
                        end--;
                        line.reset();
                        line.write(bytes, 0, end);
                        write("\b \b");
                    }
                }
                case 0x03 -> {
                    write("^C\r\n");
                    return "";
                }
                case 0x04 -> {
                    if (line.size() == 0) {
                        write("\r\n");
                        return null;
                    }
                }
                case 0x1b -> skipEscapeSequence();
                default -> {
                    if (b >= 0x20 && line.size() < MAX_LINE) {
                        line.write(b);
                        echo.write(b);
                        echo.flush();
                    }
                }
            }
        }
    }

    /** CSI sequences (ESC [ ... final byte) and two-byte ones (ESC O x). */
    private void skipEscapeSequence() throws IOException {
        int next = in.read();
        if (next == '[') {
            for (int b = in.read(); b >= 0 && (b < 0x40 || b > 0x7e); b = in.read()) {
                // parameters and intermediates
            }
        } else if (next == 'O') {
            in.read();
        }
    }

    private void write(String text) throws IOException {
        echo.write(text.getBytes(StandardCharsets.US_ASCII));
        echo.flush();
    }

    /** What Gogo prints, with each LF sent as CR LF, as a terminal in raw mode needs. */
    static OutputStream crlf(OutputStream out) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                if (b == '\n') {
                    out.write('\r');
                }
                out.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                int start = offset;
                for (int i = offset; i < offset + length; i++) {
                    if (bytes[i] == '\n') {
                        out.write(bytes, start, i - start);
                        out.write('\r');
                        start = i;
                    }
                }
                out.write(bytes, start, offset + length - start);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }
}

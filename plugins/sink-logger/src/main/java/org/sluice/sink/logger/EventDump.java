package org.sluice.sink.logger;

import org.sluice.api.event.Event;

/**
 * Renders an event the way Flume's logger sink does, so logs and the tools that read them look the same:
 * {@code { headers:{k=v} body: 48 65 6C 6C 6F          Hello }}. The body part is a hex dump of the first
 * bytes in lines of 16 (two upper-case hex digits and a space per byte, padded to 16 columns, then the
 * bytes as printable ASCII with '.' for the rest), without the offset of the first line.
 */
final class EventDump {
    static final int DEFAULT_MAX_BYTES = 16;

    private static final int BYTES_PER_LINE = 16;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final String LINE_SEPARATOR = System.lineSeparator();

    private final int maxBytes;

    EventDump(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    String render(Event event) {
        StringBuilder out = new StringBuilder(96);
        out.append("{ headers:").append(event.getHeaders()).append(" body:");
        byte[] body = event.getBody();
        int shown = Math.min(body.length, maxBytes);
        for (int lineStart = 0; lineStart < shown; lineStart += BYTES_PER_LINE) {
            if (lineStart > 0) {
                // Later lines keep their offset, as in Flume's multi-line dumps.
                out.append(LINE_SEPARATOR);
                appendOffset(out, lineStart);
            }
            appendLine(out, body, lineStart, Math.min(BYTES_PER_LINE, shown - lineStart));
        }
        return out.append(" }").toString();
    }

    private static void appendOffset(StringBuilder out, int offset) {
        for (int shift = 28; shift >= 0; shift -= 4) {
            out.append(HEX[(offset >>> shift) & 0xF]);
        }
    }

    private static void appendLine(StringBuilder out, byte[] body, int start, int length) {
        out.append(' ');
        for (int column = 0; column < BYTES_PER_LINE; column++) {
            if (column < length) {
                int b = body[start + column] & 0xFF;
                out.append(HEX[b >>> 4]).append(HEX[b & 0xF]);
            } else {
                out.append("  ");
            }
            out.append(' ');
        }
        for (int i = 0; i < length; i++) {
            byte b = body[start + i];
            out.append(b >= ' ' && b < 127 ? (char) b : '.');
        }
    }
}

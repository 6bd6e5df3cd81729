package org.sluice.support.guard;

/**
 * Text that came from outside (a client's request, a line of a file nobody controls) as it may appear in a log
 * line: cut to a length, and every character that could forge or hide log content escaped. A newline in a message
 * name would otherwise start a forged log line, an escape sequence would drive the terminal reading the log, and a
 * bidirectional override would make the line read differently from what it holds.
 *
 * <p>Escapes: {@code \n}, {@code \r}, {@code \t}, {@code \\} for the backslash itself (so an escape in the output
 * is never ambiguous with the same characters sent by the client), {@code \xHH} for other control characters
 * (C0, DEL, C1), {@code \}{@code uHHHH} for line and paragraph separators, bidirectional controls and lone
 * surrogates. Text longer than the limit is cut and says how much was left out.
 */
public final class UntrustedText {
    /** What a log line shows of one untrusted value unless told otherwise. */
    public static final int DEFAULT_MAX_CHARS = 120;

    private UntrustedText() {
    }

    /** {@code text} for a log line, at most {@link #DEFAULT_MAX_CHARS} characters of it; "null" for null. */
    public static String forLog(CharSequence text) {
        return forLog(text, DEFAULT_MAX_CHARS);
    }

    /** {@code text} for a log line, at most {@code maxChars} characters of it shown; "null" for null. */
    public static String forLog(CharSequence text, int maxChars) {
        if (text == null) {
            return "null";
        }
        int length = text.length();
        int shown = Math.min(length, Math.max(0, maxChars));
        StringBuilder out = null;
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            boolean surrogatePair = Character.isHighSurrogate(c) && i + 1 < length
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (surrogatePair) {
                if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (!needsEscape(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(shown + 16);
                out.append(text, 0, i);
            }
            escape(c, out);
        }
        if (shown < length) {
            if (out == null) {
                out = new StringBuilder(shown + 32).append(text, 0, shown);
            }
            out.append("...[").append(length - shown).append(" more chars]");
        }
        return out == null ? text.toString() : out.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || c == '\\' || (c >= 0x7f && c <= 0x9f)
                || c == '\u2028' || c == '\u2029'
                || c == '\u061c' || c == '\u200e' || c == '\u200f'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || Character.isSurrogate(c);
    }

    private static void escape(char c, StringBuilder out) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case '\\' -> out.append("\\\\");
            default -> {
                if (c < 0x100) {
                    out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                } else {
                    out.append("\\u").append(String.format("%04x", (int) c));
                }
            }
        }
    }
}

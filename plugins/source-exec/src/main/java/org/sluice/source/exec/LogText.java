package org.sluice.source.exec;

/**
 * A command's text as it may appear in a log line: control characters (a newline would start a forged log line,
 * an escape sequence would drive the terminal reading the log) written as {@code \}{@code uXXXX}.
 */
final class LogText {

    private LogText() {
    }

    static String of(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (control && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (control) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }
}

package org.sluice.source.taildir;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * How the lines of a file group make up multi-line events (Sluice's, opt-in per file group): either a line that
 * matches {@code startPattern} begins an event and every other line continues it (a stack trace under its log
 * line), or a line that matches {@code continuationPattern} continues the event before it and every other line
 * begins one. An event is complete when the next one begins, when no line came for {@code timeoutMillis}, when it
 * has {@code maxLines} lines, or when it would grow beyond the source's maxLineLength bytes.
 *
 * <p>Patterns are found anywhere in the line ({@link java.util.regex.Matcher#find()}), read as UTF-8; anchor them
 * with {@code ^} to match at the start.
 */
record MultilineRule(Pattern startPattern, Pattern continuationPattern, long timeoutMillis, int maxLines) {

    MultilineRule {
        if ((startPattern == null) == (continuationPattern == null)) {
            throw new IllegalArgumentException("exactly one of startPattern and continuationPattern");
        }
    }

    /** Whether {@code line} begins a new event. */
    boolean begins(byte[] line) {
        // ISO-8859-1 would be cheaper, but patterns written for UTF-8 text must see its characters.
        String text = new String(line, StandardCharsets.UTF_8);
        return startPattern != null ? startPattern.matcher(text).find() : !continuationPattern.matcher(text).find();
    }
}

package org.sluice.source.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;
import org.sluice.support.guard.DecodeBudget;
import org.sluice.support.guard.RepeatedStrings;

/**
 * The JSON handler's fast path: a UTF-8 body in the form every client sends, strict JSON of {@code "headers"} objects
 * of string values and {@code "body"} strings, read straight from its bytes. A body without escapes is copied out of
 * the request as it is (valid UTF-8 is its own encoding), found eight bytes at a time, where Jackson's parser would
 * decode it to characters for the handler to encode again. Header names and values equal to the previous event's at
 * the same place share its strings ({@link RepeatedStrings}).
 *
 * <p>Anything else gives up ({@link #read} answers null) and the body is read again by Jackson, which gives every
 * other form its meaning or its error: single quotes, unquoted names, comments, numbers, booleans and nulls, fields
 * other than these two, repeated header names, invalid UTF-8, lone surrogates, a request over its budget. So for any
 * body this path reads, it makes the events Jackson's path makes, charged to the budget the same way (a test compares
 * the two on fuzzed bodies).
 *
 * <p>Why code of our own beside a well-kept parser: Jackson 2 hands a string value only as characters, and decoding
 * every 500-byte body to characters and encoding it back was about half of the http source's CPU per event, more than
 * issue 12's bound on CPU per event leaves for the whole agent. The scope is kept to what needs no judgement (the
 * strict form, valid UTF-8 checked); every choice JSON leaves open stays Jackson's.
 */
final class StrictJsonEvents {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] HEADERS = "headers".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BODY = "body".getBytes(StandardCharsets.US_ASCII);

    /** Thrown to give up on the fast path; without a stack trace, it costs little. */
    private static final class NotStrict extends Exception {
        private static final long serialVersionUID = 1L;

        NotStrict() {
            super(null, null, false, false);
        }
    }

    private static final NotStrict NOT_STRICT = new NotStrict();

    private final byte[] json;
    private final int end;
    private final DecodeBudget budget;
    private final int maxNameLength;
    private final RepeatedStrings repeated = new RepeatedStrings();
    private int at;
    /** Headers of the event read last; at first, as many as a default HashMap holds before it grows. */
    private int lastHeaderCount = 11;

    // The string read last: json[textStart, textEnd) as sent, which are its UTF-8 bytes unless it has escapes (then
    // scratch[0, scratchEnd) are).
    private boolean escaped;
    private int textStart;
    private int textEnd;
    private int textChars;
    private byte[] scratch;
    private int scratchEnd;
    /** Whether the escape decoded last was a surrogate pair: two characters. */
    private boolean lastWasPair;

    private StrictJsonEvents(byte[] json, int length, DecodeBudget budget, int maxNameLength) {
        this.json = json;
        this.end = length;
        this.budget = budget;
        this.maxNameLength = maxNameLength;
    }

    /**
     * The events of {@code json[0, length)}, or null if the body is not in the strict form (or exceeds the budget):
     * then Jackson's path reads it with a budget of its own.
     *
     * @param maxNameLength Jackson's bound on a name (a longer header name is its error to give)
     */
    static List<Event> read(byte[] json, int length, DecodeBudget budget, int maxNameLength) {
        try {
            return new StrictJsonEvents(json, length, budget, maxNameLength).events();
        } catch (NotStrict | org.sluice.support.guard.RequestTooLargeException e) {
            return null;
        }
    }

    private List<Event> events() throws NotStrict {
        skipSpace();
        expect('[');
        List<Event> events = new ArrayList<>();
        if (!closed(']')) {
            do {
                expect('{');
                budget.chargeEvent();
                events.add(event());
            } while (more(']'));
        }
        skipSpace();
        if (at != end) {
            throw NOT_STRICT;
        }
        return events;
    }

    /** One event, its opening brace read. */
    private Event event() throws NotStrict {
        // Sized for as many headers as the previous event had: events of a batch mostly carry the same ones.
        Map<String, String> headers = new HashMap<>(lastHeaderCount * 4 / 3 + 1);
        byte[] body = EMPTY;
        if (closed('}')) {
            return new SimpleEvent(body, headers);
        }
        do {
            expect('"');
            string();
            if (escaped) {
                throw NOT_STRICT;
            }
            boolean isHeaders = is(HEADERS);
            boolean isBody = !isHeaders && is(BODY);
            skipSpace();
            expect(':');
            skipSpace();
            if (isHeaders) {
                expect('{');
                readHeaders(headers);
                lastHeaderCount = headers.size();
            } else if (isBody) {
                expect('"');
                string();
                budget.chargeBytes(textChars);
                body = escaped ? Arrays.copyOf(scratch, scratchEnd) : Arrays.copyOfRange(json, textStart, textEnd);
            } else {
                throw NOT_STRICT;
            }
        } while (more('}'));
        return new SimpleEvent(body, headers);
    }

    /** A headers object, its opening brace read: names and values both strings, no name twice. */
    private void readHeaders(Map<String, String> headers) throws NotStrict {
        if (closed('}')) {
            return;
        }
        int place = 0;
        do {
            expect('"');
            string();
            int nameChars = textChars;
            if (textEnd - textStart > maxNameLength / 4) {
                // Near Jackson's bound on names, however it counts them: its refusal to give.
                throw NOT_STRICT;
            }
            String name = shared(place++);
            skipSpace();
            expect(':');
            skipSpace();
            expect('"');
            string();
            budget.chargeHeaders(1);
            budget.chargeString(nameChars);
            budget.chargeString(textChars);
            if (headers.put(name, shared(place++)) != null) {
                throw NOT_STRICT;
            }
        } while (more('}'));
    }

    /** Right after an opening bracket or brace: whether the closing one follows (read, if so), and none between. */
    private boolean closed(char close) {
        skipSpace();
        if (at < end && json[at] == close) {
            at++;
            return true;
        }
        return false;
    }

    /** After a member of an array or object: true for a comma (another member follows), false for the closing byte. */
    private boolean more(char close) throws NotStrict {
        skipSpace();
        byte next = nextByte();
        if (next == close) {
            return false;
        }
        if (next != ',') {
            throw NOT_STRICT;
        }
        skipSpace();
        return true;
    }

    /** The string read last, shared with the previous event's at the same place if equal (charged by the caller). */
    private String shared(int place) {
        return escaped ? repeated.decode(place, Arrays.copyOf(scratch, scratchEnd), 0, scratchEnd, null)
                : repeated.decode(place, json, textStart, textEnd - textStart, null);
    }

    private boolean is(byte[] name) {
        return textEnd - textStart == name.length
                && Arrays.equals(json, textStart, textEnd, name, 0, name.length);
    }

    /**
     * Reads a string, its opening quote read, to past its closing quote. Plain text (printable ASCII without quote or
     * backslash) is found eight bytes at a time; UTF-8 must be valid and escapes are decoded, or it gives up.
     */
    private void string() throws NotStrict {
        int start = at;
        int i = start;
        int chars = 0;
        escaped = false;
        while (true) {
            int run = plainRun(i);
            if (escaped && run > i) {
                ensure(run - i);
                System.arraycopy(json, i, scratch, scratchEnd, run - i);
                scratchEnd += run - i;
            }
            chars += run - i;
            i = run;
            if (i >= end) {
                throw NOT_STRICT;
            }
            int b = json[i] & 0xFF;
            if (b == '"') {
                break;
            }
            if (b < 0x20) {
                throw NOT_STRICT;
            }
            if (b >= 0x80) {
                int n = utf8Length(i);
                if (escaped) {
                    ensure(n);
                    System.arraycopy(json, i, scratch, scratchEnd, n);
                    scratchEnd += n;
                }
                i += n;
                chars += n == 4 ? 2 : 1;
            } else {
                // A backslash: from here on the text is decoded into the scratch bytes.
                if (!escaped) {
                    escaped = true;
                    scratchEnd = 0;
                    ensure(i - start);
                    System.arraycopy(json, start, scratch, 0, i - start);
                    scratchEnd = i - start;
                }
                i = escape(i + 1);
                chars += lastWasPair ? 2 : 1;
            }
        }
        textStart = start;
        textEnd = i;
        textChars = chars;
        at = i + 1;
    }

    /** Decodes the escape after a backslash at {@code i} into the scratch bytes; answers the index past it. */
    private int escape(int i) throws NotStrict {
        if (i >= end) {
            throw NOT_STRICT;
        }
        lastWasPair = false;
        switch (json[i]) {
            case '"' -> put('"');
            case '\\' -> put('\\');
            case '/' -> put('/');
            case 'b' -> put('\b');
            case 'f' -> put('\f');
            case 'n' -> put('\n');
            case 'r' -> put('\r');
            case 't' -> put('\t');
            case 'u' -> {
                int c = hex4(i + 1);
                i += 4;
                if (c >= 0xD800 && c <= 0xDBFF) {
                    // A high surrogate must be followed by an escaped low one: a lone surrogate is Jackson's to read.
                    if (i + 6 >= end || json[i + 1] != '\\' || json[i + 2] != 'u') {
                        throw NOT_STRICT;
                    }
                    int low = hex4(i + 3);
                    if (low < 0xDC00 || low > 0xDFFF) {
                        throw NOT_STRICT;
                    }
                    i += 6;
                    putCodePoint(Character.toCodePoint((char) c, (char) low));
                    lastWasPair = true;
                } else if (c >= 0xDC00 && c <= 0xDFFF) {
                    throw NOT_STRICT;
                } else {
                    putCodePoint(c);
                }
            }
            default -> throw NOT_STRICT;
        }
        return i + 1;
    }

    private int hex4(int from) throws NotStrict {
        if (from + 4 > end) {
            throw NOT_STRICT;
        }
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int digit = Character.digit(json[i], 16);
            if (digit < 0) {
                throw NOT_STRICT;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    private void putCodePoint(int c) {
        ensure(4);
        if (c < 0x80) {
            scratch[scratchEnd++] = (byte) c;
        } else if (c < 0x800) {
            scratch[scratchEnd++] = (byte) (0xC0 | c >> 6);
            scratch[scratchEnd++] = (byte) (0x80 | c & 0x3F);
        } else if (c < 0x10000) {
            scratch[scratchEnd++] = (byte) (0xE0 | c >> 12);
            scratch[scratchEnd++] = (byte) (0x80 | c >> 6 & 0x3F);
            scratch[scratchEnd++] = (byte) (0x80 | c & 0x3F);
        } else {
            scratch[scratchEnd++] = (byte) (0xF0 | c >> 18);
            scratch[scratchEnd++] = (byte) (0x80 | c >> 12 & 0x3F);
            scratch[scratchEnd++] = (byte) (0x80 | c >> 6 & 0x3F);
            scratch[scratchEnd++] = (byte) (0x80 | c & 0x3F);
        }
    }

    private void put(int b) {
        ensure(1);
        scratch[scratchEnd++] = (byte) b;
    }

    private void ensure(int more) {
        if (scratch == null || scratch.length - scratchEnd < more) {
            int size = Math.max(64, Math.max(scratchEnd + more, scratch == null ? 0 : scratch.length * 2));
            scratch = scratch == null ? new byte[size] : Arrays.copyOf(scratch, size);
        }
    }

    /**
     * The length of the well-formed UTF-8 sequence at {@code i} (RFC 3629: no overlong forms, no surrogates, nothing
     * past U+10FFFF); anything else gives up, for Jackson to refuse.
     */
    private int utf8Length(int i) throws NotStrict {
        int b = json[i] & 0xFF;
        int n;
        int min = 0x80;
        int max = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) {
            n = 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            n = 3;
            if (b == 0xE0) {
                min = 0xA0;
            } else if (b == 0xED) {
                max = 0x9F;
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            n = 4;
            if (b == 0xF0) {
                min = 0x90;
            } else if (b == 0xF4) {
                max = 0x8F;
            }
        } else {
            throw NOT_STRICT;
        }
        if (i + n > end) {
            throw NOT_STRICT;
        }
        int second = json[i + 1] & 0xFF;
        if (second < min || second > max) {
            throw NOT_STRICT;
        }
        for (int k = 2; k < n; k++) {
            if ((json[i + k] & 0xC0) != 0x80) {
                throw NOT_STRICT;
            }
        }
        return n;
    }

    /**
     * The index of the first byte from {@code i} that is a quote, a backslash, a control character or not ASCII (or
     * the end): eight bytes at a time.
     */
    private int plainRun(int i) {
        while (i + Long.BYTES <= end) {
            long word = (long) LONGS.get(json, i);
            // A byte's high bit ends up set if it is a quote or a backslash (x ^ c - 1 borrows), below a space
            // (x - 0x20 borrows) or not ASCII (its own high bit; which also covers what the subtractions flag for
            // bytes of 0x80 and up). A borrow carries a flag into the byte above, but only from a flagged byte: the
            // lowest flagged byte is always a true one.
            long special = (((word ^ QUOTES) - ONES) | ((word ^ BACKSLASHES) - ONES) | (word - SPACES) | word) & HIGHS;
            if (special != 0) {
                return i + (Long.numberOfTrailingZeros(special) >>> 3);
            }
            i += Long.BYTES;
        }
        while (i < end) {
            int b = json[i] & 0xFF;
            if (b == '"' || b == '\\' || b < 0x20 || b >= 0x80) {
                return i;
            }
            i++;
        }
        return end;
    }

    private void skipSpace() {
        while (at < end) {
            byte b = json[at];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            at++;
        }
    }

    private void expect(char c) throws NotStrict {
        if (at >= end || json[at] != c) {
            throw NOT_STRICT;
        }
        at++;
    }

    private byte nextByte() throws NotStrict {
        if (at >= end) {
            throw NOT_STRICT;
        }
        return json[at++];
    }
}

package org.sluice.support.guard;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The header strings of the last event read, by their place in its headers, so that the next event's identical
 * names and values share one String instead of each event carrying copies of its own. The events of one batch
 * mostly carry the same header names and often the same values (a host, a topic); sharing them halves the
 * objects each event holds, which is most of what the garbage collector copies while events wait in a memory
 * channel. Strings are immutable, so sharing them is invisible to everyone else. One instance serves one request.
 */
public final class RepeatedStrings {
    /** Places remembered: the name and the value of each of an event's first eight headers. */
    private static final int PLACES = 16;

    // The bytes each remembered string was made of: a copy for a buffer that is reused, the request's own array
    // (with its offset) for one that is not.
    private final byte[][] arrays = new byte[PLACES][];
    private final int[] offsets = new int[PLACES];
    private final int[] lengths = new int[PLACES];
    private final String[] strings = new String[PLACES];

    /**
     * The UTF-8 string of the {@code length} bytes at {@code from}'s position, read at {@code place} of the
     * headers: the one read last time at that place if the bytes are the same, else a new one, remembered. Leaves
     * the position where it was. A new string is charged to {@code budget} (if any); a shared one costs nothing.
     * The bytes are copied when remembered: the buffer may be reused.
     */
    public String decode(int place, ByteBuffer from, int length, DecodeBudget budget) {
        if (place < PLACES && strings[place] != null && lengths[place] == length && same(place, from)) {
            return strings[place];
        }
        if (budget != null) {
            budget.chargeString(length);
        }
        if (place >= PLACES && from.hasArray()) {
            return new String(from.array(), from.arrayOffset() + from.position(), length, StandardCharsets.UTF_8);
        }
        byte[] raw = new byte[length];
        from.get(from.position(), raw);
        String string = new String(raw, StandardCharsets.UTF_8);
        remember(place, raw, 0, length, string);
        return string;
    }

    /**
     * The UTF-8 string of {@code bytes[offset, offset + length)}, read at {@code place} of the headers, shared as
     * {@link #decode(int, ByteBuffer, int, DecodeBudget)} shares it. The array is remembered, not copied: it must not
     * change while this instance is used.
     */
    public String decode(int place, byte[] bytes, int offset, int length, DecodeBudget budget) {
        if (place < PLACES && strings[place] != null && lengths[place] == length
                && Arrays.equals(arrays[place], offsets[place], offsets[place] + length, bytes, offset,
                        offset + length)) {
            return strings[place];
        }
        if (budget != null) {
            budget.chargeString(length);
        }
        String string = new String(bytes, offset, length, StandardCharsets.UTF_8);
        remember(place, bytes, offset, length, string);
        return string;
    }

    private void remember(int place, byte[] bytes, int offset, int length, String string) {
        if (place < PLACES) {
            arrays[place] = bytes;
            offsets[place] = offset;
            lengths[place] = length;
            strings[place] = string;
        }
    }

    private boolean same(int place, ByteBuffer from) {
        byte[] last = arrays[place];
        int at = from.position();
        for (int i = 0; i < lengths[place]; i++) {
            if (from.get(at + i) != last[i]) {
                return false;
            }
        }
        return true;
    }
}

package org.sluice.rpc.avro;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.sluice.support.guard.DecodeBudget;

/**
 * The header strings of the last event read, by their place in its headers, so that the next event's identical
 * keys and values share one String instead of each event carrying copies of its own. The events of one batch
 * mostly carry the same header names and often the same values (a host, a topic); sharing them halves the
 * objects each event holds, which is most of what the garbage collector copies while events wait in a memory
 * channel. Strings are immutable, so sharing them is invisible to everyone else. One instance serves one request.
 */
final class RepeatedStrings {
    /** Places remembered: the key and the value of each of an event's first eight headers. */
    private static final int PLACES = 16;

    private final byte[][] bytes = new byte[PLACES][];
    private final String[] strings = new String[PLACES];

    /**
     * The string of the {@code length} bytes at {@code from}'s position, read at {@code place} of the headers: the
     * one read last time at that place if the bytes are the same, else a new one, remembered. Leaves the position
     * where it was. A new string is charged to {@code budget} (if any); a shared one costs nothing.
     */
    String decode(int place, ByteBuffer from, int length, DecodeBudget budget) {
        if (place >= PLACES) {
            if (budget != null) {
                budget.chargeString(length);
            }
            return FrameReader.decode(from, length);
        }
        byte[] last = bytes[place];
        if (last != null && last.length == length && same(last, from)) {
            return strings[place];
        }
        if (budget != null) {
            budget.chargeString(length);
        }
        byte[] raw = new byte[length];
        from.get(from.position(), raw);
        String string = new String(raw, StandardCharsets.UTF_8);
        bytes[place] = raw;
        strings[place] = string;
        return string;
    }

    private static boolean same(byte[] last, ByteBuffer from) {
        int at = from.position();
        for (int i = 0; i < last.length; i++) {
            if (from.get(at + i) != last[i]) {
                return false;
            }
        }
        return true;
    }
}

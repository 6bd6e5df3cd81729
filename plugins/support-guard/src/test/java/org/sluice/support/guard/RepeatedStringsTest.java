package org.sluice.support.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Header strings shared between the events of one request, from arrays and from buffers. */
class RepeatedStringsTest {
    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSameBytesAtTheSamePlaceShareOneStringAndCostNothing() {
        RepeatedStrings repeated = new RepeatedStrings();
        DecodeBudget budget = DecodeBudget.forRequest("test", 10, 1000);
        byte[] first = utf8("[host=h\u00e9,seq=1]");
        byte[] second = utf8("{host=h\u00e9,seq=2}");
        String host = repeated.decode(0, first, 6, 3, budget);
        long charged = budget.decodedBytes();
        assertEquals("h\u00e9", host);
        assertSame(host, repeated.decode(0, second, 6, 3, budget));
        assertEquals(charged, budget.decodedBytes());
        // Another place, or other bytes at the same place: a new string, charged.
        assertNotSame(host, repeated.decode(1, second, 6, 3, budget));
        assertEquals("2", repeated.decode(2, second, 14, 1, budget));
        assertEquals("1", repeated.decode(2, first, 14, 1, budget));
        assertEquals(charged + (DecodeBudget.STRING_BYTES + 3) + 2 * (DecodeBudget.STRING_BYTES + 1),
                budget.decodedBytes());
    }

    @Test
    void aReusedBufferIsCopiedNotRemembered() {
        RepeatedStrings repeated = new RepeatedStrings();
        ByteBuffer buffer = ByteBuffer.wrap(utf8("topic-a"));
        String topic = repeated.decode(0, buffer, 7, null);
        buffer.put(6, (byte) 'b');
        String next = repeated.decode(0, buffer, 7, null);
        assertEquals("topic-a", topic);
        assertEquals("topic-b", next);
        buffer.put(6, (byte) 'a');
        assertEquals("topic-a", repeated.decode(0, buffer, 7, null));
    }

    @Test
    void placesBeyondTheRememberedOnesAreDecodedAlone() {
        RepeatedStrings repeated = new RepeatedStrings();
        byte[] bytes = utf8("value");
        String a = repeated.decode(40, bytes, 0, 5, null);
        String b = repeated.decode(40, bytes, 0, 5, null);
        assertEquals(a, b);
        assertNotSame(a, b);
    }
}

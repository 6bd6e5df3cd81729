package org.sluice.support.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;

class EventCodecTest {
    private static Event roundTrip(Event event) {
        int size = EventCodec.size(event);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        EventCodec.write(buffer, event);
        assertEquals(size, buffer.position(), "size() is exactly what write() writes");
        return EventCodec.read(buffer.flip());
    }

    @Test
    void headersInTheirOrderAndBodyComeBack() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("zeta", "last in the alphabet, first here");
        headers.put("host", "w\u00e9b-1 \ud83d\ude00");
        headers.put("empty", "");
        byte[] body = {0, 1, -1, 127, -128};
        Event back = roundTrip(EventBuilder.withBody(body, headers));
        assertEquals(List.of("zeta", "host", "empty"), List.copyOf(back.getHeaders().keySet()));
        assertEquals(headers, back.getHeaders());
        assertArrayEquals(body, back.getBody());
    }

    @Test
    void anEventWithNothingInItComesBackEmpty() {
        Event back = roundTrip(EventBuilder.withBody(new byte[0], Map.of()));
        assertEquals(Map.of(), back.getHeaders());
        assertEquals(0, back.getBody().length);
    }

    @Test
    void aLoneSurrogateIsWrittenAsTheOneByteStringsGiveIt() {
        // String.getBytes replaces an unpaired surrogate with '?': size() must count what is written.
        Event back = roundTrip(EventBuilder.withBody("b".getBytes(StandardCharsets.UTF_8),
                Map.of("k\ud800", "v\udc00x")));
        assertEquals(Map.of("k?", "v?x"), back.getHeaders());
    }

    @Test
    void bytesThatAreNoEventAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> EventCodec.read(ByteBuffer.allocate(4).putInt(0, -1)));
        assertThrows(IllegalArgumentException.class,
                () -> EventCodec.read(ByteBuffer.allocate(16).putInt(0, 1).putInt(4, 1000)));
        assertThrows(IllegalArgumentException.class,
                () -> EventCodec.read(ByteBuffer.allocate(8).putInt(0, 0).putInt(4, 5)));
    }
}

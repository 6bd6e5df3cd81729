package org.sluice.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsFlumesMetricsDocument() {
        Object doc = Json.parse("{\"CHANNEL.c1\":{\"ChannelCapacity\":\"100000\",\"ChannelFillPercentage\":\"1.37\"},"
                + " \"SOURCE.r1\" : {\"EventAcceptedCount\":\"5025000\"}}");
        Map<?, ?> groups = (Map<?, ?>) doc;
        assertEquals(List.of("CHANNEL.c1", "SOURCE.r1"), List.copyOf(groups.keySet()));
        assertEquals("100000", ((Map<?, ?>) groups.get("CHANNEL.c1")).get("ChannelCapacity"));
        assertEquals("5025000", ((Map<?, ?>) groups.get("SOURCE.r1")).get("EventAcceptedCount"));
    }

    @Test
    void readsEveryKindOfValue() {
        Map<?, ?> doc = (Map<?, ?>) Json.parse("{\"n\":-12.5e3,\"big\":9007199254740993,\"t\":true,\"f\":false,\"z\":null,"
                + "\"a\":[1,\"x\",[]],\"o\":{},\"s\":\"q\\\"\\\\\\/\\n\\u0041\"}");
        assertEquals(new Json.JsonNumber("-12.5e3"), doc.get("n"));
        assertEquals("9007199254740993", doc.get("big").toString(), "every digit of a counter beyond 2^53");
        assertEquals(Boolean.TRUE, doc.get("t"));
        assertEquals(Boolean.FALSE, doc.get("f"));
        assertTrue(doc.containsKey("z"));
        assertNull(doc.get("z"));
        assertEquals(List.of(new Json.JsonNumber("1"), "x", List.of()), doc.get("a"));
        assertEquals(Map.of(), doc.get("o"));
        assertEquals("q\"\\/\nA", doc.get("s"));
    }

    @Test
    void rejectsWhatIsNotJson() {
        for (String bad : List.of("", "{", "{\"a\" 1}", "{\"a\":1,}", "[1 2]", "{\"a\":\"x}", "tru", "{} x", "<html>", "{\"a\":1-}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("Not JSON: expected "), e.getMessage());
        }
    }
}

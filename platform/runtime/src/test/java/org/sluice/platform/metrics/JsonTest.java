package org.sluice.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesAnObjectOfObjectsOfStrings() {
        Map<String, Map<String, String>> in = new LinkedHashMap<>();
        in.put("SOURCE.r1", new LinkedHashMap<>(Map.of("Type", "SOURCE")));
        in.put("CHANNEL.c1", new LinkedHashMap<>());

        assertEquals("{\"SOURCE.r1\":{\"Type\":\"SOURCE\"},\"CHANNEL.c1\":{}}", Json.objectOfObjects(in));
        assertEquals("{}", Json.objectOfObjects(Map.of()));
    }

    @Test
    void escapesWhatJsonRequires() {
        String nasty = "q\"b\\s/n\nr\rt\tb\bf\fnul\u0000bell\u0007é€";
        StringBuilder out = new StringBuilder();
        Json.string(out, nasty);

        assertEquals("\"q\\\"b\\\\s/n\\nr\\rt\\tb\\bf\\fnul\\u0000bell\\u0007é€\"", out.toString());
        assertEquals(Map.of("k", Map.of(nasty, nasty)),
                MiniJson.parseObjectOfObjects(Json.objectOfObjects(Map.of("k", Map.of(nasty, nasty)))));
    }
}

package org.sluice.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    private static String json(Map<String, Map<String, String>> objects) {
        return new String(Json.objectOfObjects(objects), StandardCharsets.UTF_8);
    }

    @Test
    void writesAnObjectOfObjectsOfStringsCompactlyInOrderAsFlume() {
        Map<String, Map<String, String>> in = new LinkedHashMap<>();
        Map<String, String> source = new LinkedHashMap<>();
        source.put("Type", "SOURCE");
        source.put("EventReceivedCount", "10");
        in.put("SOURCE.r1", source);
        in.put("CHANNEL.c1", new LinkedHashMap<>());

        assertEquals("{\"SOURCE.r1\":{\"Type\":\"SOURCE\",\"EventReceivedCount\":\"10\"},\"CHANNEL.c1\":{}}", json(in));
        assertEquals("{}", json(Map.of()));
    }

    @Test
    void escapesWhatJsonRequiresAndReadsBackAsWritten() throws Exception {
        String nasty = "q\"b\\s/n\nr\rt\tb\bf\fnul\u0000bell\u0007é€";
        String written = json(Map.of("k", Map.of("v", nasty)));

        assertEquals("{\"k\":{\"v\":\"q\\\"b\\\\s/n\\nr\\rt\\tb\\bf\\fnul\\u0000bell\\u0007é€\"}}", written);
        assertEquals(Map.of("k", Map.of(nasty, nasty)), ReporterJson.parse(json(Map.of("k", Map.of(nasty, nasty)))));
    }
}

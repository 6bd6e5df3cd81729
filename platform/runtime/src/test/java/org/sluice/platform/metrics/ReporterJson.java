package org.sluice.platform.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the reporter's JSON as a client would, with Jackson, and insists on Flume's shape: an object whose
 * values are objects of strings. Anything else is an error.
 */
final class ReporterJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReporterJson() {
    }

    static Map<String, Map<String, String>> parse(String text) throws JsonProcessingException {
        JsonNode root = MAPPER.readTree(text);
        if (!root.isObject()) {
            throw new IllegalArgumentException("not a JSON object: " + text);
        }
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> group : root.properties()) {
            if (!group.getValue().isObject()) {
                throw new IllegalArgumentException(group.getKey() + " is not an object: " + group.getValue());
            }
            Map<String, String> members = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> member : group.getValue().properties()) {
                if (!member.getValue().isTextual()) {
                    throw new IllegalArgumentException(group.getKey() + "." + member.getKey() + " is not a string: "
                            + member.getValue());
                }
                members.put(member.getKey(), member.getValue().textValue());
            }
            out.put(group.getKey(), members);
        }
        return out;
    }
}

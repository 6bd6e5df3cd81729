package org.sluice.platform.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The one JSON shape the HTTP reporter writes, an object of objects of strings, written by Jackson's streaming
 * generator: compact, in the maps' iteration order, as Flume's reporter writes it.
 */
final class Json {
    /** Thread-safe once configured, and it keeps Jackson's buffer recycling for every document. */
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /** {@code {"SOURCE.r1":{"EventReceivedCount":"10",...},...}} in UTF-8. */
    static byte[] objectOfObjects(Map<String, Map<String, String>> objects) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * (objects.size() + 1));
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            for (Map.Entry<String, Map<String, String>> object : objects.entrySet()) {
                json.writeObjectFieldStart(object.getKey());
                for (Map.Entry<String, String> member : object.getValue().entrySet()) {
                    json.writeStringField(member.getKey(), member.getValue());
                }
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array cannot fail to be written", e);
        }
        return out.toByteArray();
    }
}

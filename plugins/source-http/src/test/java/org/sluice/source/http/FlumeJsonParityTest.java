package org.sluice.source.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Proxy;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;

import org.apache.flume.source.http.JSONHandler;
import org.junit.jupiter.api.Test;
import org.sluice.api.event.Event;
import org.sluice.api.source.http.BadRequestException;
import org.sluice.api.source.http.HttpSourceRequest;

/**
 * Flume 1.11.0's own JSONHandler, from Maven Central, and Sluice's on the same request bodies, in the three charsets
 * Flume reads: the events an application's requests become must be Flume's, and a body Flume refuses as bad (400) must
 * be refused as bad.
 */
class FlumeJsonParityTest {
    private static final Charset UTF_32 = Charset.forName("UTF-32");
    /** The request body of the Flume User Guide's JSONHandler example. */
    static final String USER_GUIDE_EXAMPLE = "[{\"headers\" : {\"a\" : \"b\", \"b\" : \"c\"},"
            + " \"body\" : \"random_body\"}, {\"headers\" : {\"e\" : \"f\"}, \"body\" : \"random_body2\"}]";

    private static List<Map<String, String>> flume(String body, Charset charset) throws Exception {
        byte[] bytes = body.getBytes(charset);
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(
                FlumeJsonParityTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getReader" -> new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes),
                            charset));
                    case "getCharacterEncoding" -> charset.equals(StandardCharsets.UTF_8) ? null : charset.name();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        List<Map<String, String>> events = new ArrayList<>();
        for (org.apache.flume.Event event : new JSONHandler().getEvents(request)) {
            events.add(withBody(event.getHeaders(), event.getBody(), charset));
        }
        return events;
    }

    private static List<Map<String, String>> sluice(String body, Charset charset) throws Exception {
        byte[] bytes = body.getBytes(charset);
        HttpSourceRequest request = new PostedBody(new ByteArrayInputStream(bytes),
                charset.equals(StandardCharsets.UTF_8) ? null : charset);
        List<Map<String, String>> events = new ArrayList<>();
        for (Event event : new JsonHandler(1 << 20, 1000).getEvents(request)) {
            events.add(withBody(event.getHeaders(), event.getBody(), charset));
        }
        return events;
    }

    /** The headers and, under a key no header has, the body as text in the request's charset. */
    private static Map<String, String> withBody(Map<String, String> headers, byte[] body, Charset charset) {
        Map<String, String> all = new HashMap<>(headers == null ? Map.of() : headers);
        all.put("(body)", new String(body, charset));
        return all;
    }

    @Test
    void theSameEventsAsFlumes() throws Exception {
        List<String> bodies = List.of(
                USER_GUIDE_EXAMPLE,
                "[]",
                "[{\"body\": \"no headers\"}, {\"headers\": {\"only\": \"headers\"}}, {}]",
                "[{\"headers\": {\"h\": \"\\u00e9t\\u00e9 \\\"quoted\\\" \\\\ \\n\"}, \"body\": \"caf\\u00e9 \\ud83d\\ude00\"}]",
                "[{\"headers\": {\"n\": 42, \"f\": 1.5, \"t\": true}, \"body\": 7}]",
                "[{\"headers\": {\"a\": \"b\"}, \"body\": \"x\", \"extra\": {\"ignored\": [1, 2]}}]",
                "[{'headers': {'single': 'quotes'}, body: 'unquoted name'}]",
                "[{\"body\": \"<html>&amp;</html> = no escaping\"}]");
        for (Charset charset : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16, UTF_32)) {
            for (String body : bodies) {
                assertEquals(flume(body, charset), sluice(body, charset), charset + ": " + body);
            }
        }
    }

    @Test
    void whatFlumeRefusesIsRefused() throws Exception {
        List<String> bodies = List.of(
                "{\"headers\": {}, \"body\": \"not an array\"}",
                "[{\"headers\": {}, \"body\": \"cut",
                "[\"text, not an event\"]",
                "[{\"headers\": [\"a\"], \"body\": \"headers not an object\"}]",
                "[{\"headers\": {}, \"body\": {\"an\": \"object\"}}]",
                "[{\"headers\": {\"dup\": \"first\", \"dup\": \"second\"}, \"body\": \"a header twice\"}]");
        for (String body : bodies) {
            try {
                List<Map<String, String>> events = flume(body, StandardCharsets.UTF_8);
                fail("Flume took " + body + " as " + events);
            } catch (Exception expected) {
                // Flume's HTTPBadRequestException: 400, and nothing of the request is kept.
            }
            assertThrows(BadRequestException.class, () -> sluice(body, StandardCharsets.UTF_8), body);
        }
    }

    @Test
    void aBodyWhoseFirstBytesLookLikeUtf32IsRefusedAsBadText() {
        // Found by fuzzing: Jackson reads a request without a charset by the encoding its first bytes suggest, and
        // UTF-32's reader refused a code unit past U+10FFFF with an exception of its own, which escaped as a read
        // failure. Flume reads these bytes as UTF-8 text and refuses the JSON: 400 either way.
        byte[] body = {0, 0, 0, 0, 1, 0, 0, (byte) 0xf8, '[', '{', '}', ']'};
        HttpSourceRequest request = new PostedBody(new ByteArrayInputStream(body), null);
        BadRequestException refused = assertThrows(BadRequestException.class,
                () -> new JsonHandler(1 << 20, 1000).getEvents(request));
        assertTrue(refused.getMessage().contains("not valid text"), refused.getMessage());
    }
}

package org.sluice.source.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.sluice.api.event.Event;
import org.sluice.api.source.http.BadRequestException;
import org.sluice.support.guard.DecodeBudget;
import org.sluice.support.guard.RequestTooLargeException;

/**
 * The JSON handler's fast path against its Jackson path: every body the fast path reads must give exactly the events
 * Jackson's path gives, and the bodies clients send (strict JSON, UTF-8, escapes) must take the fast path.
 */
class StrictJsonEventsTest {
    private static final int MAX_EVENTS = 1000;
    private final JsonHandler handler = new JsonHandler(1 << 20, MAX_EVENTS);

    private static DecodeBudget budget(byte[] body, int maxEvents) {
        return DecodeBudget.forRequest("http request", maxEvents, body.length);
    }

    private List<Event> strict(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return StrictJsonEvents.read(body, body.length, budget(body, MAX_EVENTS), handler.maxNameLength());
    }

    /**
     * If the fast path reads {@code body}, Jackson's path reads it to equal events (the same headers, the same body
     * bytes); answers whether the fast path read it.
     */
    static boolean assertReadAsJacksonReads(JsonHandler handler, byte[] body, int maxEvents) throws IOException {
        List<Event> strict = StrictJsonEvents.read(body, body.length, budget(body, maxEvents), handler.maxNameLength());
        if (strict == null) {
            return false;
        }
        List<Event> jackson;
        try {
            jackson = handler.readWithJackson(body, body.length, StandardCharsets.UTF_8, budget(body, maxEvents));
        } catch (BadRequestException | RequestTooLargeException e) {
            throw new AssertionError("the fast path read a body Jackson refuses (" + e.getMessage() + "): "
                    + new String(body, StandardCharsets.ISO_8859_1), e);
        }
        if (!jackson.equals(strict)) {
            throw new AssertionError("the fast path read " + strict + " where Jackson read " + jackson + " from "
                    + new String(body, StandardCharsets.ISO_8859_1));
        }
        return true;
    }

    @Test
    void readsWhatClientsSend() throws IOException {
        List<String> bodies = List.of(
                FlumeJsonParityTest.USER_GUIDE_EXAMPLE,
                "[]",
                " \r\n\t[ ] \n",
                "[{\"body\": \"no headers\"}, {\"headers\": {\"only\": \"headers\"}}, {}, {\"headers\": {}}]",
                "[{\"headers\": {\"h\": \"\\u00e9t\\u00e9 \\\"quoted\\\" \\\\ \\/ \\b\\f\\n\\r\\t\"},"
                        + " \"body\": \"caf\\u00e9 \\ud83d\\ude00 \\u0000 \\uFFFF\"}]",
                "[{\"headers\": {\"h\\u00e9\": \"été\"}, \"body\": \"日本語 😀 \u007f\"}]",
                "[{\"body\": \"first\", \"body\": \"last wins\"}]",
                "[{\"body\": \"" + "x".repeat(5000) + "\", \"headers\": {\"seq\": \"1\"}}]");
        for (String body : bodies) {
            assertNotNull(strict(body), body);
            assertEquals(true, assertReadAsJacksonReads(handler, body.getBytes(StandardCharsets.UTF_8), MAX_EVENTS));
        }
        List<Event> events = strict("[{\"headers\":{\"host\":\"h1\",\"seq\":\"1\"},\"body\":\"caf\u00e9\"},"
                + "{\"headers\":{\"host\":\"h1\",\"seq\":\"2\"},\"body\":\"b\\\"2\"}]");
        assertEquals(Map.of("host", "h1", "seq", "1"), events.get(0).getHeaders());
        assertArrayEquals("caf\u00e9".getBytes(StandardCharsets.UTF_8), events.get(0).getBody());
        assertArrayEquals("b\"2".getBytes(StandardCharsets.UTF_8), events.get(1).getBody());
        // A header value equal to the previous event's at the same place is the same String.
        assertSame(events.get(0).getHeaders().get("host"), events.get(1).getHeaders().get("host"));
    }

    @Test
    void leavesEveryOtherFormToJackson() {
        List<String> bodies = List.of(
                "",
                "{}",
                "[{'headers': {'single': 'quotes'}, body: 'unquoted name'}]",
                "[{\"body\": \"x\"} /* a comment */]",
                "[{\"headers\": {\"n\": 42, \"t\": true, \"z\": null}, \"body\": 7}]",
                "[{\"headers\": null, \"body\": null}]",
                "[{\"body\": \"x\", \"extra\": 1}]",
                "[{\"headers\": {\"dup\": \"first\", \"dup\": \"second\"}}]",
                "[{\"body\": \"lone \\ud83d surrogate\"}]",
                "[{\"body\": \"lone \\ude00 low\"}]",
                "[{\"body\": \"\\'\"}]",
                "[{\"body\": \"tab\tinside\"}]",
                "[{\"body\": \"x\"},]",
                "[{\"body\": \"x\"}] trailing",
                "\uFEFF[]",
                "[{\"bo\\u0064y\": \"escaped name\"}]");
        for (String body : bodies) {
            assertNull(strict(body), body);
        }
        byte[][] invalidUtf8 = {
            {'[', '{', '"', 'b', 'o', 'd', 'y', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}', ']'},
            {'[', '{', '"', 'b', 'o', 'd', 'y', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}', ']'},
            {'[', '{', '"', 'b', 'o', 'd', 'y', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}', ']'},
            {'[', '{', '"', 'b', 'o', 'd', 'y', '"', ':', '"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"',
                '}', ']'}};
        for (byte[] body : invalidUtf8) {
            assertNull(StrictJsonEvents.read(body, body.length, budget(body, MAX_EVENTS), handler.maxNameLength()));
        }
    }

    @Test
    void givesUpOverTheBudgetForJacksonToRefuse() {
        byte[] body = "[{},{},{}]".getBytes(StandardCharsets.UTF_8);
        assertNull(StrictJsonEvents.read(body, body.length, budget(body, 2), handler.maxNameLength()));
        try {
            handler.readWithJackson(body, body.length, StandardCharsets.UTF_8, budget(body, 2));
            fail("Jackson's path took 3 events with a bound of 2");
        } catch (RequestTooLargeException expected) {
            // 413
        } catch (BadRequestException | IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Generated bodies, strict and then mutated a byte at a time: whatever the fast path reads, Jackson reads alike,
     * and it reads every unmutated one.
     */
    @Test
    void readsGeneratedBodiesAsJacksonDoes() throws IOException {
        Random random = new Random(20261206);
        int strictRead = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] body = generated(random).getBytes(StandardCharsets.UTF_8);
            if (!assertReadAsJacksonReads(handler, body, MAX_EVENTS)) {
                fail("the fast path did not read " + new String(body, StandardCharsets.UTF_8));
            }
            for (int m = 0; m < 5; m++) {
                byte[] mutated = mutated(random, body);
                if (assertReadAsJacksonReads(handler, mutated, MAX_EVENTS)) {
                    strictRead++;
                }
            }
        }
        // Some mutations keep the strict form (a byte of text changed); they must have been compared too.
        assertEquals(true, strictRead > 100, strictRead + " mutated bodies read by the fast path");
    }

    private static final String[] PIECES = {"a", "Z", "0", " ", "~", "\u007f", "\u00e9", "\u20ac", "\uD83D\uDE00",
        "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0041", "\\u00e9", "\\u20AC", "\\uD83D\\uDE00",
        "\\u0000", "\\uffff", "'", "/", "{", "]", ":", ","};

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(4) == 0 ? random.nextInt(40) : random.nextInt(4);
        for (int i = 0; i < length; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    private static String space(Random random) {
        return random.nextInt(3) == 0 ? new String[] {" ", "\n", "\r\n", "\t", "  "}[random.nextInt(5)] : "";
    }

    private static String generated(Random random) {
        StringBuilder json = new StringBuilder(space(random)).append('[');
        int events = random.nextInt(5);
        for (int e = 0; e < events; e++) {
            json.append(e == 0 ? "" : ",").append(space(random)).append('{');
            boolean hasHeaders = random.nextBoolean();
            boolean hasBody = random.nextBoolean();
            if (hasHeaders) {
                json.append(space(random)).append("\"headers\"").append(space(random)).append(':').append(space(random))
                        .append('{');
                int headers = random.nextInt(4);
                for (int h = 0; h < headers; h++) {
                    json.append(h == 0 ? "" : ",").append(space(random)).append("\"h").append(h).append(text(random))
                            .append('"').append(space(random)).append(':').append(space(random)).append('"')
                            .append(text(random)).append('"');
                }
                json.append(space(random)).append('}');
            }
            if (hasBody) {
                json.append(hasHeaders ? "," : "").append(space(random)).append("\"body\":").append(space(random))
                        .append('"').append(text(random)).append('"');
            }
            json.append(space(random)).append('}');
        }
        return json.append(space(random)).append(']').append(space(random)).toString();
    }

    private static byte[] mutated(Random random, byte[] body) {
        if (body.length == 0) {
            return body;
        }
        int at = random.nextInt(body.length);
        byte[] bytes = {'"', '\\', 'u', '}', ']', ',', ':', ' ', 'x', 0, (byte) 0x80, (byte) 0xC3, (byte) 0xED,
            (byte) 0xF0, (byte) random.nextInt(256)};
        byte[] mutated = body.clone();
        switch (random.nextInt(3)) {
            case 0 -> mutated[at] = bytes[random.nextInt(bytes.length)];
            case 1 -> {
                mutated = new byte[body.length - 1];
                System.arraycopy(body, 0, mutated, 0, at);
                System.arraycopy(body, at + 1, mutated, at, body.length - at - 1);
            }
            default -> {
                mutated = new byte[body.length + 1];
                System.arraycopy(body, 0, mutated, 0, at);
                mutated[at] = bytes[random.nextInt(bytes.length)];
                System.arraycopy(body, at, mutated, at + 1, body.length - at);
            }
        }
        return mutated;
    }
}

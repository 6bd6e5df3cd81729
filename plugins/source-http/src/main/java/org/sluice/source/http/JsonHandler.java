package org.sluice.source.http;

import java.io.ByteArrayInputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import org.sluice.api.event.Event;
import org.sluice.api.event.SimpleEvent;
import org.sluice.api.source.http.BadRequestException;
import org.sluice.api.source.http.HttpSourceHandler;
import org.sluice.api.source.http.HttpSourceRequest;
import org.sluice.support.guard.DecodeBudget;

/**
 * Flume's {@code JSONHandler}: the body is a JSON array of events, each {@code {"headers": {...}, "body": "..."}}, in
 * UTF-8, UTF-16 or UTF-32 as the {@code Content-Type} charset says (UTF-8 if it says none). An event's body is its
 * text encoded in the request's charset, as in Flume; header values and bodies that are numbers or booleans are taken
 * as their text, and fields other than these two are ignored. Flume reads JSON leniently (Gson): so are single quotes,
 * unquoted names and comments accepted here.
 *
 * <p>A body in the strict form clients send is read straight from its bytes ({@link StrictJsonEvents}); any other is
 * read by Jackson's streaming parser, which gives it Flume's lenient meaning or its error. Neither builds a tree of
 * the whole request, and a request is refused (413) as soon as it holds more than {@code max-events-per-request}
 * events, or more events and headers than its size on the wire allows on the heap ({@link DecodeBudget}: four times
 * the size plus 16 MiB).
 */
final class JsonHandler implements HttpSourceHandler {
    /** Flume's class name, the value of {@code handler} that selects this handler (its default). */
    static final String FLUME_NAME = "org.apache.flume.source.http.JSONHandler";
    private static final byte[] EMPTY = new byte[0];
    /**
     * The largest array a thread keeps for the next request's body. A body is only read from (events copy what they
     * keep out of it), so each request thread reuses one array instead of allocating and zeroing one per request,
     * which was about a tenth of the source's CPU with 56 KB requests; bodies larger than this get an array of
     * their own, so an idle thread holds at most this much.
     */
    static final int MAX_KEPT_BODY_ARRAY = 256 * 1024;

    private final JsonFactory json;
    private final long maxRequestSize;
    private final int maxEvents;
    private final int maxNameLength;
    /** Each request thread's array for bodies (Jetty's threads belong to the source and end with it). */
    private final ThreadLocal<byte[]> bodyArrays = new ThreadLocal<>();

    /**
     * @param maxRequestSize the longest text a body or header may be: the request's own bound
     * @param maxEvents      the most events one request may carry
     */
    JsonHandler(long maxRequestSize, int maxEvents) {
        this.maxRequestSize = maxRequestSize;
        this.maxEvents = maxEvents;
        this.json = JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
                .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
                .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxRequestSize)).build())
                .build();
        this.maxNameLength = json.streamReadConstraints().getMaxNameLength();
    }

    @Override
    public List<Event> getEvents(HttpSourceRequest request) throws BadRequestException, IOException {
        long wireLength = request instanceof JettyRequest sent && sent.length() >= 0 ? sent.length() : maxRequestSize;
        Charset charset = request.charset() == null ? StandardCharsets.UTF_8 : request.charset();
        if (!charset.equals(StandardCharsets.UTF_8) && !charset.equals(StandardCharsets.UTF_16)
                && !charset.name().equals("UTF-32")) {
            throw new BadRequestException("the JSON handler reads UTF-8, UTF-16 and UTF-32 only, not " + charset);
        }
        // The whole body first (bounded by the request's stream): both readers below read from its bytes.
        if (request instanceof JettyRequest sent) {
            byte[] kept = bodyArrays.get();
            JettyRequest.Body body = sent.readBody(kept);
            if (body.bytes() != kept && body.bytes().length <= MAX_KEPT_BODY_ARRAY) {
                bodyArrays.set(body.bytes());
            }
            return read(body.bytes(), body.length(), charset, wireLength);
        }
        byte[] body = request.body().readAllBytes();
        return read(body, body.length, charset, wireLength);
    }

    /**
     * The events of a whole body, {@code body[0, length)}, {@code wireLength} bytes on the wire: read straight from
     * its bytes if it is UTF-8 in the strict form, else by Jackson. No event keeps a reference to {@code body}.
     */
    List<Event> read(byte[] body, int length, Charset charset, long wireLength) throws BadRequestException, IOException {
        if (charset.equals(StandardCharsets.UTF_8)) {
            List<Event> events = StrictJsonEvents.read(body, length, budget(wireLength), maxNameLength);
            if (events != null) {
                return events;
            }
        }
        return readWithJackson(body, length, charset, budget(wireLength));
    }

    /** The events of {@code body[0, length)} as Jackson's parser reads it: every form Flume takes, and every refusal. */
    List<Event> readWithJackson(byte[] body, int length, Charset charset, DecodeBudget budget)
            throws BadRequestException, IOException {
        try (JsonParser parser = charset.equals(StandardCharsets.UTF_8) ? json.createParser(body, 0, length)
                : json.createParser(new InputStreamReader(new ByteArrayInputStream(body, 0, length), charset))) {
            return events(parser, charset, budget);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("Request has invalid JSON syntax: " + e.getOriginalMessage(), e);
        } catch (CharConversionException e) {
            // Jackson tells a UTF-8 request's encoding from its first bytes; those of UTF-32 bring its reader, which
            // refuses a code unit past U+10FFFF with this instead of a parse error: the client's text, not our read.
            throw new BadRequestException("Request body is not valid text: " + e.getMessage(), e);
        }
    }

    /** Jackson's bound on a name, which the fast path leaves to Jackson to enforce. */
    int maxNameLength() {
        return maxNameLength;
    }

    /** What the request may decode to on the heap: a few bytes of JSON make an event or a header of ~100 bytes. */
    private DecodeBudget budget(long wireLength) {
        return DecodeBudget.forRequest("http request", maxEvents, wireLength);
    }

    private List<Event> events(JsonParser parser, Charset charset, DecodeBudget budget)
            throws IOException, BadRequestException {
        JsonToken token = parser.nextToken();
        if (token != JsonToken.START_ARRAY) {
            throw new BadRequestException(token == null ? "the body is empty; the JSON handler reads an array of events"
                    : "the JSON handler reads an array of events, not " + describe(token));
        }
        List<Event> events = new ArrayList<>();
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                throw new BadRequestException("event " + events.size() + " is " + describe(token) + ", not an object");
            }
            budget.chargeEvent();
            events.add(event(parser, charset, events.size(), budget));
        }
        if (parser.nextToken() != null) {
            throw new BadRequestException("there is more after the array of events");
        }
        return events;
    }

    private static Event event(JsonParser parser, Charset charset, int index, DecodeBudget budget)
            throws IOException, BadRequestException {
        Map<String, String> headers = new HashMap<>();
        byte[] body = EMPTY;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("headers".equals(field)) {
                if (value == JsonToken.START_OBJECT) {
                    readHeaders(parser, headers, index, budget);
                } else if (value != JsonToken.VALUE_NULL) {
                    throw new BadRequestException("the headers of event " + index + " are " + describe(value)
                            + ", not an object");
                }
            } else if ("body".equals(field)) {
                if (value.isScalarValue()) {
                    budget.chargeBytes(value == JsonToken.VALUE_NULL ? 0 : parser.getTextLength());
                    body = value == JsonToken.VALUE_NULL ? EMPTY : encode(parser, charset);
                } else {
                    throw new BadRequestException("the body of event " + index + " is " + describe(value)
                            + ", not text");
                }
            } else {
                parser.skipChildren();
            }
        }
        return new SimpleEvent(body, headers);
    }

    /**
     * The text of the current token in {@code charset}, straight from the parser's characters: a body in ASCII, the
     * common case, is copied byte for byte without a String in between.
     */
    private static byte[] encode(JsonParser parser, Charset charset) throws IOException {
        char[] chars = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        int length = parser.getTextLength();
        if (charset.equals(StandardCharsets.UTF_8)) {
            byte[] ascii = new byte[length];
            for (int i = 0; i < length; i++) {
                char c = chars[offset + i];
                if (c >= 0x80) {
                    return new String(chars, offset, length).getBytes(charset);
                }
                ascii[i] = (byte) c;
            }
            return ascii;
        }
        return new String(chars, offset, length).getBytes(charset);
    }

    private static void readHeaders(JsonParser parser, Map<String, String> headers, int index, DecodeBudget budget)
            throws IOException, BadRequestException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!value.isScalarValue()) {
                throw new BadRequestException("header '" + name + "' of event " + index + " is " + describe(value)
                        + ", not text");
            }
            if (value != JsonToken.VALUE_NULL) {
                budget.chargeHeaders(1);
                budget.chargeString(name.length());
                budget.chargeString(parser.getTextLength());
                if (headers.put(name, parser.getText()) != null) {
                    // Flume's Gson refuses a repeated name; which value a client meant is not known.
                    throw new BadRequestException("header '" + name + "' of event " + index + " is given twice");
                }
            }
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "text";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "a number";
        };
    }
}

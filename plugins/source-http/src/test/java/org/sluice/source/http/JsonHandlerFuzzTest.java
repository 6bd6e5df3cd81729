package org.sluice.source.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.sluice.api.event.Event;
import org.sluice.api.source.http.BadRequestException;
import org.sluice.api.source.http.HttpSourceRequest;
import org.sluice.support.guard.RequestTooLargeException;

/**
 * A coverage-guided fuzz target of the http source's JSON handler: whatever the body, the handler gives at most
 * max-events-per-request events, or refuses the request as bad (400) or too large (413); nothing else escapes it; and
 * a body its fast path reads gives the events Jackson's path gives (StrictJsonEventsTest). The
 * corpus under src/test/resources replays in the default run; {@code .ci/fuzz} fuzzes for longer.
 */
class JsonHandlerFuzzTest {
    private static final int MAX_EVENTS = 16;
    private static final long MAX_REQUEST_SIZE = 4096;

    private static HttpSourceRequest request(byte[] body, Charset charset) {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(body), MAX_REQUEST_SIZE, "the request body");
        return new PostedBody(in, charset);
    }

    @FuzzTest(maxDuration = "10m")
    void jsonBody(byte[] body) throws IOException {
        JsonHandler handler = new JsonHandler(MAX_REQUEST_SIZE, MAX_EVENTS);
        StrictJsonEventsTest.assertReadAsJacksonReads(handler, body, MAX_EVENTS);
        for (Charset charset : new Charset[] {null, StandardCharsets.UTF_16}) {
            try {
                List<Event> events = handler.getEvents(request(body, charset));
                if (events.size() > MAX_EVENTS) {
                    throw new IllegalStateException(events.size() + " events, more than the bound");
                }
                for (Event event : events) {
                    if (event.getBody() == null || event.getHeaders().containsValue(null)) {
                        throw new IllegalStateException("an event with a null part");
                    }
                }
            } catch (BadRequestException | BodyTooLargeException | RequestTooLargeException e) {
                // The answers the source gives: 400 and 413.
            }
        }
    }
}

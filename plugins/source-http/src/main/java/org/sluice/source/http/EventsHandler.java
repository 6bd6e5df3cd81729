package org.sluice.source.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.sluice.api.channel.ChannelException;
import org.sluice.api.counter.SourceCounter;
import org.sluice.api.event.Event;
import org.sluice.api.source.ChannelProcessor;
import org.sluice.api.source.http.BadRequestException;
import org.sluice.api.source.http.HttpSourceHandler;
import org.sluice.support.guard.RateLimitedLog;
import org.sluice.support.guard.RequestTooLargeException;
import org.sluice.support.guard.UntrustedText;

/**
 * Every request to the http source: its body (bounded, and inflated if gzip) goes to the handler, and the events it
 * makes go to the channels in one transaction. The answer says what happened to them, as in Flume:
 *
 * <ul>
 * <li>200: every event is committed;</li>
 * <li>400: the handler could not read the body; 413: the body or its events exceed the source's bounds; nothing of
 * either is kept;</li>
 * <li>503: a channel refused the batch (it is full) or the handler's bundle is not there; nothing is kept, send it
 * again later;</li>
 * <li>405 for a method other than POST and GET, 415 for a Content-Encoding other than gzip.</li>
 * </ul>
 */
final class EventsHandler extends Handler.Abstract {
    /** Sluice's counter of requests refused with 413. */
    static final String TOO_LARGE_COUNTER = "RequestTooLargeCount";

    /** What the requests of one source share. */
    record Settings(String source, ChannelProcessor processor, SourceCounter counter, long maxRequestSize,
            int maxEventsPerRequest, Logger log, RateLimitedLog warnings) {
    }

    /** The handler requests go to now: null while its bundle is missing (503). */
    interface CurrentHandler {
        HttpSourceHandler get();
    }

    private final Settings settings;
    private final CurrentHandler handler;

    EventsHandler(Settings settings, CurrentHandler handler) {
        super(InvocationType.BLOCKING);
        this.settings = settings;
        this.handler = handler;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        SourceCounter counter = settings.counter();
        String method = request.getMethod();
        if (!method.equals("POST") && !method.equals("GET")) {
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405,
                    "the http source takes POST (and GET)");
            return true;
        }
        long length = request.getLength();
        if (length > settings.maxRequestSize()) {
            tooLarge(request, response, callback, "the request body is " + length + " bytes, more than "
                    + settings.maxRequestSize() + " (max-request-size)");
            return true;
        }
        HttpSourceHandler current = handler.get();
        if (current == null) {
            Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                    "the handler of this source is not installed; try again later");
            return true;
        }
        List<Event> events;
        try {
            events = current.getEvents(jettyRequest(request));
            if (events.size() > settings.maxEventsPerRequest()) {
                throw new RequestTooLargeException("the request carries " + events.size() + " events, more than "
                        + settings.maxEventsPerRequest() + " (max-events-per-request)");
            }
        } catch (BodyTooLargeException | RequestTooLargeException e) {
            tooLarge(request, response, callback, e.getMessage());
            return true;
        } catch (UnsupportedEncodingException e) {
            counter.incrementEventReadFail();
            Response.writeError(request, response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, e.getMessage());
            return true;
        } catch (BadRequestException | ZipException | java.nio.charset.IllegalCharsetNameException
                | java.nio.charset.UnsupportedCharsetException e) {
            counter.incrementEventReadFail();
            settings.log().debug("Http source {}: bad request from {}: {}", settings.source(),
                    Request.getRemoteAddr(request), UntrustedText.forLog(e.toString(), 300));
            Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400,
                    "Bad request from client. " + e.getMessage());
            return true;
        } catch (IOException e) {
            // The client went away or stalled mid-body: it will not read an answer, but one is sent all the same.
            counter.incrementEventReadFail();
            settings.log().debug("Http source {}: reading a request from {} failed: {}", settings.source(),
                    Request.getRemoteAddr(request), e.toString());
            Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400,
                    "Reading the request failed: " + e.getMessage());
            return true;
        } catch (RuntimeException e) {
            counter.incrementEventReadFail();
            settings.warnings().warn("Http source {}: its handler failed on a request: {}", settings.source(),
                    UntrustedText.forLog(e.toString(), 300));
            Response.writeError(request, response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500,
                    "The handler failed: " + e);
            return true;
        }
        counter.incrementAppendBatchReceivedCount();
        counter.addToEventReceivedCount(events.size());
        try {
            settings.processor().processEventBatch(events);
        } catch (ChannelException e) {
            counter.incrementChannelWriteFail();
            settings.log().debug("Http source {}: the channels refused {} events: {}", settings.source(),
                    events.size(), e.getMessage());
            Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                    "Error appending event to channel. Channel might be full. " + e.getMessage());
            return true;
        } catch (RuntimeException e) {
            counter.incrementGenericProcessingFail();
            settings.warnings().warn("Http source {}: putting {} events into the channels failed: {}",
                    settings.source(), events.size(), e.toString());
            Response.writeError(request, response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500,
                    "Unexpected error while appending event to channel. " + e);
            return true;
        }
        counter.incrementAppendBatchAcceptedCount();
        counter.addToEventAcceptedCount(events.size());
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        callback.succeeded();
        return true;
    }

    private void tooLarge(Request request, Response response, Callback callback, String why) {
        settings.counter().add(TOO_LARGE_COUNTER, 1);
        settings.log().debug("Http source {}: request from {} refused: {}", settings.source(),
                Request.getRemoteAddr(request), why);
        Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, why);
    }

    private static Charset charset(Request request) {
        return Request.getCharset(request);
    }

    /**
     * The request as a handler sees it: its body as read from the wire, bounded, and inflated (and bounded again) when
     * it is gzip.
     */
    private JettyRequest jettyRequest(Request request) throws IOException {
        Charset charset = charset(request);
        InputStream raw = new LimitedInputStream(Request.asInputStream(request), settings.maxRequestSize(),
                "the request body");
        String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
        if (encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity")) {
            return new JettyRequest(request, charset, raw, request.getLength());
        }
        String coding = encoding.trim().toLowerCase(Locale.ROOT);
        if (coding.equals("gzip") || coding.equals("x-gzip")) {
            return new JettyRequest(request, charset, new LimitedInputStream(new GZIPInputStream(raw, 8192),
                    settings.maxRequestSize(), "the inflated request body"), -1);
        }
        throw new UnsupportedEncodingException("Content-Encoding '" + encoding.trim()
                + "' is not accepted; send the body as it is or gzip");
    }

    /** A Content-Encoding other than gzip: 415. */
    private static final class UnsupportedEncodingException extends IOException {
        private static final long serialVersionUID = 1L;

        UnsupportedEncodingException(String message) {
            super(message);
        }
    }
}

package org.sluice.source.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.sluice.api.source.http.HttpSourceRequest;

/** A Jetty request as a handler sees it, with its body already bounded and decoded. */
final class JettyRequest implements HttpSourceRequest {
    /** The most a body's array is made for before its bytes came: bodies up to this size are read in one array. */
    private static final int FIRST_ARRAY = 1024 * 1024;
    private static final int UNKNOWN_FIRST_ARRAY = 16 * 1024;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private final Request request;
    private final Charset charset;
    private final InputStream body;
    private final long bodyLength;
    private Map<String, List<String>> parameters;

    /**
     * @param bodyLength the number of bytes {@code body} gives if known (a Content-Length, no gzip), else -1
     */
    JettyRequest(Request request, Charset charset, InputStream body, long bodyLength) {
        this.request = request;
        this.charset = charset;
        this.body = body;
        this.bodyLength = bodyLength;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        return request.getHttpURI().getPath();
    }

    @Override
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    @Override
    public Map<String, List<String>> parameters() {
        if (parameters == null) {
            Map<String, List<String>> map = new LinkedHashMap<>();
            for (Fields.Field field : Request.extractQueryParameters(request)) {
                map.put(field.getName(), List.copyOf(field.getValues()));
            }
            parameters = map;
        }
        return parameters;
    }

    /** The body's length as sent (its Content-Length), or -1 if it comes in chunks. */
    long length() {
        return request.getLength();
    }

    @Override
    public Charset charset() {
        return charset;
    }

    @Override
    public InputStream body() {
        return body;
    }

    /** A body read whole: its bytes are {@code bytes[0, length)}. */
    record Body(byte[] bytes, int length) {
    }

    /**
     * The whole body (bounded as {@link #body()} is), read into {@code reusable} when that can hold what the request
     * announces (any array may be given, null for none), else into a new array. A new array is made for the bytes
     * that came, not for the length a client announces: a client that announces 64 MiB and sends nothing holds
     * {@value #FIRST_ARRAY} bytes.
     */
    Body readBody(byte[] reusable) throws IOException {
        long expected = bodyLength >= 0 ? bodyLength : Long.MAX_VALUE;
        long first = Math.min(expected, bodyLength >= 0 ? FIRST_ARRAY : UNKNOWN_FIRST_ARRAY);
        byte[] bytes = reusable != null && reusable.length >= first ? reusable : new byte[(int) first];
        int length = 0;
        while (length < expected) {
            if (length == bytes.length) {
                if (length == MAX_ARRAY) {
                    // Only with a max-request-size above 2 GiB: more than one array holds.
                    throw new BodyTooLargeException("the request body is larger than " + MAX_ARRAY
                            + " bytes, the most one request is read into");
                }
                bytes = Arrays.copyOf(bytes, (int) Math.min(Math.min(expected, MAX_ARRAY), Math.max(2L * length, 1)));
            }
            int n = body.read(bytes, length, bytes.length - length);
            if (n < 0) {
                break;
            }
            length += n;
        }
        return new Body(bytes, length);
    }
}

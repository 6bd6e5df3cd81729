package org.sluice.api.event;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** The plain {@link Event}: a header map and a body array, no copies made. */
public final class SimpleEvent implements Event {
    private static final byte[] EMPTY = new byte[0];

    private Map<String, String> headers;
    private byte[] body;

    public SimpleEvent() {
        this(EMPTY, new HashMap<>());
    }

    /** Takes ownership of both arguments; a null body becomes empty, null headers an empty map. */
    public SimpleEvent(byte[] body, Map<String, String> headers) {
        this.body = body == null ? EMPTY : body;
        this.headers = headers == null ? new HashMap<>() : headers;
    }

    @Override
    public Map<String, String> getHeaders() {
        return headers;
    }

    @Override
    public void setHeaders(Map<String, String> headers) {
        this.headers = headers == null ? new HashMap<>() : headers;
    }

    @Override
    public byte[] getBody() {
        return body;
    }

    @Override
    public void setBody(byte[] body) {
        this.body = body == null ? EMPTY : body;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Event)) {
            return false;
        }
        Event other = (Event) o;
        return headers.equals(other.getHeaders()) && java.util.Arrays.equals(body, other.getBody());
    }

    @Override
    public int hashCode() {
        return Objects.hash(headers, java.util.Arrays.hashCode(body));
    }

    /** Like Flume's: headers and the first bytes of the body, enough to recognise an event in a log. */
    @Override
    public String toString() {
        int shown = Math.min(body.length, 16);
        return "[Event headers = " + headers + ", body.length = " + body.length + ", body = "
                + new String(body, 0, shown, StandardCharsets.UTF_8) + (shown < body.length ? "..." : "") + " ]";
    }
}

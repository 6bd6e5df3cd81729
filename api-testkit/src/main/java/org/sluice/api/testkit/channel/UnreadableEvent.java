package org.sluice.api.testkit.channel;

import java.util.Map;

import org.sluice.api.event.Event;

/**
 * An injected failure: an event whose body and headers can be read {@code readsAllowed} times, after which
 * every read throws, as an event whose body is produced lazily (a file region, a decoder) may when its source
 * fails. Where the channel reads it (at put, at commit, never) decides where its transaction fails.
 */
final class UnreadableEvent implements Event {
    /** What the event throws; the contract recognises it in a failure's causes. */
    static final class ReadFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReadFailure() {
            super("test: the event's content cannot be read");
        }
    }

    private final byte[] body;
    private final Map<String, String> headers;
    private int readsAllowed;

    UnreadableEvent(String body, int readsAllowed) {
        this.body = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.headers = Map.of("poisoned", "yes");
        this.readsAllowed = readsAllowed;
    }

    private synchronized void read() {
        if (readsAllowed == 0) {
            throw new ReadFailure();
        }
        readsAllowed--;
    }

    @Override
    public Map<String, String> getHeaders() {
        read();
        return headers;
    }

    @Override
    public void setHeaders(Map<String, String> headers) {
        throw new UnsupportedOperationException("an event in a channel is not changed");
    }

    @Override
    public byte[] getBody() {
        read();
        return body;
    }

    @Override
    public void setBody(byte[] body) {
        throw new UnsupportedOperationException("an event in a channel is not changed");
    }
}

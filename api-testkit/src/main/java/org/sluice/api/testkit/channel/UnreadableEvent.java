package org.sluice.api.testkit.channel;

import java.util.Map;

import org.sluice.api.event.Event;

/**
 * An injected failure: an event whose body and headers can be read {@code readsAllowed} times, after which
 * every read throws until {@link #heal()}, as an event whose content is produced lazily (a file region, a
 * decoder) may while its source fails. Where the channel reads it while storing it (at put, at commit, not at
 * all) decides where its transaction fails; the contract heals it once the transaction is over, so that a
 * channel which keeps the object itself can hand it out later.
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

    synchronized void heal() {
        readsAllowed = Integer.MAX_VALUE;
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

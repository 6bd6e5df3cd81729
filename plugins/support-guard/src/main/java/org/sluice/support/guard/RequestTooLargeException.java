package org.sluice.support.guard;

/**
 * A request refused because what it would decode to exceeds the source's bounds ({@link DecodeBudget}). Nothing of
 * it reached a channel; the client is told and may send it again in smaller batches.
 */
public final class RequestTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RequestTooLargeException(String message) {
        super(message);
    }
}

package org.sluice.source.jms;

/** A message that cannot become events within the source's bounds; it is rejected alone, never retried. */
final class RejectedMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RejectedMessageException(String reason) {
        super(reason);
    }
}
